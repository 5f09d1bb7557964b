"""Use cases on obligations: complete, waive, list, explain; and what every use case that dates
obligations shares (the calendar it must use, how a moved due date is recorded)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Decision, Obligation, ObligationChange
from app.db.repositories import calendar as calendar_repo
from app.db.repositories import decisions as decision_repo
from app.db.repositories import feed
from app.db.repositories import obligations as repo
from app.domain.calendar import CalendarSnapshot, build_snapshot
from app.domain.deadlines import Catalog, DutyTrigger, Rule
from app.domain.errors import Conflict, DomainError, NotFound
from app.domain.obligations import (
    OPEN,
    DecisionFacts,
    Level,
    Move,
    ObligationStatus,
    PlannedDuty,
    Recorded,
    completion_status,
    followers,
    moves,
    plan_duties,
    scope_for,
)
from app.services.obligation_trace import trace_document
from app.services.office_time import now_local

FeedEvent = tuple[str, str, str, dict[str, Any]]


@dataclass(frozen=True)
class Reference:
    """The reference data a request reads: this replica's calendar snapshot and rule catalog."""

    calendar: CalendarSnapshot
    catalog: Catalog
    catalog_revision: int
    culture_day_compensatory: bool


def today_local() -> dt.date:
    return now_local().date()


async def calendar_for_write(session: AsyncSession, ref: Reference) -> CalendarSnapshot:
    """The calendar to date obligations with in this transaction: this replica's snapshot when
    it is the database's current revision, else one built inside the transaction (a change
    committed a moment ago that this replica has not loaded yet). Share-locks the revision
    (see repositories.obligations.share_calendar_revision)."""
    current = await repo.share_calendar_revision(session)
    if current == ref.calendar.revision:
        return ref.calendar
    return await snapshot_in_transaction(session, ref.culture_day_compensatory)


async def snapshot_in_transaction(
    session: AsyncSession, culture_day_compensatory: bool
) -> CalendarSnapshot:
    """A snapshot of the calendar as this transaction sees it (its own uncommitted change
    included), built off the event loop."""
    revision, adjustments, years = await calendar_repo.load(session)
    return await asyncio.to_thread(
        build_snapshot,
        adjustments,
        years,
        revision=revision,
        culture_day_compensatory=culture_day_compensatory,
    )


def facts_of(decision: Decision) -> DecisionFacts:
    return DecisionFacts(
        signed_on=decision.signed_on,
        effective_on=decision.effective_on,
        level=Level(decision.level),
        shortened=decision.shortened,
        ministry_list_signed_on=decision.ministry_list_signed_on,
    )


def duty_rules(catalog: Catalog, profile: str, facts: DecisionFacts) -> tuple[Rule, ...]:
    """The profile's rules that a publication decision turns into duties, in force when it
    was signed, for its scope (ND 63/2010 Art. 24(2): ministry, province or shortened)."""
    return catalog.duty_rules(
        profile,
        DutyTrigger.PUBLICATION_DECISION,
        scope=scope_for(facts.level, facts.shortened),
        on=facts.signed_on,
    )


def plan(
    rules: Sequence[Rule],
    calendar: CalendarSnapshot,
    facts: DecisionFacts,
    completed: dict[str, dt.date] | None = None,
) -> list[PlannedDuty]:
    """Plan the duties; a date the calendar cannot count from or to is the signing date's
    fault as far as the caller is concerned."""
    try:
        return plan_duties(rules, calendar, facts, completed=completed)
    except DomainError as error:
        if error.field in (None, "anchor", "start", "date"):
            raise type(error)(error.detail, field="signed_on") from error
        raise


def recorded(row: Obligation) -> Recorded:
    return Recorded(
        id=row.id,
        rule=row.rule_code,
        due_date=row.due_date,
        projected=row.projected,
        waiting_for=row.waiting_for,
        calendar_revision=row.calendar_revision,
    )


