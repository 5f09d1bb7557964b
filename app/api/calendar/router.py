"""The working-day calendar: days, holidays, add/count working days, revision, iCalendar,
and the official adjustments ops keep current."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from starlette.responses import Response

from app.api.calendar import ics
from app.api.calendar import schemas as s
from app.api.kit import conditional, idempotency
from app.api.kit.conditional import DECIDED, PROVISIONAL
from app.api.kit.deps import (
    AdminAccess,
    CalendarDep,
    ReadAccess,
    RuntimeDep,
    SessionDep,
    current_calendar,
)
from app.api.kit.endpoint import Encoded, adapter, fast_endpoint
from app.api.kit.idempotency import IdempotencyKey
from app.api.kit.responses import JSONBody
from app.api.wire.dates import IsoDate
from app.api.wire.trace import encoded_calendar_step, with_trace
from app.domain.calendar import CalendarSnapshot
from app.domain.calendar.explain import SpanStep, add_trace, count_trace
from app.domain.errors import DomainError, NotFound
from app.runtime import Runtime
from app.runtime.memo import ReferenceMemo
from app.services import calendar_admin, recompute

router = APIRouter(prefix="/v1/calendar", tags=["calendar"])
# add/count: the portal's hottest reads, in a router of their own so that they are matched
# first (routes are matched one by one, in order).
hot_router = APIRouter(prefix="/v1/calendar", tags=["calendar"])

MAX_SPAN_DAYS = 731  # two years per page of days; ask again for more
ADD_RESULT = adapter(s.AddResult)
COUNT_RESULT = adapter(s.CountResult)
YearQ = Annotated[int, Query(ge=1900, le=2200, description="Gregorian year")]


@router.get("/days/{date}", response_model=s.Day, summary="One day: working or not, and why")
async def day(
    date: Annotated[IsoDate, Path(description="ISO 8601 date")],
    calendar: CalendarDep,
    response: Response,
) -> s.Day:
    found = calendar.day(date)
    conditional.tag_calendar(response, calendar.revision, found.provisional)
    return s.Day.of(found)


@router.get("/days", response_model=s.Days, summary="Days in [from, to], at most two years")
async def days(
    calendar: CalendarDep,
    response: Response,
    start: Annotated[IsoDate, Query(alias="from", description="first day, included")],
    end: Annotated[IsoDate, Query(alias="to", description="last day, included")],
) -> s.Days:
    if end < start:
        raise DomainError("'to' is before 'from'", field="to")
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        raise DomainError(f"at most {MAX_SPAN_DAYS} days per request", field="to")
    conditional.tag_calendar(response, calendar.revision, calendar.provisional_between(start, end))
    return s.Days(
        items=[s.Day.of(d) for d in calendar.days(start, end)],
        calendar_revision=calendar.revision,
    )


def _year_bounds(calendar: CalendarSnapshot, year: int) -> tuple[dt.date, dt.date]:
    if not calendar.first.year <= year <= calendar.last.year:
        raise DomainError(
            f"{year} is outside the supported years {calendar.first.year}..{calendar.last.year}",
            field="year",
        )
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@router.get(
    "/holidays",
    response_model=s.Holidays,
    summary="A year's holidays, compensatory days, swapped days off and make-up working days",
)
async def holidays(year: YearQ, calendar: CalendarDep, response: Response) -> s.Holidays:
    first, last = _year_bounds(calendar, year)
    conditional.tag_calendar(response, calendar.revision, calendar.provisional_between(first, last))
    return s.Holidays(
        year=year,
        provisional=calendar.provisional_between(first, last),
        calendar_revision=calendar.revision,
        items=[s.Day.of(d) for d in calendar.notable_days(first, last)],
    )


@fast_endpoint(
    hot_router,
    "GET",
    "/working-days/add",
    context=current_calendar,
    query=s.AddQuery,
    response=s.AddResult,
    memo=ReferenceMemo(size=8192),
    memo_key=lambda calendar: (calendar,),
    headers=lambda calendar, answer: conditional.calendar_answer_headers(calendar.revision, answer),
    summary="The |days|-th working day after (before) start, start excluded",
)
def add_working_days(calendar: CalendarSnapshot, asked: s.AddQuery) -> Encoded:
    answer, steps = add_answer(calendar, asked["start"], asked["days"])
    return Encoded(with_trace(ADD_RESULT.dump_json(answer), map(encoded_calendar_step, steps)))


def add_answer(
    calendar: CalendarSnapshot, start: dt.date, days: int
) -> tuple[s.AddResult, list[SpanStep]]:
    """The answer with its trace left empty, and the trace's steps."""
    result = calendar.add_working_days(start, days)
    answer: s.AddResult = {
        "start": start,
        "days": days,
        "result": result,
        "provisional": calendar.provisional_between(start, result),
        "calendar_revision": calendar.revision,
        "trace": [],
    }
    return answer, add_trace(calendar, start, days, result)


