"""The reporting calendar: a profile's periodic reports and monthly duties, their data cut-off
windows and due dates per level, what is due next, and an iCalendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from app.api.calendar import ics
from app.api.kit import conditional
from app.api.kit.conditional import DECIDED, PROVISIONAL
from app.api.kit.deps import CalendarDep, ReadAccess, RuntimeDep, not_loaded
from app.api.reporting import schemas as s
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.local_time import VIETNAM
from app.domain.errors import DomainError, OutOfRange
from app.domain.reporting import (
    Level,
    Occurrence,
    ReportingCatalog,
    occurrences_between,
    period_schedule,
    upcoming,
    year_schedule,
)

router = APIRouter(prefix="/v1", tags=["reporting"])


def reporting_catalog(runtime: RuntimeDep) -> ReportingCatalog:
    """The reporting calendar of the stored profile documents (followed like the catalog)."""
    state = runtime.catalog
    if state is None or state.reporting is None:
        raise not_loaded("The reporting calendar is")
    return state.reporting


CatalogDep = Annotated[ReportingCatalog, Depends(reporting_catalog)]

ProfileQ = Annotated[
    str,
    Query(
        min_length=1,
        max_length=100,
        description="A jurisdiction profile, e.g. quang-nam-2024, national, nghe-an-2023.",
        examples=["quang-nam-2024"],
    ),
]
LevelQ = Annotated[
    Level | None,
    Query(
        description="Only this administrative level; every level of the profile when absent. "
        "The district level ends on 2025-07-01 (two-tier local government)."
    ),
]
YearQ = Annotated[int, Query(ge=1900, le=2200, description="Gregorian year", examples=[2024])]

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown profile", "content": _PROBLEM},
    422: {
        "description": "Bad input: unknown level, a year outside the supported calendar, a "
        "level that does not exist in the period (e.g. district after 2025-07-01); the "
        "`errors` list names the field.",
        "content": _PROBLEM,
    },
}


@router.get(
    "/reporting/schedule",
    response_model=s.ReportSchedule,
    summary="A profile's periodic reports and monthly duties for a year or one period",
    description="Each period with its data cut-off window (ND 09/2019 Art. 12), the due date "
    "of every level with its flags (day off and the roll applied, cut-off too close, "
    "provisional), trace, citations and the interpretations made. Give `year` or `period`.",
    responses=PROBLEMS,
)
async def schedule(
    profile: ProfileQ,
    calendar: CalendarDep,
    catalog: CatalogDep,
    _: ReadAccess,
    level: LevelQ = None,
    year: Annotated[
        int | None, Query(ge=1900, le=2200, description="The whole year", examples=[2024])
    ] = None,
    period: Annotated[
        str | None,
        Query(
            max_length=10,
            description="One period instead of a year: 2025-Q3, 2024-M03, 2024-H2, 2024-9M, "
            "2024-Y (2024-03 and 2024 are read as 2024-M03 and 2024-Y).",
            examples=["2025-Q3"],
        ),
    ] = None,
) -> s.ReportSchedule:
    if year is not None and period is not None:
        raise DomainError("give either 'year' or 'period', not both", field="period")
    if period is not None:
        found = period_schedule(calendar, catalog, profile, period, level)
    elif year is not None:
        found = year_schedule(calendar, catalog, profile, year, level)
    else:
        raise DomainError("give 'year' (or 'period')", field="year")
    return s.ReportSchedule.of(found, catalog.profile(found.profile))


@router.get(
    "/reporting/next",
    response_model=s.UpcomingReports,
    summary="The next due date(s) of each recurring duty, with the days left",
    responses=PROBLEMS,
)
async def next_due(
    profile: ProfileQ,
    calendar: CalendarDep,
    catalog: CatalogDep,
    _: ReadAccess,
    level: LevelQ = None,
    as_of: Annotated[
        dt.date | None,
        Query(description="Count from this day (included); today in Asia/Ho_Chi_Minh if absent."),
    ] = None,
    count: Annotated[int, Query(ge=1, le=24, description="Occurrences per duty and level.")] = 1,
) -> s.UpcomingReports:
    day = as_of if as_of is not None else dt.datetime.now(VIETNAM).date()
    found = upcoming(calendar, catalog, profile, day, level, count)
    return s.UpcomingReports.of(found, catalog.profile(found.profile), count, calendar.revision)


def _year_span(calendar: CalendarSnapshot, year: int) -> tuple[dt.date, dt.date]:
    if not calendar.first.year <= year <= calendar.last.year:
        raise OutOfRange(
            f"{year} is outside the supported calendar {calendar.first.year}..{calendar.last.year}",
            field="year",
        )
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _entry(catalog: ReportingCatalog, o: Occurrence) -> ics.IcsEntry:
    level = catalog.levels[o.level]
    lines = [f"{o.deadline.phrase}", f"Hạn/due: {o.due_date.isoformat()}"]
    if o.day_off is not None:
        name = o.day_off.name_vi or o.day_off.kind.value
        lines.append(
            f"Ngày {o.nominal_date.isoformat()} là ngày nghỉ ({name}); "
            f"roll {o.day_off.roll.value} → {o.day_off.rolled_to.isoformat()}"
        )
    if o.cutoff is not None:
        window = o.cutoff.window
        lines.append(f"Số liệu/data: {window.start.isoformat()} → {window.end.isoformat()}")
    if o.flags:
        lines.append(f"Flags: {', '.join(o.flags)}")
    lines += [f"Căn cứ/source: {c.document}, {c.article}" for c in o.citations[:1]]
    lines.append(f"Calendar revision {o.calendar_revision}")
    return ics.IcsEntry(
        uid=f"{o.uid}@vn-deadlines",
        day=o.due_date,
        summary=f"[{level.name_vi}] {o.duty.title_vi} — {o.period.label_vi}",
        description="\n".join(lines),
        categories=(o.duty.code, o.level.value, *o.flags),
        tentative=o.provisional,
    )


@router.get(
    "/reporting.ics",
    response_class=Response,
    summary="iCalendar feed of a profile's reports and monthly duties due in a year",
    responses={200: {"content": {"text/calendar": {}}}, **PROBLEMS},
)
async def reporting_ics(
    profile: ProfileQ,
    year: YearQ,
    calendar: CalendarDep,
    catalog: CatalogDep,
    _: ReadAccess,
    request: Request,
    level: LevelQ = None,
) -> Response:
    chosen = catalog.profile(profile)
    first, last = _year_span(calendar, year)
    found = occurrences_between(calendar, catalog, chosen.code, first, last, level)
    who = f" — {catalog.levels[level].name_vi}" if level is not None else ""
    name = f"Báo cáo định kỳ {year} — {chosen.name_vi}{who} (rev {calendar.revision})"
    revision = ics.calendar_revision(request, calendar.revision)
    body = ics.render(name, (_entry(catalog, o) for o in found), revision)
    suffix = f"-{level.value}" if level is not None else ""
    answer = ics.response(body, f"reporting-{chosen.code}-{year}{suffix}.ics")
    policy = PROVISIONAL if calendar.provisional_between(first, last) else DECIDED
    conditional.tag(answer, answer.headers["etag"], policy)
    return answer