def duty_values(duty: PlannedDuty) -> dict[str, Any]:
    """The columns a planned duty sets on an obligation."""
    return {
        "due_date": duty.due_date,
        "waiting_for": duty.waiting_for,
        "projected": duty.projected,
        "flags": list(duty.flags),
        "provisional": duty.provisional,
        "citation": str(duty.citation),
        "confidence": duty.citation.confidence.value,
        "trace": trace_document(duty),
        "calendar_revision": duty.calendar_revision,
    }


def obligation_event(kind: str, row: Obligation, **extra: Any) -> FeedEvent:
    payload: dict[str, Any] = {
        "id": row.id,
        "decision_id": row.decision_id,
        "rule": row.rule_code,
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "status": row.status,
    }
    return (f"obligation.{kind}", "obligation", str(row.id), payload | extra)


async def apply_moves(
    session: AsyncSession,
    moved: Iterable[Move],
    *,
    reason: str,
    actor: str,
    today: dt.date,
    catalog_revision: int | None = None,
    profile_version: int | None = None,
) -> list[FeedEvent]:
    """Write each moved due date, record the change and return its event: never silent.

    An obligation marked overdue whose new due date is today or later is open again (pending);
    one newly past its due date is left to the overdue scanner, which emits that transition.
    """
    changes: list[dict[str, Any]] = []
    events: list[FeedEvent] = []
    for move in moved:
        old, new = move.recorded, move.planned
        values = duty_values(new)
        status: str | None = None
        if new.due_date is None or new.due_date >= today:
            status = ObligationStatus.PENDING.value
            values["status"] = status
        if catalog_revision is not None:
            values["catalog_revision"] = catalog_revision
        if profile_version is not None:
            values["profile_version"] = profile_version
        await repo.update_one(session, old.id, values)
        detail = {
            "rule": old.rule,
            "projected": [old.projected, new.projected],
            "waiting_for": [old.waiting_for, new.waiting_for],
        }
        changes.append(
            {
                "obligation_id": old.id,
                "reason": reason,
                "old_due_date": old.due_date,
                "new_due_date": new.due_date,
                "old_calendar_revision": old.calendar_revision,
                "new_calendar_revision": new.calendar_revision,
                "detail": detail,
                "actor": actor,
            }
        )
        payload: dict[str, Any] = {
            "id": old.id,
            "rule": old.rule,
            "reason": reason,
            "old_due_date": _iso(old.due_date),
            "new_due_date": _iso(new.due_date),
            "projected": new.projected,
            "calendar_revision": new.calendar_revision,
        }
        if status is not None:
            payload["status"] = status
        events.append(("obligation.rescheduled", "obligation", str(old.id), payload))
    await repo.add_changes(session, changes)
    return events


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class ObligationView:
    obligation: Obligation
    profile: str
    changes: list[ObligationChange]


async def get(session: AsyncSession, obligation_id: int) -> ObligationView:
    row = await repo.get(session, obligation_id)
    if row is None:
        raise NotFound(f"no obligation {obligation_id}", field="id")
    return ObligationView(row, row.profile_code, await repo.changes_of(session, row.id))


async def _locked(
    session: AsyncSession, obligation_id: int
) -> tuple[Decision, list[Obligation], Obligation]:
    """Lock the obligation's decision, then all of its obligations (id order): every write on
    a decision's obligations takes the locks in this order."""
    decision_id = await repo.decision_of(session, obligation_id)
    if decision_id is None:
        raise NotFound(f"no obligation {obligation_id}", field="id")
    decision = await decision_repo.get(session, decision_id, lock=True)
    if decision is None:  # deleted meanwhile
        raise NotFound(f"no obligation {obligation_id}", field="id")
    rows = (await repo.of_decisions(session, [decision_id], lock=True))[decision_id]
    target = next((r for r in rows if r.id == obligation_id), None)
    if target is None:
        raise NotFound(f"no obligation {obligation_id}", field="id")
    return decision, rows, target


