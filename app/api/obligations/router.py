"""Obligations: what is due and overdue, completing and waiving duties, an iCalendar feed."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app.api.calendar import ics
from app.api.decisions import present
from app.api.decisions.schemas import (
    CompleteIn,
    ObligationOut,
    ObligationPage,
    WaiveIn,
)
from app.api.kit import conditional, idempotency
from app.api.kit import cursor as pager
from app.api.kit.conditional import RECORD
from app.api.kit.cursor import CursorQuery
from app.api.kit.deps import ReadAccess, SessionDep, WriteAccess
from app.api.kit.reference import AsOf, ReferenceDep, problems
from app.api.kit.responses import JSONBody
from app.api.wire.dates import IsoDate
from app.domain.errors import NotFound
from app.services import obligations
from app.services.obligations import today_local

router = APIRouter(tags=["obligations"])

ObligationId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ICS_LIMIT = 5000


class StatusFilter(StrEnum):
    PENDING = "pending"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"
    WAIVED = "waived"
    OPEN = "open"  # pending or overdue


def _one(view: obligations.ObligationView, as_of: dt.date) -> Response:
    out = present.obligation_out(view.obligation, view.profile, as_of, changes=view.changes)
    return JSONBody(out.model_dump_json())


@router.get(
    "/v1/obligations",
    response_model=ObligationPage,
    summary="Obligations by due date (earliest first), filtered; keyset pagination",
    description="`status` is evaluated as of `as_of` (default today in Asia/Ho_Chi_Minh): an "
    "open obligation is overdue from the day after its due date. Repeat `status` for several. "
    "`due_before` is strict. Traces are left out unless `trace=true`.",
    responses=problems(422),
)
async def list_obligations(
    session: SessionDep,
    _: ReadAccess,
    status: Annotated[list[StatusFilter] | None, Query()] = None,
    due_before: Annotated[IsoDate | None, Query(description="due strictly before")] = None,
    profile: Annotated[str | None, Query(max_length=100)] = None,
    decision_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    as_of: AsOf = None,
    trace: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: CursorQuery = None,
) -> Response:
    day = as_of or today_local()
    key = pager.decode(cursor, "obligations", (dt.date, int), legacy=True) if cursor else None
    where = obligations.ObligationFilter(
        as_of=day,
        statuses=tuple(s.value for s in status or ()),
        due_before=due_before,
        profile=profile,
        decision_id=decision_id,
    )
    rows, more = await obligations.page(session, where, (key[0], key[1]) if key else None, limit)
    last = rows[-1] if rows else None
    page = ObligationPage(
        items=[present.obligation_out(o, o.profile_code, day, trace=trace) for o in rows],
        next_cursor=pager.encode("obligations", last.due_date, last.id) if more and last else None,
        as_of=day,
    )
    return JSONBody(page.model_dump_json())


@router.get(
    "/v1/obligations.ics",
    response_class=Response,
    summary="iCalendar feed of a profile's open obligations (one all-day entry per due date)",
    responses={200: {"content": {"text/calendar": {}}}, **problems(404, 422)},
)
async def obligations_ics(
    session: SessionDep,
    _: ReadAccess,
    ref: ReferenceDep,
    profile: Annotated[str, Query(min_length=1, max_length=100, examples=["quang-nam-2024"])],
) -> Response:
    try:
        ref.catalog.profile(profile)
    except NotFound as error:
        raise NotFound(error.detail, field="profile") from None
    rows = await obligations.open_of_profile(session, profile, ICS_LIMIT)
    moves = await obligations.move_counts(session, [o.id for o, _ in rows])
    entries = []
    for o, d in rows:
        assert o.due_date is not None
        projected = " Dự kiến (projected): tính từ hạn của bước trước." if o.projected else ""
        entries.append(
            ics.IcsEntry(
                uid=f"obligation-{o.id}@vn-deadlines",
                day=o.due_date,
                summary=f"[{d.number}] {o.title_vi}",
                description=(
                    f"{o.title_en}. Quyết định/decision {d.number} ({d.issuer}), ký/signed "
                    f"{d.signed_on.isoformat()}. Quy định/rule {o.rule_code}: {o.citation}."
                    + projected
                ),
                categories=(o.rule_code,),
                tentative=o.provisional or o.projected,
                # SEQUENCE counts the moves of its due date: it grows exactly when DTSTART does.
                changed=ics.Revision(moves.get(o.id, 0), o.updated_at),
            )
        )
    newest = max((o.updated_at for o, _ in rows), default=dt.datetime(2019, 1, 1, tzinfo=dt.UTC))
    revision = ics.Revision(0, newest)
    answer = ics.response(ics.render(f"Nghĩa vụ — {profile}", entries, revision), f"{profile}.ics")
    conditional.tag(answer, answer.headers["etag"], RECORD)
    return answer


@router.get(
    "/v1/obligations/{obligation_id}",
    response_model=ObligationOut,
    summary="One obligation, with its trace and every move of its due date",
    responses=problems(404),
)
async def get_obligation(
    obligation_id: ObligationId, session: SessionDep, _: ReadAccess, as_of: AsOf = None
) -> Response:
    return _one(await obligations.get(session, obligation_id), as_of or today_local())


@router.post(
    "/v1/obligations/{obligation_id}/complete",
    response_model=ObligationOut,
    summary="Complete an obligation: done, or done_late after its due date",
    description="Duties chained on this one get their real due date, counted from "
    "`completed_on` (each move recorded and emitted as `obligation.rescheduled`).",
    responses=problems(401, 403, 404, 409, 422, 503),
)
async def complete(
    obligation_id: ObligationId,
    body: CompleteIn,
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    ref: ReferenceDep,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        today = today_local()
        view = await obligations.complete(
            session,
            ref,
            obligation_id,
            completed_on=body.completed_on,
            evidence=body.evidence,
            actor=principal.actor,
            today=today,
        )
        return _one(view, today)

    return await idempotency.run(request, session, principal, key, handler)


@router.post(
    "/v1/obligations/{obligation_id}/waive",
    response_model=ObligationOut,
    summary="Waive an open obligation, with the reason",
    responses=problems(401, 403, 404, 409, 422),
)
async def waive(
    obligation_id: ObligationId,
    body: WaiveIn,
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        view = await obligations.waive(
            session, obligation_id, reason=body.reason, actor=principal.actor
        )
        return _one(view, today_local())

    return await idempotency.run(request, session, principal, key, handler)
