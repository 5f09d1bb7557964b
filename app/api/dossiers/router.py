"""Dossier clocks: the portal's stateless appointment (one or a batch), and dossiers whose
events integrators push, with their derived state, a status-filtered list and the change feed.

POST routes read their body themselves (one TypeAdapter pass) and answer with JSON built
directly; the request schemas are documented through `openapi_extra`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, status
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.dossiers import present as j
from app.api.dossiers import schemas as s
from app.api.kit import conditional, deps, idempotency
from app.api.kit import cursor as pager
from app.api.kit.body_limit import body_limit
from app.api.kit.clock import NowDep, now_of
from app.api.kit.conditional import RECORD
from app.api.kit.cursor import CursorQuery
from app.api.kit.deps import ReadAccess, SessionDep, WriteAccess, current_calendar
from app.api.kit.endpoint import adapter, fast_endpoint, inline_schema, parameter
from app.api.kit.idempotency import IdempotencyKey
from app.api.kit.problems import validation_errors
from app.api.kit.responses import JSONBody
from app.api.wire.dates import IsoDateTime
from app.api.wire.problem import invalid_item, item_problem
from app.data.dossiers import office_schedules
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import Channel, DossierFlag, DossierStatus
from app.domain.errors import DomainError
from app.runtime.memo import ReferenceMemo
from app.services import dossiers

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])

MAX_BODY = 64 * 1024
MAX_BATCH_BODY = 8 * 1024 * 1024  # 10 000 items of a few hundred bytes each, with room
LIST_LIMIT = 100
APPOINTMENT_IN = adapter(s.AppointmentIn)

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}


def _problems(**described: str) -> dict[int | str, dict[str, Any]]:
    codes = {"not_found": 404, "conflict": 409, "invalid": 422, "unavailable": 503}
    return {codes[k]: {"description": v, "content": _PROBLEM} for k, v in described.items()}


_INVALID_APPOINTMENT = (
    "Bad input, `errors[].field` naming it: a date-time without an offset "
    "(`received_at`), a processing time ≤ 0, absurd or not in its unit's steps "
    "(`processing.amount`), an unknown unit or schedule, a date outside the supported calendar."
)
_WRITE: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API key, or an unknown one", "content": _PROBLEM},
    403: {"description": "The key lacks the scope `write`", "content": _PROBLEM},
}


async def current_snapshot(request: Request) -> CalendarSnapshot:
    """The calendar snapshot, without the read-access check of CalendarDep (write routes have
    their own: a write key need not also carry the compute scope)."""
    state = request.app.state.runtime.calendar
    snapshot: CalendarSnapshot | None = state.snapshot if state is not None else None
    if snapshot is None:
        raise deps.not_loaded("The calendar is")
    return snapshot


SnapshotDep = Annotated[CalendarSnapshot, Depends(current_snapshot)]
DossierId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The dossier's id.")]


# -- the stateless appointment ----------------------------------------------------------------

_APPOINTMENT_EXAMPLES = {
    "tuesday": {
        "summary": "Tuesday 09:00, 3 working days → Friday 09:00",
        "value": {
            "received_at": "2024-03-05T09:00:00+07:00",
            "processing": {"amount": 3, "unit": "working_days"},
        },
    },
    "by_session": {
        "summary": "Appointments by session (AM/PM), half a day",
        "value": {
            "received_at": "2024-03-05T09:00:00+07:00",
            "processing": {"amount": 0.5, "unit": "working_days"},
            "schedule": "by-session",
        },
    },
}


@fast_endpoint(
    router,
    "POST",
    "/appointment",
    context=current_calendar,
    body=s.AppointmentIn,
    response=s.AppointmentResult,
    max_body=MAX_BODY,
    memo=ReferenceMemo(size=8192),
    memo_key=lambda calendar: (calendar, office_schedules()),
    examples=_APPOINTMENT_EXAMPLES,
    summary="The appointment for a dossier received now: when the result is due, and why",
    description="Stateless (nothing is stored). The receipt day is not counted (Civil Code "
    "2015 Art. 147): N working days end on the N-th working day after it, at the time the "
    "clock started; a receipt after hours, before opening, between sessions or on a day off "
    "counts from the next opening. Working hours count within the office's windows; calendar "
    "days end at 24:00 of the last day, moved to the next working day when that is a day off "
    "(Art. 148(5)). `received_at` must carry an offset: a naive date-time is refused (422).",
    responses=_problems(invalid=_INVALID_APPOINTMENT, unavailable="The calendar is not loaded"),
)
def appointment(calendar: CalendarSnapshot, item: s.AppointmentIn) -> s.AppointmentResult:
    # Answers remembered by request body for the calendar and office schedules in force: the
    # portal asks for the same receipt instant and processing time for every dossier of that
    # moment. A reload of either (a new object) starts the memo afresh.
    processing = item["processing"]
    found = dossiers.appointment(
        item["received_at"],
        processing["amount"],
        processing["unit"],
        item.get("schedule", "default"),
        calendar,
    )
    return j.appointment_value(found)


def _batch(
    items: list[Any], with_trace: bool, calendar: CalendarSnapshot
) -> list[s.AppointmentBatchItem | s.AppointmentBatchError]:
    results: list[s.AppointmentBatchItem | s.AppointmentBatchError] = []
    for index, raw in enumerate(items):
        prefix = f"items[{index}]"
        try:
            item = APPOINTMENT_IN.validate_python(raw)
        except ValidationError as exc:
            errors = validation_errors(exc.errors())
            for error in errors:
                error["field"] = f"{prefix}.{error['field']}" if error["field"] else prefix
            results.append({"index": index, "error": invalid_item(errors)})
            continue
        processing = item["processing"]
        try:
            found = dossiers.appointment(
                item["received_at"],
                processing["amount"],
                processing["unit"],
                item.get("schedule", "default"),
                calendar,
            )
        except DomainError as error:
            results.append({"index": index, "error": item_problem(error, prefix)})
            continue
        results.append(j.batch_item_value(index, found, with_trace))
    return results


def _batch_body() -> dict[str, Any]:
    """The batch body, its items documented as appointment requests (they are validated one
    by one, so that a bad item fails alone)."""
    schema = inline_schema(adapter(s.AppointmentBatchIn))
    schema["properties"]["items"]["items"] = inline_schema(APPOINTMENT_IN)
    return schema


@fast_endpoint(
    router,
    "POST",
    "/appointment/batch",
    context=current_calendar,
    body=s.AppointmentBatchIn,
    response=s.AppointmentBatchResult,
    max_body=MAX_BATCH_BODY,
    summary=f"Up to {s.MAX_BATCH:,} appointments at once; results in order, bad items isolated",
    description="Each item is an appointment request. Results come in the order of the items; "
    "an item that cannot be answered gets `{index, error}` with the problem a single request "
    "would get (`errors[].field` like `items[3].received_at`) and never fails the batch. "
    "`include_trace` adds each result's trace.",
    responses=_problems(
        invalid="The batch itself is malformed (not an object, more than 10 000 items)",
        unavailable="The calendar is not loaded",
    )
    | {413: {"description": "Body over 8 MiB", "content": _PROBLEM}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": _batch_body(),
                    "examples": {
                        "mixed": {
                            "summary": "A good item and a naive date-time",
                            "value": {
                                "items": [
                                    _APPOINTMENT_EXAMPLES["tuesday"]["value"],
                                    {
                                        "received_at": "2024-03-05T09:00:00",
                                        "processing": {"amount": 3, "unit": "working_days"},
                                    },
                                ]
                            },
                        }
                    },
                }
            },
        }
    },
)
async def appointment_batch(
    calendar: CalendarSnapshot, body: s.AppointmentBatchIn
) -> s.AppointmentBatchResult:
    with_trace = body.get("include_trace", False)
    # Item by item in the domain: off the event loop, so a large batch does not stall others.
    results = await run_in_threadpool(_batch, body["items"], with_trace, calendar)
    return {"calendar_revision": calendar.revision, "results": results}


# -- dossiers ---------------------------------------------------------------------------------

_DOSSIER_EXAMPLE = {
    "office": "ubnd-phuong-1",
    "code": "H12.34-240305-0001",
    "procedure_code": "1.001234",
    "processing": {"amount": 3, "unit": "working_days"},
    "received_at": "2024-03-05T09:00:00+07:00",
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=s.DossierOut,
    summary="Record a received dossier (scope write; Idempotency-Key)",
    description="Stores the dossier and its `received` event, derives its clock, and appends "
    "`dossier.created` to the change feed. The code is unique within the office (409). "
    "A retry with the same Idempotency-Key and body returns the first response; another body "
    "with the same key is refused (422).",
    responses=_problems(
        conflict="The office already has a dossier with this code (`code`)",
        invalid=_INVALID_APPOINTMENT + " Also: a receipt in the future, a code with blank ends.",
    )
    | _WRITE,
    dependencies=[body_limit(MAX_BODY)],
)
async def create_dossier(
    body: Annotated[
        s.DossierIn,
        Body(openapi_examples={"dossier": {"summary": "A dossier", "value": _DOSSIER_EXAMPLE}}),
    ],
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    calendar: SnapshotDep,
    now: NowDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        processing = body.get("processing")
        view = await dossiers.create_dossier(
            session,
            calendar,
            dossiers.NewDossier(
                office=body["office"],
                code=body["code"],
                procedure_code=body.get("procedure_code"),
                schedule=body.get("schedule", "default"),
                amount=processing["amount"] if processing else None,
                unit=processing["unit"] if processing else None,
                received_at=body["received_at"],
                note=body.get("note"),
                channel=body.get("channel", Channel.COUNTER),
            ),
            actor=principal.actor,
            now=now,
            histories=request.app.state.runtime.dossier_histories,
        )
        created = s.DossierOut.model_validate(j.dossier_value(view))
        response = JSONBody(created.model_dump_json(), status_code=201)
        response.headers["Location"] = f"/v1/dossiers/{view.dossier.id}"
        return response

    return await idempotency.run(request, session, principal, idempotency_key, handler)


_EVENT_EXAMPLES: dict[str, Any] = {
    "pause": {
        "summary": "A pause and its end",
        "value": {
            "events": [
                {"kind": "paused", "at": "2024-03-06T10:00:00+07:00"},
                {"kind": "resumed", "at": "2024-03-06T15:00:00+07:00"},
            ]
        },
    },
    "reappointed": {
        "summary": "Apology and new appointment",
        "value": {
            "events": [
                {
                    "kind": "reappointed",
                    "at": "2024-03-07T16:00:00+07:00",
                    "new_due_at": "2024-03-12T09:00:00+07:00",
                }
            ]
        },
    },
}


@dataclass(frozen=True, slots=True)
class _Appending:
    """An events request's caller, dossier, Idempotency-Key, calendar and clock, checked in
    the order the route's dependencies are."""

    request: Request
    principal: deps.Principal
    dossier_id: int
    idempotency_key: str | None
    calendar: CalendarSnapshot
    now: dt.datetime