@fast_endpoint(
    hot_router,
    "GET",
    "/working-days/count",
    context=current_calendar,
    query=s.CountQuery,
    response=s.CountResult,
    memo=ReferenceMemo(size=8192),
    memo_key=lambda calendar: (calendar,),
    headers=lambda calendar, answer: conditional.calendar_answer_headers(calendar.revision, answer),
    summary="Working days in (start, end]: start excluded, end included",
)
def count_working_days(calendar: CalendarSnapshot, asked: s.CountQuery) -> Encoded:
    answer, steps = count_answer(calendar, asked["start"], asked["end"])
    return Encoded(with_trace(COUNT_RESULT.dump_json(answer), map(encoded_calendar_step, steps)))


def count_answer(
    calendar: CalendarSnapshot, start: dt.date, end: dt.date
) -> tuple[s.CountResult, list[SpanStep]]:
    """The answer with its trace left empty, and the trace's steps."""
    count = calendar.count_working_days(start, end)
    answer: s.CountResult = {
        "start": start,
        "end": end,
        "count": count,
        "provisional": calendar.provisional_between(start, end),
        "calendar_revision": calendar.revision,
        "trace": [],
    }
    return answer, count_trace(calendar, start, end, count)


@router.get("/revision", response_model=s.Revision, summary="The calendar revision in force")
async def revision(calendar: CalendarDep, response: Response) -> s.Revision:
    conditional.tag_calendar(response, calendar.revision, provisional=True)  # briefly fresh
    years = range(calendar.first.year, calendar.last.year + 1)
    return s.Revision(
        calendar_revision=calendar.revision,
        supported_from=calendar.first,
        supported_to=calendar.last,
        provisional_years=[
            y
            for y in years
            if calendar.day(dt.date(y, 6, 30)).provisional  # year-level flag
        ],
    )


# -- adjustments (ops) ----------------------------------------------------------------------


def _adjustment(row: object) -> s.Adjustment:
    return s.Adjustment.model_validate(row, from_attributes=True)


@router.get("/adjustments", response_model=s.Adjustments, summary="Official adjustments")
async def list_adjustments(
    session: SessionDep,
    _: ReadAccess,
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
) -> s.Adjustments:
    return s.Adjustments(
        items=[_adjustment(r) for r in await calendar_admin.adjustments(session, start, end)]
    )


@router.get(
    "/adjustments/{date}",
    response_model=s.Adjustment,
    summary="One adjustment (the Location of a created one)",
)
async def get_adjustment(date: IsoDate, session: SessionDep, _: ReadAccess) -> s.Adjustment:
    row = await calendar_admin.adjustment(session, date)
    if row is None:
        raise NotFound(f"no adjustment on {date.isoformat()}", field="date")
    return _adjustment(row)


async def _before(runtime: Runtime, session: SessionDep) -> CalendarSnapshot:
    """The calendar as this transaction sees it before its change (the snapshot in force may
    lag another replica's change by up to a second)."""
    return await recompute.snapshot_in_transaction(
        session, runtime.settings.culture_day_compensatory
    )


async def _recompute_obligations(
    runtime: Runtime,
    session: SessionDep,
    actor: str,
    before: CalendarSnapshot,
    day: dt.date,
) -> None:
    """Announce the day's change (calendar.changed), then re-date the open obligations on
    the changed calendar, once, in this transaction."""
    snapshot = await calendar_admin.announce(
        session,
        before,
        culture_day_compensatory=runtime.settings.culture_day_compensatory,
        action="adjustment",
        entity_id=day.isoformat(),
        dates=[day],
    )
    if runtime.catalog is not None and runtime.catalog.catalog is not None:
        await recompute.recompute_after_calendar_change(
            session,
            snapshot,
            runtime.catalog.catalog,
            actor,
            catalog_revision=runtime.catalog.revision,
        )


