"""Queries on the calendar tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.notices import CalendarNotice as Notice
from app.data.notices import with_placements
from app.db.models import CalendarAdjustment, CalendarNotice, CalendarRevision, CalendarYear
from app.domain.calendar import Adjustment, AdjustmentKind, AdjustmentStatus, YearStatus


def to_domain(row: CalendarAdjustment) -> Adjustment:
    return Adjustment(
        date=row.date,
        kind=AdjustmentKind(row.kind),
        name_vi=row.name_vi,
        name_en=row.name_en,
        source=row.source,
        status=AdjustmentStatus(row.status),
    )


async def revision(session: AsyncSession) -> int:
    value = await session.scalar(select(CalendarRevision.revision).where(CalendarRevision.id == 1))
    return int(value or 0)


async def lock_revision(session: AsyncSession) -> int:
    """Hold the revision row for the rest of the transaction: calendar changes run one at a
    time, and each reads the calendar the previous one committed."""
    value = await session.scalar(
        select(CalendarRevision.revision).where(CalendarRevision.id == 1).with_for_update()
    )
    return int(value or 0)


async def settle_revision(session: AsyncSession, revision: int) -> None:
    """Make a change of several statements (each bumping the revision) one revision: set it to
    `revision` if it moved past it. Only under lock_revision, so no other change interleaves."""
    await session.execute(
        update(CalendarRevision)
        .where(CalendarRevision.id == 1, CalendarRevision.revision > revision)
        .values(revision=revision)
    )


async def revision_at(session: AsyncSession) -> tuple[int, dt.datetime]:
    """The revision and when it was made (the triggers set both)."""
    row = (
        await session.execute(
            select(CalendarRevision.revision, CalendarRevision.changed_at).where(
                CalendarRevision.id == 1
            )
        )
    ).one()
    return int(row[0]), row[1]


async def load(session: AsyncSession) -> tuple[int, list[Adjustment], list[YearStatus]]:
    """Everything a snapshot is built from, read in one transaction so it is consistent: the
    years carry the decided notices in force that place their Tết and Quốc khánh days."""
    rev = await revision(session)
    adjustments = [to_domain(r) for r in await session.scalars(select(CalendarAdjustment))]
    in_force = await session.scalars(
        select(CalendarNotice.document).where(
            CalendarNotice.current,
            CalendarNotice.withdrawn_at.is_(None),
            CalendarNotice.status == "decided",
        )
    )
    years = with_placements(
        (
            YearStatus(year=y.year, provisional=y.provisional, note=y.note)
            for y in await session.scalars(select(CalendarYear))
        ),
        [Notice.model_validate(document) for document in in_force],
    )
    return rev, adjustments, years


async def list_adjustments(
    session: AsyncSession, start: dt.date | None, end: dt.date | None
) -> list[CalendarAdjustment]:
    query = select(CalendarAdjustment).order_by(CalendarAdjustment.date)
    if start is not None:
        query = query.where(CalendarAdjustment.date >= start)
    if end is not None:
        query = query.where(CalendarAdjustment.date <= end)
    return list(await session.scalars(query))


async def by_date(session: AsyncSession, day: dt.date) -> CalendarAdjustment | None:
    return await session.scalar(select(CalendarAdjustment).where(CalendarAdjustment.date == day))


async def add(session: AsyncSession, row: CalendarAdjustment) -> CalendarAdjustment:
    session.add(row)
    await session.flush()
    return row


async def remove(session: AsyncSession, day: dt.date) -> CalendarAdjustment | None:
    row = await by_date(session, day)
    if row is not None:
        await session.execute(delete(CalendarAdjustment).where(CalendarAdjustment.id == row.id))
    return row


async def list_years(session: AsyncSession) -> list[CalendarYear]:
    return list(await session.scalars(select(CalendarYear).order_by(CalendarYear.year)))


async def upsert_year(session: AsyncSession, year: int, provisional: bool, note: str) -> None:
    row = await session.get(CalendarYear, year)
    if row is None:
        session.add(CalendarYear(year=year, provisional=provisional, note=note))
    else:
        row.provisional, row.note = provisional, note
    await session.flush()