_DOSSIER_ID = adapter(DossierId)
_IDEMPOTENCY_KEY = adapter(IdempotencyKey)


async def _appending(request: Request) -> _Appending:
    principal = await deps.write_caller(request)
    dossier_id = parameter(request.path_params.get("dossier_id"), "dossier_id", _DOSSIER_ID)
    key = parameter(request.headers.get("idempotency-key"), "Idempotency-Key", _IDEMPOTENCY_KEY)
    calendar = await current_snapshot(request)
    return _Appending(request, principal, dossier_id, key, calendar, await now_of(request))


def _event_parameters(dossier_id: DossierId, idempotency_key: IdempotencyKey = None) -> None:
    """The route's parameters, for its documentation and for the router's own check."""


@fast_endpoint(
    router,
    "POST",
    "/{dossier_id}/events",
    context=_appending,
    body=s.EventsIn,
    response=s.DossierEventsAppended,
    max_body=MAX_BODY,
    examples=_EVENT_EXAMPLES,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(deps.write_access), Depends(_event_parameters)],
    summary="Append clock events (scope write; Idempotency-Key)",
    description="The events are validated in order after the recorded ones (the dossier's "
    "whole history is folded): an event before the previous one, a resumption without a "
    "pause, anything after `completed`, a supplement request on a stopped clock… are refused "
    "(422, `errors[].field` like `events[0].kind`), a second re-appointment is a conflict "
    "(409, ND 61/2018 Art. 19(9)); nothing is written then. Each event appends "
    "`dossier.event` to the feed, and a status change `dossier.status_changed`.",
    responses=_problems(
        not_found="No such dossier",
        conflict="A second re-appointment (at most one per dossier)",
        invalid="Events out of order or impossible in the clock's state, a date-time without "
        "an offset or in the future, new_due_at missing or misplaced, over 200 events.",
    )
    | _WRITE,
)
async def append_events(appending: _Appending, body: s.EventsIn) -> Response:
    # Served by the hot lane: an ingest is a small body and one statement, so the route's
    # dependency resolution would cost more than the write (bench/bench_http_dossiers.py).
    request, dossier_id = appending.request, appending.dossier_id
    runtime = request.app.state.runtime
    new = [
        dossiers.NewEvent(e["kind"], e["at"], e.get("new_due_at"), e.get("note"))
        for e in body["events"]
    ]

    def created(appended: dossiers.Appended) -> Response:
        location = {"Location": f"/v1/dossiers/{dossier_id}"}
        return JSONBody(j.appended_json(appended), status_code=201, headers=location)

    if appending.idempotency_key is None:  # the append is all the request writes
        return created(
            await dossiers.append_events_alone(
                runtime.sessionmaker,
                appending.calendar,
                dossier_id,
                new,
                actor=appending.principal.actor,
                now=appending.now,
                histories=runtime.dossier_histories,
                appends=runtime.dossier_appends,
            )
        )
    async with runtime.sessionmaker() as session:

        async def handler() -> Response:
            return created(
                await dossiers.append_events(
                    session,
                    appending.calendar,
                    dossier_id,
                    new,
                    actor=appending.principal.actor,
                    now=appending.now,
                    histories=runtime.dossier_histories,
                )
            )

        response = await idempotency.run(
            request, session, appending.principal, appending.idempotency_key, handler
        )
        await session.commit()
    return response


