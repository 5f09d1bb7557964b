"""Business metrics read at scrape time from what the process already holds: the calendar and
rule-catalog revisions it serves, the scanner's passes and lag, the open and overdue counts the
scanner refreshes after each pass, and the change feed's head. No query runs during a scrape.

Every value is this process's: with several workers behind one port (WORKERS > 1) a scrape
shows the worker that answered it; each worker runs its own scanner, so any one of them is a
fair sample, and a revision that differs between replicas is what the alert looks for."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.runtime import Runtime
from app.services.vitals import VITALS, Vitals


class ServiceCollector(Collector):
    def __init__(self, vitals: Vitals = VITALS) -> None:
        self.runtime: Runtime | None = None
        self._vitals = vitals

    def collect(self) -> Iterator[Metric]:
        yield from self._revisions()
        yield from self._scanner()
        yield from self._records()

    def _revisions(self) -> Iterator[Metric]:
        runtime = self.runtime
        if runtime is None:
            return
        if runtime.calendar is not None and runtime.calendar.snapshot is not None:
            yield GaugeMetricFamily(
                "calendar_revision",
                "Calendar revision this process serves (compare across replicas).",
                value=runtime.calendar.snapshot.revision,
            )
        if runtime.catalog is not None and runtime.catalog.catalog is not None:
            yield GaugeMetricFamily(
                "rule_catalog_revision",
                "Rule catalog revision this process serves.",
                value=runtime.catalog.revision,
            )

    def _scanner(self) -> Iterator[Metric]:
        v = self._vitals
        runs = CounterMetricFamily(
            "scanner_runs", "Scanner passes by outcome (this process).", labels=["outcome"]
        )
        for outcome, n in sorted(v.scanner_runs.items()):
            runs.add_metric([outcome], n)
        yield runs
        if v.scanner_last_success is not None:
            yield GaugeMetricFamily(
                "scanner_last_success_timestamp_seconds",
                "Unix time of the last scanner pass that completed.",
                value=v.scanner_last_success,
            )
            yield GaugeMetricFamily(
                "scanner_lag_seconds",
                "Seconds since the last scanner pass that completed.",
                value=max(0.0, time.time() - v.scanner_last_success),
            )

    def _records(self) -> Iterator[Metric]:
        v = self._vitals
        if v.counted_at is None:
            return
        dossiers = GaugeMetricFamily(
            "dossiers_open",
            "Open dossiers by status, as of the last scanner pass.",
            labels=["status"],
        )
        for status, n in v.dossiers.items():
            dossiers.add_metric([status], n)
        yield dossiers
        obligations = GaugeMetricFamily(
            "obligations_open",
            "Open obligations by status, as of the last scanner pass.",
            labels=["status"],
        )
        for status, n in v.obligations.items():
            obligations.add_metric([status], n)
        yield obligations
        if v.feed_head is not None:
            head, at = v.feed_head
            yield GaugeMetricFamily(
                "change_feed_head", "Cursor of the newest change-feed event.", value=head
            )
            yield GaugeMetricFamily(
                "change_feed_head_age_seconds",
                "Seconds since the newest change-feed event was appended.",
                value=max(0.0, time.time() - at.timestamp()),
            )


SERVICE = ServiceCollector()
