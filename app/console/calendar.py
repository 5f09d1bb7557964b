"""The working calendar of a year: twelve month grids coloured by kind of day, the year's
adjustments, and (admins) marking the year's schedule decided."""

from __future__ import annotations

import calendar as months
import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.console import reference
from app.console.web import AnyPage, Page, ReadPage, form_text, today
from app.domain.calendar import DayInfo, DayKind
from app.domain.errors import DomainError
from app.domain.keys import Scope
from app.services import calendar_admin, recompute

router = APIRouter(include_in_schema=False)
Year = Annotated[int, Path(ge=1900, le=2200)]


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[DayInfo | None]]  # Monday first; None pads the first and last week


def _months(days: list[DayInfo], year: int) -> list[Month]:
    by_date = {d.date: d for d in days}
    grid = months.Calendar(firstweekday=0)
    return [
        Month(
            m,
            [
                [by_date.get(day) if day.month == m else None for day in week]
                for week in grid.monthdatescalendar(year, m)
            ],
        )
        for m in range(1, 13)
    ]


@router.get("/calendar")
async def this_year(page: ReadPage) -> Response:
    return page.redirect(f"/calendar/{today().year}")


@router.get("/calendar/{year}")
async def year_page(page: ReadPage, year: Year) -> Response:
    snapshot = reference.calendar(page.runtime)
    if not snapshot.first.year <= year <= snapshot.last.year:
        page.flash.append(("error", f"{year}: {snapshot.first.year}..{snapshot.last.year}"))
        year = min(max(year, snapshot.first.year), snapshot.last.year)
    days = list(snapshot.days(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    async with page.runtime.sessionmaker() as session:
        view = await calendar_admin.year_view(session, year)
    if page.request.query_params.get("done"):
        page.flash.append(("ok", page.t("done")))
    return page.render(
        "calendar.html",
        year=year,
        months=_months(days, year),
        kinds=list(DayKind),
        adjustments=view.adjustments,
        status=view.status,
        notices=view.notices,
        provisional=any(d.provisional for d in days),
        first=snapshot.first.year,
        last=snapshot.last.year,
    )


@router.post("/calendar/{year}/decided")
async def mark_decided(page: AnyPage, year: Year) -> Response:
    """PUT /v1/calendar/years/{year} from a form: the same use case, then the obligations are
    re-dated on the changed calendar and this replica reloads it."""
    principal = page.need(Scope.ADMIN)
    note = await form_text(page, "note")
    snapshot = reference.calendar(page.runtime)
    async with page.runtime.sessionmaker() as session:
        try:
            if not 3 <= len(note) <= 500:
                raise DomainError("note: 3 to 500 characters (the deciding document)", field="note")
            before = await recompute.snapshot_in_transaction(
                session, page.runtime.settings.culture_day_compensatory
            )
            await calendar_admin.set_year(
                session, snapshot, year, provisional=False, note=note, actor=principal.actor
            )
            await calendar_admin.announce(
                session,
                before,
                culture_day_compensatory=page.runtime.settings.culture_day_compensatory,
                action="year",
                entity_id=str(year),
                years=[year],
            )
            await _redate(page, session, principal.actor)
            await session.commit()
        except DomainError as error:
            await session.rollback()
            page.flash.append(("error", f"{page.t('error')}: {error.detail}"))
            return await year_page(page, year)
    if page.runtime.calendar is not None:
        await page.runtime.calendar.refresh()
    return page.redirect(f"/calendar/{year}?done=1")


async def _redate(page: Page, session: AsyncSession, actor: str) -> None:
    """As the API does after a calendar change (app/services/recompute.py)."""
    state = page.runtime.catalog
    if state is None or state.catalog is None:
        return
    fresh = await recompute.snapshot_in_transaction(
        session, page.runtime.settings.culture_day_compensatory
    )
    await recompute.recompute_after_calendar_change(
        session, fresh, state.catalog, actor, catalog_revision=state.revision
    )