def _must_be_open(row: Obligation, action: str) -> None:
    if ObligationStatus(row.status) not in OPEN:
        when = f" on {row.completed_on.isoformat()}" if row.completed_on else ""
        raise Conflict(
            f"obligation {row.id} is already {row.status}{when}: it cannot be {action}",
            field="status",
        )


async def complete(
    session: AsyncSession,
    ref: Reference,
    obligation_id: int,
    *,
    completed_on: dt.date,
    evidence: str | None,
    actor: str,
    today: dt.date,
) -> ObligationView:
    """Done (on or before the due date) or done late. Duties chained on this one now count
    from the real completion date instead of the projected due date."""
    calendar = await calendar_for_write(session, ref)
    decision, rows, target = await _locked(session, obligation_id)
    _must_be_open(target, "completed")
    if completed_on > today:
        raise DomainError(
            f"completed_on {completed_on.isoformat()} is in the future (today is "
            f"{today.isoformat()} in Asia/Ho_Chi_Minh)",
            field="completed_on",
        )
    if completed_on < decision.signed_on:
        raise DomainError(
            f"completed_on {completed_on.isoformat()} is before the decision was signed "
            f"({decision.signed_on.isoformat()})",
            field="completed_on",
        )
    status = completion_status(target.due_date, completed_on)
    await repo.update_one(
        session,
        target.id,
        {
            "status": status.value,
            "completed_on": completed_on,
            "evidence": evidence,
            "closed_by": actor,
        },
    )
    events: list[FeedEvent] = []
    chained = followers({r.rule_code: r.chain_from for r in rows}, target.rule_code)
    if chained:
        completed = {r.rule_code: r.completed_on for r in rows if r.completed_on is not None}
        completed[target.rule_code] = completed_on
        facts = facts_of(decision)
        planned = plan(
            duty_rules(ref.catalog, decision.profile_code, facts), calendar, facts, completed
        )
        open_followers = [
            recorded(r)
            for r in rows
            if r.rule_code in chained and ObligationStatus(r.status) in OPEN
        ]
        events = await apply_moves(
            session,
            moves(open_followers, planned),
            reason="anchor_completed",
            actor=actor,
            today=today,
        )
    done = await repo.get(session, target.id)
    assert done is not None
    extra = {"completed_on": completed_on.isoformat()}
    await feed.append(session, [obligation_event("completed", done, **extra), *events])
    return ObligationView(done, decision.profile_code, await repo.changes_of(session, done.id))


async def waive(
    session: AsyncSession, obligation_id: int, *, reason: str, actor: str
) -> ObligationView:
    """No longer required, with the reason on record."""
    decision, _, target = await _locked(session, obligation_id)
    _must_be_open(target, "waived")
    await repo.update_one(
        session,
        target.id,
        {"status": ObligationStatus.WAIVED.value, "waived_reason": reason, "closed_by": actor},
    )
    waived = await repo.get(session, target.id)
    assert waived is not None
    await feed.append(session, [obligation_event("waived", waived, reason=reason)])
    return ObligationView(waived, decision.profile_code, await repo.changes_of(session, waived.id))


# The list's filter, as the repository applies it.
ObligationFilter = repo.ObligationFilter


async def open_of_profile(
    session: AsyncSession, profile: str, limit: int
) -> list[tuple[Obligation, Decision]]:
    """A profile's open obligations with their decisions, by due date (the iCalendar feed)."""
    return await repo.open_of_profile(session, profile, limit)


async def move_counts(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    """How many times each obligation's due date was moved (the feed's SEQUENCE)."""
    return await repo.move_counts(session, ids)


async def page(
    session: AsyncSession,
    where: repo.ObligationFilter,
    after: tuple[dt.date | None, int] | None,
    limit: int,
) -> tuple[list[Obligation], bool]:
    """One page and whether there is another."""
    rows = await repo.page(session, where, after, limit + 1)
    return rows[:limit], len(rows) > limit