async def _publish(runtime: Runtime, session: SessionDep) -> None:
    """Commit, then rebuild this replica's snapshot at once (the others follow by NOTIFY)."""
    await calendar_admin.commit(
        session, runtime.calendar.refresh if runtime.calendar is not None else None
    )


@router.post(
    "/adjustments",
    response_model=s.AdjustmentCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Record an official day off or make-up working day (scope admin; Idempotency-Key)",
    responses={409: {"description": "The date already has an adjustment"}},
)
async def create_adjustment(
    body: s.AdjustmentIn,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    calendar: CalendarDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        before = await _before(runtime, session)
        row, new_revision = await calendar_admin.add_adjustment(
            session,
            calendar,
            **body.model_dump(exclude={"kind"}),
            kind=s.adjustment_kind(body.kind),
            actor=principal.actor,
        )
        await _recompute_obligations(runtime, session, principal.actor, before, row.date)
        created = s.AdjustmentCreated(
            **_adjustment(row).model_dump(), calendar_revision=new_revision
        )
        return JSONBody(
            created.model_dump_json(),
            status_code=status.HTTP_201_CREATED,
            headers={"Location": f"/v1/calendar/adjustments/{row.date.isoformat()}"},
        )

    response = await idempotency.run(request, session, principal, key, handler)
    await _publish(runtime, session)
    return response


@router.delete(
    "/adjustments/{date}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw an adjustment (scope admin; audited)",
    responses={409: {"description": "The day is an entry of a notice: withdraw the notice"}},
)
async def delete_adjustment(
    date: IsoDate,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
) -> Response:
    before = await _before(runtime, session)
    await calendar_admin.remove_adjustment(session, date, principal.actor)
    await _recompute_obligations(runtime, session, principal.actor, before, date)
    await _publish(runtime, session)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/years", response_model=s.Years, summary="Decision status of each year")
async def list_years(session: SessionDep, _: ReadAccess) -> s.Years:
    return s.Years(
        items=[
            s.Year(year=y.year, provisional=y.provisional, note=y.note)
            for y in await calendar_admin.years(session)
        ]
    )


@router.put(
    "/years/{year}",
    response_model=s.Year,
    summary="Mark a year's schedule decided or provisional (scope admin; audited; Idempotency-Key)",
)
async def put_year(
    year: Annotated[int, Path(ge=1900, le=2200)],
    body: s.YearIn,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    calendar: CalendarDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        before = await _before(runtime, session)
        new_revision = await calendar_admin.set_year(
            session,
            calendar,
            year,
            provisional=body.provisional,
            note=body.note,
            actor=principal.actor,
        )
        await calendar_admin.announce(
            session,
            before,
            culture_day_compensatory=runtime.settings.culture_day_compensatory,
            action="year",
            entity_id=str(year),
            years=[year],
        )
        saved = s.Year(
            year=year, provisional=body.provisional, note=body.note, calendar_revision=new_revision
        )
        return JSONBody(saved.model_dump_json())

    response = await idempotency.run(request, session, principal, key, handler)
    await _publish(runtime, session)
    return response


# -- iCalendar ------------------------------------------------------------------------------

ics_router = APIRouter(tags=["calendar"])


@ics_router.get(
    "/v1/calendar.ics",
    response_class=Response,
    summary="iCalendar feed of a year's days off and make-up working days",
    responses={200: {"content": {"text/calendar": {}}}},
)
async def calendar_ics(year: YearQ, calendar: CalendarDep, request: Request) -> Response:
    first, last = _year_bounds(calendar, year)
    entries = [
        ics.IcsEntry(
            uid=f"{d.date.isoformat()}-{d.kind.value}@vn-deadlines",
            day=d.date,
            summary=f"{d.name_vi} ({d.name_en})" if d.name_en else (d.name_vi or d.kind.value),
            description=(
                ("Ngày làm việc (làm bù)" if d.working else "Ngày nghỉ")
                + f" — {d.kind.value}. Nguồn/source: {d.source or '-'}"
                + (". Tạm tính/provisional" if d.provisional else "")
            ),
            categories=(d.kind.value,),
            tentative=d.provisional,
        )
        for d in calendar.notable_days(first, last)
    ]
    revision = ics.calendar_revision(request, calendar.revision)
    body = ics.render(f"Lịch làm việc {year} (rev {calendar.revision})", entries, revision)
    answer = ics.response(body, f"calendar-{year}.ics")
    policy = PROVISIONAL if calendar.provisional_between(first, last) else DECIDED
    conditional.tag(answer, answer.headers["etag"], policy)
    return answer
