"""Queries on obligations and the record of their moved due dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, and_, func, literal, literal_column, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app.db.models import CalendarRevision, Decision, Obligation, ObligationChange

_OPEN = ("pending", "overdue")


async def share_calendar_revision(session: AsyncSession) -> int:
    """The calendar revision, share-locked until this transaction ends.

    A calendar change updates that row (its trigger bumps the revision) and then recomputes the
    open obligations in its own transaction. Holding the share lock, a write that dates
    obligations either commits before the change starts (which then recomputes them) or waits
    for it to commit and sees the new revision: no obligation is ever dated on a stale calendar.
    Taken first in every such use case, before any obligation lock, so the order is one.
    """
    value = await session.scalar(
        select(CalendarRevision.revision).where(CalendarRevision.id == 1).with_for_update(read=True)
    )
    return int(value or 0)


async def insert_many(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> list[Obligation]:
    """Insert in one batched statement; the rows come back in the order given."""
    if not rows:
        return []
    result = await session.scalars(
        insert(Obligation)
        .returning(Obligation, sort_by_parameter_order=True)
        .execution_options(render_nulls=True),
        list(rows),
    )
    return list(result)


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Obligation]:
    if not ids:
        return []
    return list(
        await session.scalars(
            select(Obligation)
            .where(Obligation.id.in_(ids))
            .order_by(Obligation.id)
            .execution_options(populate_existing=True)
        )
    )


async def get(
    session: AsyncSession, obligation_id: int, *, lock: bool = False
) -> Obligation | None:
    query = (
        select(Obligation)
        .where(Obligation.id == obligation_id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def decision_of(session: AsyncSession, obligation_id: int) -> int | None:
    return await session.scalar(
        select(Obligation.decision_id).where(Obligation.id == obligation_id)
    )


async def of_decisions(
    session: AsyncSession, decision_ids: Sequence[int], *, lock: bool = False
) -> dict[int, list[Obligation]]:
    found: dict[int, list[Obligation]] = {i: [] for i in decision_ids}
    if not decision_ids:
        return found
    query = (
        select(Obligation)
        .where(Obligation.decision_id.in_(decision_ids))
        .order_by(Obligation.decision_id, Obligation.id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update()
    for row in await session.scalars(query):
        found[row.decision_id].append(row)
    return found


async def update_one(session: AsyncSession, obligation_id: int, values: Mapping[str, Any]) -> None:
    await session.execute(
        update(Obligation)
        .where(Obligation.id == obligation_id)
        .values(**values, updated_at=func.now())
    )


async def add_changes(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        await session.execute(insert(ObligationChange), list(rows))


async def changes_of(session: AsyncSession, obligation_id: int) -> list[ObligationChange]:
    return list(
        await session.scalars(
            select(ObligationChange)
            .where(ObligationChange.obligation_id == obligation_id)
            .order_by(ObligationChange.id)
        )
    )


async def open_with_decisions(session: AsyncSession) -> list[tuple[Obligation, Decision]]:
    """Every open obligation with its decision, the obligations locked (id order)."""
    rows = await session.execute(
        select(Obligation, Decision)
        .join(Decision, Decision.id == Obligation.decision_id)
        .where(Obligation.status.in_(_OPEN))
        .order_by(Obligation.id)
        .with_for_update(of=Obligation)
        .execution_options(populate_existing=True)
    )
    return [(o, d) for o, d in rows.all()]


async def completed_on_of(
    session: AsyncSession, decision_ids: Sequence[int]
) -> dict[int, dict[str, dt.date]]:
    """Completion dates by rule code, per decision: what chained duties count from."""
    found: dict[int, dict[str, dt.date]] = {i: {} for i in decision_ids}
    if not decision_ids:
        return found
    rows = await session.execute(
        select(Obligation.decision_id, Obligation.rule_code, Obligation.completed_on).where(
            Obligation.decision_id.in_(decision_ids), Obligation.completed_on.is_not(None)
        )
    )
    for decision_id, rule, completed_on in rows:
        if completed_on is not None:
            found[decision_id][rule] = completed_on
    return found


async def mark_overdue(session: AsyncSession, today: dt.date, batch: int) -> list[Obligation]:
    """Claim up to `batch` pending obligations past their due date (FOR UPDATE SKIP LOCKED:
    another replica's pass takes other rows) and mark them overdue."""
    claimed = (
        select(Obligation.id)
        .where(Obligation.status == "pending", Obligation.due_date < today)
        .order_by(Obligation.due_date, Obligation.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
        .cte("claimed")
    )
    ids = list(
        await session.scalars(
            update(Obligation)
            .where(Obligation.id.in_(select(claimed.c.id)))
            .values(status="overdue", updated_at=func.now())
            .returning(Obligation.id)
        )
    )
    return await by_ids(session, ids)


@dataclass(frozen=True)
class ObligationFilter:
    as_of: dt.date
    statuses: tuple[str, ...] = ()  # pending | overdue | done | done_late | waived | open
    due_before: dt.date | None = None
    profile: str | None = None
    decision_id: int | None = None


# Undated obligations sort last: the key matches the index ix_obligations_due_key.
_INFINITY: ColumnElement[dt.date] = literal_column("'infinity'::date", Date)
_DUE_KEY = func.coalesce(Obligation.due_date, _INFINITY)


def _status_condition(status: str, as_of: dt.date) -> Any:
    is_open = Obligation.status.in_(_OPEN)
    if status == "open":
        return is_open
    if status == "overdue":
        return and_(is_open, Obligation.due_date < as_of)
    if status == "pending":
        return and_(is_open, or_(Obligation.due_date >= as_of, Obligation.due_date.is_(None)))
    return Obligation.status == status


async def page(
    session: AsyncSession,
    where: ObligationFilter,
    after: tuple[dt.date | None, int] | None,
    limit: int,
) -> list[Obligation]:
    """Earliest due date first, then id; undated ones last. Keyset on that order (the index
    ix_obligations_due_key, or ix_obligations_profile_due_key for one profile)."""
    query = select(Obligation)
    if where.statuses:
        query = query.where(or_(*(_status_condition(s, where.as_of) for s in where.statuses)))
    if where.due_before is not None:
        query = query.where(Obligation.due_date < where.due_before)
    if where.profile is not None:
        query = query.where(Obligation.profile_code == where.profile)
    if where.decision_id is not None:
        query = query.where(Obligation.decision_id == where.decision_id)
    if after is not None:
        due, last_id = after
        bound = _INFINITY if due is None else literal(due, Date)
        query = query.where(tuple_(_DUE_KEY, Obligation.id) > tuple_(bound, literal(last_id)))
    query = query.order_by(_DUE_KEY, Obligation.id).limit(limit)
    return list(await session.scalars(query))


async def open_of_profile(
    session: AsyncSession, profile: str, limit: int
) -> list[tuple[Obligation, Decision]]:
    rows = await session.execute(
        select(Obligation, Decision)
        .join(Decision, Decision.id == Obligation.decision_id)
        .where(
            Obligation.profile_code == profile,
            Obligation.status.in_(_OPEN),
            Obligation.due_date.is_not(None),
        )
        .order_by(_DUE_KEY, Obligation.id)
        .limit(limit)
    )
    return [(o, d) for o, d in rows.all()]


async def move_counts(session: AsyncSession, ids: Sequence[int]) -> dict[int, int]:
    """How many times each obligation's due date was moved (its record of changes)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(ObligationChange.obligation_id, func.count())
        .where(ObligationChange.obligation_id.in_(ids))
        .group_by(ObligationChange.obligation_id)
    )
    return {int(i): int(n) for i, n in rows}


async def any_completed(session: AsyncSession, decision_id: int) -> bool:
    found = await session.scalar(
        select(Obligation.id)
        .where(
            Obligation.decision_id == decision_id,
            Obligation.status.in_(("done", "done_late")),
        )
        .limit(1)
    )
    return found is not None
