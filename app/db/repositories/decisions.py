"""Queries on publication decisions and the procedures they publish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Date,
    and_,
    case,
    delete,
    exists,
    func,
    literal,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Decision, DecisionProcedure, Obligation

_OPEN = ("pending", "overdue")


async def insert_decision(session: AsyncSession, values: Mapping[str, Any]) -> Decision | None:
    """The new decision, or None when the issuer already has a decision with that number
    (unique key: a concurrent duplicate waits for the first to commit, then gets None)."""
    return await session.scalar(
        insert(Decision)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["issuer", "number"])
        .returning(Decision)
    )


async def get(session: AsyncSession, decision_id: int, *, lock: bool = False) -> Decision | None:
    query = (
        select(Decision).where(Decision.id == decision_id).execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def number_taken(
    session: AsyncSession, issuer: str, number: str, other_than: int | None = None
) -> bool:
    query = select(Decision.id).where(Decision.issuer == issuer, Decision.number == number)
    if other_than is not None:
        query = query.where(Decision.id != other_than)
    return (await session.scalar(query.limit(1))) is not None


async def update_decision(
    session: AsyncSession, decision_id: int, values: Mapping[str, Any]
) -> Decision:
    await session.execute(
        update(Decision)
        .where(Decision.id == decision_id)
        .values(**values, version=Decision.version + 1, updated_at=func.now())
    )
    row = await get(session, decision_id)
    assert row is not None
    return row


async def delete_decision(session: AsyncSession, decision_id: int) -> None:
    await session.execute(delete(Decision).where(Decision.id == decision_id))


_ADD_PROCEDURES = text(
    """
    INSERT INTO decision_procedures (decision_id, procedure_code, position, name, action)
    SELECT :decision_id, code, position, name, action
    FROM unnest(
        CAST(:codes AS text[]), CAST(:positions AS integer[]), CAST(:names AS text[]),
        CAST(:actions AS text[])
    ) AS t(code, position, name, action)
    """
)


async def add_procedures(
    session: AsyncSession, decision_id: int, items: Sequence[tuple[str, str, str]]
) -> list[DecisionProcedure]:
    """Record the (code, name, action) items in their order, in one statement; returns them
    as (unattached) rows."""
    if items:
        await session.execute(
            _ADD_PROCEDURES,
            {
                "decision_id": decision_id,
                "codes": [code for code, _, _ in items],
                "positions": list(range(len(items))),
                "names": [name for _, name, _ in items],
                "actions": [action for _, _, action in items],
            },
        )
    return [
        DecisionProcedure(
            decision_id=decision_id, procedure_code=code, position=i, name=name, action=action
        )
        for i, (code, name, action) in enumerate(items)
    ]


async def procedures_of(
    session: AsyncSession, decision_ids: Sequence[int]
) -> dict[int, list[DecisionProcedure]]:
    found: dict[int, list[DecisionProcedure]] = {i: [] for i in decision_ids}
    if not decision_ids:
        return found
    rows = await session.scalars(
        select(DecisionProcedure)
        .where(DecisionProcedure.decision_id.in_(decision_ids))
        .order_by(DecisionProcedure.decision_id, DecisionProcedure.position)
    )
    for row in rows:
        found[row.decision_id].append(row)
    return found


@dataclass(frozen=True)
class DecisionFilter:
    profile: str | None = None
    issuer: str | None = None
    kind: str | None = None
    signed_from: dt.date | None = None
    signed_to: dt.date | None = None
    status: str | None = None  # open (none overdue) | overdue | closed, as of `as_of`
    as_of: dt.date | None = None


def _open_obligation(decision_id: Any, as_of: dt.date | None, *, overdue: bool) -> Any:
    condition = [Obligation.decision_id == decision_id, Obligation.status.in_(_OPEN)]
    if overdue:
        condition.append(Obligation.due_date < as_of)
    return exists().where(*condition)


async def page(
    session: AsyncSession,
    where: DecisionFilter,
    after: tuple[dt.date, int] | None,
    limit: int,
) -> list[Decision]:
    """Newest signing first (then id, newest first): keyset on (signed_on, id)."""
    query = select(Decision)
    if where.profile is not None:
        query = query.where(Decision.profile_code == where.profile)
    if where.issuer is not None:
        query = query.where(Decision.issuer == where.issuer)
    if where.kind is not None:
        query = query.where(Decision.kind == where.kind)
    if where.signed_from is not None:
        query = query.where(Decision.signed_on >= where.signed_from)
    if where.signed_to is not None:
        query = query.where(Decision.signed_on <= where.signed_to)
    if where.status == "open":  # open, none overdue
        query = query.where(
            _open_obligation(Decision.id, where.as_of, overdue=False),
            ~_open_obligation(Decision.id, where.as_of, overdue=True),
        )
    elif where.status == "overdue":
        query = query.where(_open_obligation(Decision.id, where.as_of, overdue=True))
    elif where.status == "closed":
        query = query.where(~_open_obligation(Decision.id, where.as_of, overdue=False))
    if after is not None:
        signed, last_id = after
        query = query.where(
            tuple_(Decision.signed_on, Decision.id)
            < tuple_(literal(signed, Date), literal(last_id))
        )
    query = query.order_by(Decision.signed_on.desc(), Decision.id.desc()).limit(limit)
    return list(await session.scalars(query))


async def obligation_counts(
    session: AsyncSession, decision_ids: Sequence[int], as_of: dt.date
) -> dict[int, dict[str, int]]:
    """Obligations per status as of a day (open ones past their due date count as overdue)."""
    counts: dict[int, dict[str, int]] = {i: {} for i in decision_ids}
    if not decision_ids:
        return counts
    status = case(
        (and_(Obligation.status.in_(_OPEN), Obligation.due_date < as_of), "overdue"),
        (Obligation.status.in_(_OPEN), "pending"),
        else_=Obligation.status,
    )
    rows = await session.execute(
        select(Obligation.decision_id, status, func.count())
        .where(Obligation.decision_id.in_(decision_ids))
        .group_by(Obligation.decision_id, status)
    )
    for decision_id, name, count in rows:
        counts[decision_id][name] = count
    return counts
