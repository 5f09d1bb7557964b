"""The due-and-overdue board: obligations and dossiers in one list by due date, each with the
working days left (or late), counted on the calendar in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Obligation
from app.db.repositories import board as repo
from app.db.repositories.board import BoardFilter
from app.domain.calendar import CalendarSnapshot
from app.domain.errors import DomainError
from app.domain.obligations import ObligationStatus
from app.domain.obligations.status import status_as_of

__all__ = ["BoardFilter", "BoardRow", "Choices", "choices", "rows", "status_of"]

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class BoardRow:
    kind: str  # obligation | dossier
    id: int
    what_vi: str
    what_en: str
    whom: str  # the decision (number, issuer) or the office
    due: dt.date | None
    status: str
    working_days: int | None  # > 0 left, 0 due today, < 0 late; None without a date
    citation: str | None
    confidence: str | None
    parent_id: int | None  # the decision of an obligation
    due_at: dt.datetime | None = None  # a dossier's due instant (an obligation is due a day)


@dataclass(frozen=True)
class Choices:
    issuers: list[str]
    offices: list[str]


def working_days_to(calendar: CalendarSnapshot, today: dt.date, due: dt.date | None) -> int | None:
    """Working days from today to the due day: left (working days after today up to and
    including the due day), or late (working days after the due day up to and including today,
    negated). None when there is no date or it lies outside the calendar's years."""
    if due is None:
        return None
    try:
        return calendar.count_working_days(today, due)
    except DomainError:
        return None


async def rows(
    session: AsyncSession, calendar: CalendarSnapshot, where: BoardFilter, kind: str, limit: int
) -> list[BoardRow]:
    """At most `limit` rows, earliest due first (undated last). Filters on a decision
    (profile, issuer, level) keep dossiers out; a filter on the office keeps obligations out."""
    found: list[BoardRow] = []
    decision_filter = where.profile or where.issuer or where.level
    if kind in ("", "obligation") and where.office is None:
        for item in await repo.obligations(session, where, limit):
            o = item.obligation
            found.append(
                BoardRow(
                    kind="obligation",
                    id=o.id,
                    what_vi=o.title_vi,
                    what_en=o.title_en,
                    whom=f"{item.decision_number} — {item.issuer}",
                    due=o.due_date,
                    status=status_as_of(ObligationStatus(o.status), o.due_date, where.as_of),
                    working_days=working_days_to(calendar, where.as_of, o.due_date),
                    citation=o.citation,
                    confidence=o.confidence,
                    parent_id=o.decision_id,
                )
            )
    if kind in ("", "dossier") and not decision_filter:
        for d in await repo.dossiers(session, where, limit):
            due = d.due_at.astimezone(ZONE).date() if d.due_at else None
            what = d.procedure_code or d.code
            found.append(
                BoardRow(
                    kind="dossier",
                    id=d.id,
                    what_vi=f"{d.code} · {what}",
                    what_en=f"{d.code} · {what}",
                    whom=d.office,
                    due=due,
                    status=d.status,
                    working_days=working_days_to(calendar, where.as_of, due),
                    citation=None,
                    confidence=None,
                    parent_id=None,
                    due_at=d.due_at,
                )
            )
    found.sort(key=lambda r: (r.due or dt.date.max, r.kind, r.id))
    return found[:limit]


async def choices(session: AsyncSession) -> Choices:
    return Choices(await repo.issuers(session), await repo.offices(session))


def status_of(row: Obligation, as_of: dt.date) -> str:
    return status_as_of(ObligationStatus(row.status), row.due_date, as_of)
