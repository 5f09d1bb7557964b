"""What counts as "the database is out of reach" (503) rather than a bug (500), and the outage
log: one line per failure class per interval, counted, never a traceback."""

from __future__ import annotations

import asyncio
import logging

import asyncpg
import pytest
from sqlalchemy import exc as sa

from app.db.availability import OutageLog, failure_class, quiet_pool_errors


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sa.TimeoutError("QueuePool limit of size 10 overflow 10 reached"), "pool-exhausted"),
        (TimeoutError(), "timeout"),
        (ConnectionRefusedError(111, "Connection refused"), "refused"),
        (asyncpg.ConnectionDoesNotExistError("connection was closed"), "connection-lost"),
        (asyncpg.CannotConnectNowError("the database system is starting up"), "server-unavailable"),
        (
            asyncpg.QueryCanceledError("canceling statement due to statement timeout"),
            "server-unavailable",
        ),
        (asyncpg.TooManyConnectionsError("too many clients"), "server-unavailable"),
    ],
)
def test_outage_errors_are_classified(error: BaseException, kind: str) -> None:
    assert failure_class(error) == kind
    # as SQLAlchemy wraps them
    wrapped = sa.OperationalError("SELECT 1", {"secret": "x"}, Exception("adapted"))
    wrapped.__cause__ = error
    wrapped.orig.__cause__ = error  # type: ignore[union-attr]
    assert failure_class(wrapped) == kind


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a bug"),
        KeyError("x"),
        asyncpg.UniqueViolationError("duplicate key"),
        asyncpg.UndefinedColumnError("column does not exist"),
        asyncpg.InterfaceError("the server expects 2 arguments, 1 was passed"),
    ],
)
def test_bugs_are_not_outages(error: BaseException) -> None:
    assert failure_class(error) is None


def test_one_line_per_class_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    outages = OutageLog(interval=3600)
    with caplog.at_level(logging.WARNING, logger="app.database"):
        for _ in range(500):
            outages.record("refused", "request")
        outages.record("timeout", "request")
        assert len(caplog.records) == 2  # the first of each class at once
        outages.flush()  # the database is back: what was left unsaid
    counts = [(r.failure, r.count) for r in caplog.records]  # type: ignore[attr-defined]
    assert counts == [("refused", 1), ("timeout", 1), ("refused", 499)]
    assert all(r.exc_info is None for r in caplog.records)


def test_the_pools_close_errors_during_an_outage_are_counted_not_traced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # SQLAlchemy's pool logs "Exception closing connection" with a traceback when it drops a
    # connection the server stopped answering (a paused server: the close times out).
    quiet_pool_errors()
    pool = logging.getLogger("sqlalchemy.pool.impl.AsyncAdaptedQueuePool")
    caplog.set_level(logging.ERROR)
    try:
        try:
            raise asyncio.CancelledError
        except asyncio.CancelledError as cancelled:
            raise TimeoutError from cancelled
    except TimeoutError:
        pool.error("Exception closing connection %r", "conn", exc_info=True)
    assert not [r for r in caplog.records if r.name == pool.name]
    # a bug while closing is still logged in full
    try:
        raise ValueError("not an outage")
    except ValueError:
        pool.error("Exception closing connection %r", "conn", exc_info=True)
    [kept] = [r for r in caplog.records if r.name == pool.name]
    assert kept.exc_info is not None