@router.get(
    "/by-code",
    response_model=s.DossierOut,
    summary="A dossier found by its office and code (mã hồ sơ), as GET /v1/dossiers/{id}",
    description="The same answer as GET /v1/dossiers/{id}, with `Content-Location` naming it.",
    responses=_problems(
        not_found="The office has no dossier with this code",
        invalid="`as_of` without an offset, before the last event or outside the calendar",
    ),
)
async def get_dossier_by_code(
    session: SessionDep,
    _: ReadAccess,
    calendar: SnapshotDep,
    now: NowDep,
    office: Annotated[str, Query(min_length=1, max_length=100, examples=["ubnd-phuong-1"])],
    code: Annotated[str, Query(min_length=1, max_length=100, examples=["H12.34-240305-0001"])],
    as_of: Annotated[
        IsoDateTime | None,
        Query(description="Date-time with offset; not before the last event. Default: now."),
    ] = None,
) -> Response:
    dossier_id = await dossiers.dossier_id_by_code(session, office, code)
    answer = await get_dossier(dossier_id, session, _, calendar, now, as_of)
    answer.headers["Content-Location"] = f"/v1/dossiers/{dossier_id}"
    return answer


@router.get(
    "/{dossier_id}",
    response_model=s.DossierOut,
    summary="A dossier: its timeline and its clock as of now or `as_of`",
    description="The state is derived afresh from the events with the calendar in force: "
    "status, due, elapsed and remaining working time (ISO 8601 durations and minutes), the "
    "apology deadline, flags and the trace. `persisted` is what the list filters on.",
    responses=_problems(
        not_found="No such dossier",
        invalid="`as_of` without an offset, before the last event or outside the calendar",
    ),
)
async def get_dossier(
    dossier_id: DossierId,
    session: SessionDep,
    _: ReadAccess,
    calendar: SnapshotDep,
    now: NowDep,
    as_of: Annotated[
        IsoDateTime | None,
        Query(description="Date-time with offset; not before the last event. Default: now."),
    ] = None,
) -> Response:
    view = await dossiers.get_dossier(session, calendar, dossier_id, as_of=as_of, now=now)
    body = s.DossierOut.model_validate(j.dossier_value(view)).model_dump_json().encode()
    # Derived as of now (remaining time): the tag is the bytes' own.
    return JSONBody(body, headers=conditional.headers(conditional.content_tag(body), RECORD))


