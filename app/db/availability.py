"""Whether an error means "the database cannot be used right now" (a 503, retried later) rather
than a bug (a 500), and a log of such failures that stays readable during an outage: one line
per failure class per interval, with a count, never a traceback or a statement's parameters."""

from __future__ import annotations

import logging
import time

import asyncpg
from prometheus_client import Counter
from sqlalchemy import exc as sa

log = logging.getLogger("app.database")

SUMMARY_INTERVAL_SECONDS = 10.0


def failure_class(error: BaseException) -> str | None:
    """'pool-exhausted', 'timeout', 'connection-lost', 'refused' or 'server-unavailable' when
    `error` (or what it wraps) means the database is out of reach; None otherwise."""
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            return None
        found = _classify(seen)
        if found is not None:
            return found
        if isinstance(seen, sa.DBAPIError) and seen.connection_invalidated:
            return "connection-lost"
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return None


def _classify(error: BaseException) -> str | None:
    if isinstance(error, sa.TimeoutError):  # QueuePool limit reached, checkout timed out
        return "pool-exhausted"
    if isinstance(error, TimeoutError):  # connect or command deadline (asyncio's is the same)
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, asyncpg.PostgresConnectionError | ConnectionError):
        return "connection-lost"
    if isinstance(error, asyncpg.InterfaceError) and "connection" in str(error):
        return "connection-lost"  # "connection is closed", "another operation is in progress"
    if isinstance(error, OSError):  # unreachable host, name resolution, socket errors
        return "refused"
    # Class 57 (statement_timeout, shutting down, starting up) and 53300 (too many connections).
    if isinstance(error, asyncpg.OperatorInterventionError | asyncpg.TooManyConnectionsError):
        return "server-unavailable"
    return None


class OutageLog:
    """Counts failures by class; logs the first of a class at once, then at most one line per
    class per interval with how many happened since its last line."""

    def __init__(self, interval: float = SUMMARY_INTERVAL_SECONDS) -> None:
        self._interval = interval
        # Registered with the service's metrics (app/api/ops/metrics.py).
        self.counter = Counter(
            "database_unavailable_total",
            "Requests and background passes that found the database out of reach, by failure.",
            ["failure", "where"],
            registry=None,
        )
        self._last: dict[str, float] = {}
        self._pending: dict[str, int] = {}

    def record(self, kind: str, where: str) -> None:
        self.counter.labels(kind, where).inc()
        now = time.monotonic()
        self._pending[kind] = self._pending.get(kind, 0) + 1
        last = self._last.get(kind)
        if last is not None and now - last < self._interval:
            return
        self._last[kind] = now
        self._write(kind, where)

    def flush(self) -> None:
        """The database is back: say how many failures each class had since its last line."""
        for kind in list(self._pending):
            self._write(kind, "since the last line")
        self._last.clear()

    def _write(self, kind: str, where: str) -> None:
        count = self._pending.pop(kind)
        log.warning(
            "database unavailable",
            extra={"failure": kind, "where": where, "count": count, "interval_s": self._interval},
        )


OUTAGES = OutageLog()


class QuietPoolErrors(logging.Filter):
    """SQLAlchemy's pool logs "Exception closing connection" at ERROR with a traceback when it
    drops a connection the database stopped answering. During an outage that is expected:
    counted with the other failures (one summary line per class and interval), no traceback.
    Anything else the pool logs passes as it is."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        kind = failure_class(error) if error is not None else None
        if kind is None:
            return True
        OUTAGES.record(kind, "pool")
        return False


# A logger's filters see only the records made on it, so the pool classes' own loggers.
POOL_LOGGERS = ("sqlalchemy.pool.impl.AsyncAdaptedQueuePool", "sqlalchemy.pool.impl.QueuePool")


def quiet_pool_errors() -> None:
    for name in POOL_LOGGERS:
        pool = logging.getLogger(name)
        if not any(isinstance(f, QuietPoolErrors) for f in pool.filters):
            pool.addFilter(QuietPoolErrors())
