"""Background jobs, each started and stopped explicitly by app/main.py's lifespan:

- `webhook_delivery.DeliveryWorker`: pushes the change feed to webhook subscriptions.

(The overdue scanner, app/services/scanner.py, is started the same way.)"""