@router.get(
    "",
    response_model=s.DossierPage,
    summary="Dossiers by id, filtered by status, flag and office (keyset pagination)",
    description="`status` filters on the persisted status, kept current by every write and by "
    "the scanner (on_time → due_soon → overdue), so it may lag by one scanner interval; "
    "GET /v1/dossiers/{id} derives the state afresh. `flag` keeps the dossiers that carry "
    "every flag given, e.g. `flag=supplement_breach`: a second supplement request (Nghị định "
    "118/2025/NĐ-CP Điều 11 khoản 2 điểm c), or `flag=acceptance_missed`: an online dossier "
    "not answered within 8 working hours (Điều 17 khoản 2 điểm c).",
)
async def list_dossiers(
    session: SessionDep,
    _: ReadAccess,
    status_: Annotated[
        list[DossierStatus] | None,
        Query(alias="status", description="Repeat for several statuses."),
    ] = None,
    flag: Annotated[
        list[DossierFlag] | None,
        Query(description="Repeat for several: a dossier must carry them all."),
    ] = None,
    office: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = LIST_LIMIT,
) -> s.DossierPage:
    after = int(pager.decode(cursor, "dossiers", (int,))[0]) if cursor else 0
    page = await dossiers.list_dossiers(
        session, statuses=status_ or [], flags=flag or [], office=office, after=after, limit=limit
    )
    return s.DossierPage.model_validate(j.page_value(page))
