"""Use cases that change the calendar: adjustments and year status. Each change is audited;
the database bumps the calendar revision and every replica reloads (see calendar_state)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import CalendarAdjustment, CalendarNotice, CalendarYear
from app.db.repositories import audit, feed
from app.db.repositories import calendar as repo
from app.db.repositories import notices as notices_repo
from app.domain.calendar import AdjustmentKind, AdjustmentStatus, CalendarSnapshot
from app.domain.errors import Conflict, DomainError, NotFound
from app.services.calendar_notices import YearChange, calendar_changed, day_changes
from app.services.obligations import snapshot_in_transaction


async def announce(
    session: AsyncSession,
    before: CalendarSnapshot,
    *,
    culture_day_compensatory: bool,
    action: Literal["adjustment", "year"],
    entity_id: str,
    dates: Sequence[dt.date] = (),
    years: Sequence[int] = (),
) -> CalendarSnapshot:
    """After a single adjustment or a year's status changed in this transaction: one
    `calendar.changed` event in the change feed with the day and year diff (as a notice's
    change has), when anything changed; returns the calendar the transaction now sees, to
    re-date obligations on."""
    after = await snapshot_in_transaction(session, culture_day_compensatory)
    days = day_changes(before, after, sorted(dates), {})
    moved = [
        YearChange(y, y in before.provisional_years, y in after.provisional_years)
        for y in sorted(set(years))
        if (y in before.provisional_years) != (y in after.provisional_years)
    ]
    if days or moved:
        entity = "calendar_adjustment" if action == "adjustment" else "calendar_year"
        await feed.append(
            session,
            [calendar_changed(action, entity, entity_id, None, after.revision, days, moved)],
        )
    return after


# What runs once the transaction is committed (a reload of this replica's state).
AfterCommit = Callable[[], Awaitable[object]]


async def add_adjustment(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    *,
    date: dt.date,
    kind: AdjustmentKind,
    name_vi: str,
    name_en: str,
    source: str,
    status: AdjustmentStatus,
    actor: str,
) -> tuple[CalendarAdjustment, int]:
    """Record an adjustment; returns it with the calendar revision it creates."""
    day = calendar.day(date)  # refuses dates outside the supported range
    if await repo.by_date(session, date) is not None:
        raise Conflict(
            f"{date.isoformat()} already has an adjustment; delete it first to replace it",
            field="date",
        )
    if kind is AdjustmentKind.DAY_OFF and not day.working:
        raise DomainError(
            f"{date.isoformat()} is already a day off ({day.kind.value}): a swap_off "
            "adjustment would change nothing",
            field="date",
        )
    if kind is AdjustmentKind.WORKING_DAY and day.working:
        raise DomainError(
            f"{date.isoformat()} is already a working day: a swap_working adjustment would "
            "change nothing",
            field="date",
        )
    row = await repo.add(
        session,
        CalendarAdjustment(
            date=date,
            kind=kind.value,
            name_vi=name_vi,
            name_en=name_en,
            source=source,
            status=status.value,
            created_by=actor,
        ),
    )
    await audit.record(
        session,
        actor=actor,
        action="create",
        entity="calendar_adjustment",
        entity_id=date.isoformat(),
        detail={"kind": kind.value, "source": source, "status": status.value},
    )
    return row, await repo.revision(session)


async def remove_adjustment(session: AsyncSession, date: dt.date, actor: str) -> int:
    """Withdraw an adjustment recorded on its own. An entry of a notice is refused: removing
    it alone would leave half a swap, and the notice in force would no longer say what the
    calendar does; the notice is withdrawn or corrected as a whole
    (app/services/calendar_notices.py)."""
    held = await repo.by_date(session, date)
    if held is not None and held.notice_id is not None:
        notice = await session.get(CalendarNotice, held.notice_id)
        number = notice.number if notice is not None else str(held.notice_id)
        raise Conflict(
            f"{date.isoformat()} is entry {held.entry} of notice {number}: withdraw the notice "
            f"(DELETE /v1/calendar/notices/{number}) or import a corrected version of it",
            field="date",
        )
    row = await repo.remove(session, date)
    if row is None:
        raise NotFound(f"no adjustment on {date.isoformat()}", field="date")
    await audit.record(
        session,
        actor=actor,
        action="delete",
        entity="calendar_adjustment",
        entity_id=date.isoformat(),
        detail={"kind": row.kind, "source": row.source, "name_vi": row.name_vi},
    )
    return await repo.revision(session)


async def set_year(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    year: int,
    *,
    provisional: bool,
    note: str,
    actor: str,
) -> int:
    if not calendar.first.year <= year <= calendar.last.year:
        raise DomainError(
            f"{year} is outside the supported years {calendar.first.year}..{calendar.last.year}",
            field="year",
        )
    await repo.upsert_year(session, year, provisional, note)
    await audit.record(
        session,
        actor=actor,
        action="update",
        entity="calendar_year",
        entity_id=str(year),
        detail={"provisional": provisional, "note": note},
    )
    return await repo.revision(session)


async def adjustments(
    session: AsyncSession, start: dt.date | None, end: dt.date | None
) -> list[CalendarAdjustment]:
    """The official adjustments recorded, in [start, end] when given."""
    return await repo.list_adjustments(session, start, end)


async def adjustment(session: AsyncSession, date: dt.date) -> CalendarAdjustment | None:
    """The adjustment recorded on `date`, if any."""
    return await repo.by_date(session, date)


async def years(session: AsyncSession) -> list[CalendarYear]:
    """Each year's decision status."""
    return await repo.list_years(session)


async def commit(session: AsyncSession, after_commit: AfterCommit | None) -> None:
    """End the use case's one transaction, then run what must follow it (this replica's
    snapshot rebuilt at once; the others follow by NOTIFY)."""
    await session.commit()
    if after_commit is not None:
        await after_commit()


@dataclass(frozen=True)
class YearView:
    """What the year's calendar rests on: its recorded adjustments (date order), its decision
    status when recorded, and the notices (latest version of each) that decide it."""

    adjustments: list[CalendarAdjustment]
    status: CalendarYear | None
    notices: list[CalendarNotice]


async def year_view(session: AsyncSession, year: int) -> YearView:
    adjustments = await repo.list_adjustments(session, dt.date(year, 1, 1), dt.date(year, 12, 31))
    status = next((y for y in await repo.list_years(session) if y.year == year), None)
    return YearView(adjustments, status, await notices_repo.listing(session, year))
