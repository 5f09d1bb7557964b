"""When the calendar changes, re-date the open obligations whose due dates move.

Runs once, inside the transaction of the calendar change (app/api/calendar/router.py), with a
snapshot built inside that transaction: the new dates commit together with the change, or not
at all. Each moved due date is recorded (obligation_changes) and emitted
(`obligation.rescheduled`). Completed and waived obligations stay as they were.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Decision, Obligation
from app.db.repositories import feed
from app.db.repositories import obligations as repo
from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import Catalog
from app.domain.errors import DomainError
from app.domain.obligations import moves
from app.services.obligations import (
    FeedEvent,
    apply_moves,
    duty_rules,
    facts_of,
    plan,
    recorded,
    snapshot_in_transaction,
    today_local,
)

log = logging.getLogger(__name__)

__all__ = ["recompute_after_calendar_change", "redate_obligations", "snapshot_in_transaction"]


async def recompute_after_calendar_change(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    catalog: Catalog,
    actor: str,
    *,
    catalog_revision: int | None = None,
) -> int:
    """Re-date every open obligation on `calendar` and emit the moves; returns how many."""
    events = await redate_obligations(
        session, calendar, catalog, actor, catalog_revision=catalog_revision
    )
    await feed.append(session, events)
    return len(events)


async def redate_obligations(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    catalog: Catalog,
    actor: str,
    *,
    catalog_revision: int | None = None,
) -> list[FeedEvent]:
    """Re-date every open obligation on `calendar`; returns the `obligation.rescheduled`
    events of those that moved, for the caller to append with the rest of its change.

    The open obligations are locked (id order) for the rest of the transaction. The calendar
    change holds the calendar revision row, which every use case that dates obligations
    share-locks first, so none of them can interleave with this.
    """
    rows = await repo.open_with_decisions(session)
    if not rows:
        return []
    by_decision: dict[int, list[Obligation]] = defaultdict(list)
    decisions: dict[int, Decision] = {}
    for obligation, decision in rows:
        by_decision[decision.id].append(obligation)
        decisions[decision.id] = decision
    completed = await repo.completed_on_of(session, list(decisions))
    today = today_local()
    events: list[FeedEvent] = []
    for decision_id, open_rows in by_decision.items():
        decision = decisions[decision_id]
        facts = facts_of(decision)
        try:
            planned = plan(
                duty_rules(catalog, decision.profile_code, facts),
                calendar,
                facts,
                completed[decision_id],
            )
        except DomainError:
            # e.g. a due date now past the supported calendar: keep the dates on record
            # rather than fail the calendar change; the log names the decision.
            log.warning(
                "obligations of a decision could not be re-dated",
                extra={"decision_id": decision_id},
                exc_info=True,
            )
            continue
        moved = moves([recorded(r) for r in open_rows], planned)
        if not moved:
            continue
        events += await apply_moves(
            session,
            moved,
            reason="calendar_changed",
            actor=actor,
            today=today,
            catalog_revision=catalog_revision,
            profile_version=catalog.versions.get(decision.profile_code),
        )
    return events
