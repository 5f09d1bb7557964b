"""The console's due-and-overdue board: obligations (with their decision) and dossiers by due
date, and the values its filters offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, and_, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Decision, Dossier, Obligation
from app.db.models.decisions import stored_decision_level

_OPEN_OBLIGATION = ("pending", "overdue")
_OPEN_DOSSIER = ("on_time", "due_soon", "overdue")
_CLOSED_DOSSIER = ("completed_early", "completed_on_time", "completed_late", "closed")
# Undated obligations last: the same key as ix_obligations_due_key, so the index serves it.
_DUE_KEY = func.coalesce(Obligation.due_date, literal_column("'infinity'::date", Date))


@dataclass(frozen=True)
class BoardFilter:
    as_of: dt.date
    status: str = "open"  # open | overdue | pending | closed
    profile: str | None = None
    issuer: str | None = None
    level: str | None = None
    office: str | None = None


@dataclass(frozen=True)
class DueObligation:
    obligation: Obligation
    decision_number: str
    issuer: str
    level: str


def _obligation_status(status: str, as_of: dt.date) -> Any:
    is_open = Obligation.status.in_(_OPEN_OBLIGATION)
    if status == "overdue":
        return and_(is_open, Obligation.due_date < as_of)
    if status == "pending":
        return and_(is_open, or_(Obligation.due_date >= as_of, Obligation.due_date.is_(None)))
    if status == "closed":
        return Obligation.status.not_in(_OPEN_OBLIGATION)
    return is_open


async def obligations(session: AsyncSession, where: BoardFilter, limit: int) -> list[DueObligation]:
    """The earliest due first. A filter on the decision (issuer, level) is a semi-join that
    also carries the profile: with the profile on both sides PostgreSQL may AND two bitmap
    scans once per decision, which costs seconds at 10 000 obligations
    (bench/bench_console.py). The decisions of the rows kept are read afterwards by id."""
    query = select(Obligation).where(_obligation_status(where.status, where.as_of))
    if where.issuer is not None or where.level is not None:
        chosen = select(Decision.id)
        if where.issuer is not None:
            chosen = chosen.where(Decision.issuer == where.issuer)
        if where.level is not None:
            chosen = chosen.where(Decision.level == stored_decision_level(where.level))
        if where.profile is not None:
            chosen = chosen.where(Decision.profile_code == where.profile)
        query = query.where(Obligation.decision_id.in_(chosen))
    elif where.profile is not None:
        query = query.where(Obligation.profile_code == where.profile)
    rows = list(await session.scalars(query.order_by(_DUE_KEY, Obligation.id).limit(limit)))
    ids = {o.decision_id for o in rows}
    decisions = (
        {
            d.id: d
            for d in await session.execute(
                select(Decision.id, Decision.number, Decision.issuer, Decision.level).where(
                    Decision.id.in_(ids)
                )
            )
        }
        if ids
        else {}
    )
    return [
        DueObligation(
            o,
            decisions[o.decision_id].number,
            decisions[o.decision_id].issuer,
            decisions[o.decision_id].level,
        )
        for o in rows
    ]


def _dossier_statuses(status: str) -> tuple[str, ...]:
    """Statuses as persisted by the last write or scanner pass (ND 118/2025 Art. 19)."""
    return {
        "overdue": ("overdue",),
        "pending": ("on_time", "due_soon"),
        "closed": _CLOSED_DOSSIER,
    }.get(status, _OPEN_DOSSIER)


async def dossiers(session: AsyncSession, where: BoardFilter, limit: int) -> list[Dossier]:
    query = select(Dossier).where(Dossier.status.in_(_dossier_statuses(where.status)))
    if where.office is not None:
        query = query.where(Dossier.office == where.office)
    order = (Dossier.due_at.asc().nulls_last(), Dossier.id)
    return list((await session.scalars(query.order_by(*order).limit(limit))).all())


async def issuers(session: AsyncSession, limit: int = 200) -> list[str]:
    rows = await session.scalars(
        select(Decision.issuer).distinct().order_by(Decision.issuer).limit(limit)
    )
    return list(rows)


async def offices(session: AsyncSession, limit: int = 200) -> list[str]:
    rows = await session.scalars(
        select(Dossier.office).distinct().order_by(Dossier.office).limit(limit)
    )
    return list(rows)
