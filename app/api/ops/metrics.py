"""Prometheus metrics: requests by route template and status, latency, database pool, the
process and platform collectors, and the service's own (app.api.ops.service_metrics).

With several worker processes (`python -m app serve` with WORKERS > 1 sets
PROMETHEUS_MULTIPROC_DIR for them) each process writes its counters to files there and a scrape
adds up every worker's; the pool gauges, the process_* and python_* series and the service
metrics are those of the process that answers the scrape (a CPU time or a resident size only
means something per process).

No `_created` series: they double the count of series and no alert reads them.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from app.api.ops.service_metrics import SERVICE
from app.db.availability import OUTAGES
from app.jobs.dossier_scan import TRACKING_SUSPENDED

disable_created_metrics()  # type: ignore[no-untyped-call]

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by method and route template.",
    ["method", "route"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=REGISTRY,
)


# Each request's series, found once: `labels()` checks and joins its values on every call.
# Bounded, as the methods a client may send are not.
_SERIES: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_MAX_SERIES = 4096


def observe(method: str, route: str, status: int, seconds: float) -> None:
    key = (method, route, status)
    series = _SERIES.get(key)
    if series is None:
        if len(_SERIES) >= _MAX_SERIES:
            _SERIES.clear()
        series = _SERIES[key] = (
            REQUESTS.labels(method, route, str(status)),
            LATENCY.labels(method, route),
        )
    series[0].inc()
    series[1].observe(seconds)


class PoolCollector(Collector):
    """Reads the SQLAlchemy pool at scrape time: no bookkeeping on the request path."""

    def __init__(self) -> None:
        self.engine: AsyncEngine | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pool = self.engine.sync_engine.pool if self.engine is not None else None
        if not isinstance(pool, QueuePool):
            return
        for name, doc, value in (
            ("db_pool_size", "Configured pool size.", pool.size()),
            ("db_pool_checked_out", "Connections in use.", pool.checkedout()),
            ("db_pool_checked_in", "Idle connections in the pool.", pool.checkedin()),
            ("db_pool_overflow", "Connections beyond the pool size.", pool.overflow()),
        ):
            yield GaugeMetricFamily(name, doc, value=value)


POOL = PoolCollector()
# The answering process's own: in a multi-worker scrape they are added to the files' sums.
PER_PROCESS: tuple[Collector, ...] = (
    POOL,
    SERVICE,
    PROCESS_COLLECTOR,
    PLATFORM_COLLECTOR,
    GC_COLLECTOR,
)
for _collector in (*PER_PROCESS, TRACKING_SUSPENDED, OUTAGES.counter):
    REGISTRY.register(_collector)


class _WorkerFiles(Collector):
    """Every worker's counter files added up, skipping a file a starting worker has created but
    not yet sized: prometheus_client's own collector fails the whole scrape on such a file
    (prometheus/client_python#1199)."""

    def __init__(self, folder: str) -> None:
        self._folder = folder

    def collect(self) -> Iterator[Metric]:
        files = [
            path
            for path in glob.glob(os.path.join(self._folder, "*.db"))
            if os.path.getsize(path) > 0
        ]
        return iter(MultiProcessCollector.merge(files, accumulate=True))  # type: ignore[no-untyped-call]


def exposition(accept: str | None = None) -> tuple[bytes, str]:
    """The metrics and their media type: OpenMetrics when the Accept header asks for it, else
    Prometheus' text format; every worker's counters added up."""
    encode, media_type = choose_encoder(accept or "")
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return encode(REGISTRY), media_type
    registry = CollectorRegistry()
    registry.register(_WorkerFiles(folder))
    for collector in PER_PROCESS:
        registry.register(collector)
    return encode(registry), media_type
