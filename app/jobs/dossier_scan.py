"""The dossier-clock scanner job: persisted statuses follow the clock (on_time → due_soon →
overdue) and an apology deadline is announced when its day begins.

Writes store, next to each dossier, the instant its status next changes (`next_check_at`); the
job claims the dossiers whose instant has come with FOR UPDATE SKIP LOCKED, re-derives their
clock as of `now` and moves that instant on, in its own transaction. Several replicas may run
it at once: a dossier is claimed by one of them, and once its transaction commits the instant
has moved, so each transition emits exactly one feed event.

Dossiers evaluated on an older calendar revision (a day off declared or withdrawn since) are
re-derived as well, so their due dates and statuses follow the calendar in force.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from prometheus_client import Counter
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories import calendar as calendar_repo
from app.db.repositories import dossiers as repo
from app.db.repositories import feed
from app.db.repositories.dossiers import DossierWithEvents
from app.domain.calendar import CalendarSnapshot, build_snapshot
from app.domain.errors import DomainError, OutOfRange
from app.services.dossier_clock import rescan, tracking_suspended
from app.settings import get_settings

log = logging.getLogger(__name__)

# Registered with the service's metrics (app/api/ops/metrics.py).
TRACKING_SUSPENDED = Counter(
    "dossiers_tracking_suspended_total",
    "Dossiers the scanner could not evaluate, by reason (beyond_calendar, unevaluable).",
    ["tracking"],
    registry=None,
)

BATCH = 200
MAX_PER_PASS = 5000  # bounds one transaction; the next pass takes the rest

_snapshots: dict[tuple[int, dt.datetime], CalendarSnapshot] = {}


async def _calendar(session: AsyncSession) -> CalendarSnapshot:
    """The calendar as the scanning transaction sees it, rebuilt only when it changed (the job
    has no request, hence no replica snapshot: it reads the database it scans)."""
    stamp = await repo.calendar_stamp(session)
    found = _snapshots.get(stamp)
    if found is not None:
        return found
    revision, adjustments, years = await calendar_repo.load(session)
    snapshot = await asyncio.to_thread(
        build_snapshot,
        adjustments,
        years,
        revision=revision,
        culture_day_compensatory=get_settings().culture_day_compensatory,
    )
    _snapshots.clear()
    _snapshots[stamp] = snapshot
    return snapshot


async def _process(
    session: AsyncSession,
    claimed: list[DossierWithEvents],
    calendar: CalendarSnapshot,
    now: dt.datetime,
    changes: list[tuple[str, str, str, dict[str, Any]]],
) -> int:
    updates: list[dict[str, Any]] = []
    parked: dict[str, list[int]] = {}
    touched = 0
    for found in claimed:
        try:
            outcome = rescan(found, calendar, now)
        except DomainError as error:
            # One dossier the data no longer supports (its clock past the calendar's last day,
            # a schedule removed) must not stop the scanner for all the others: it is marked,
            # announced in the feed and counted, never dropped silently.
            tracking = "beyond_calendar" if isinstance(error, OutOfRange) else "unevaluable"
            log.warning(
                "dossier cannot be scanned",
                extra={"dossier_id": found.dossier.id, "tracking": tracking, "error": error.detail},
            )
            TRACKING_SUSPENDED.labels(tracking).inc()
            parked.setdefault(tracking, []).append(found.dossier.id)
            changes.append(tracking_suspended(found.dossier, tracking, error.detail, calendar))
            continue
        updates.append({"dossier_id": found.dossier.id, **outcome.columns})
        changes.extend(outcome.changes)
        touched += bool(outcome.changes)
    await repo.update_clocks(session, updates)
    for tracking, ids in parked.items():
        await repo.park(session, ids, calendar.revision, tracking)
        touched += len(ids)
    return touched


async def scan_dossiers(session: AsyncSession, now: dt.datetime) -> int:
    """Transition what is due as of `now`; returns how many dossiers changed status or had
    their apology deadline announced."""
    calendar = await _calendar(session)
    changes: list[tuple[str, str, str, dict[str, Any]]] = []
    done: list[int] = []
    touched = 0
    for stale in (False, True):
        while len(done) < MAX_PER_PASS:
            if stale:
                claimed = await repo.claim_stale(session, calendar.revision, BATCH, done)
            else:
                claimed = await repo.claim_due(session, now, BATCH, done)
            if not claimed:
                break
            done.extend(found.dossier.id for found in claimed)
            touched += await _process(session, claimed, calendar, now, changes)
    await feed.append(session, changes)
    return touched
