"""Background jobs, each started and stopped explicitly by app/startup.py:

- `scanner.Scanner`: the periodic scanner; its jobs are listed in `scanner.JOBS`
  (`obligation_scan`: overdue obligations; `dossier_scan`: the dossier clock).
- `webhook_delivery.DeliveryWorker`: pushes the change feed to webhook subscriptions.

Nothing here is registered as a side effect of importing a router."""
