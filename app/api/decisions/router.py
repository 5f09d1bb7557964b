"""Publication decisions: record one and get its obligations, list, correct, delete."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from starlette.responses import Response

from app.api.decisions import present
from app.api.decisions.schemas import (
    DecisionIn,
    DecisionKind,
    DecisionOut,
    DecisionPage,
    DecisionPatch,
    DecisionStatus,
    ObligationPage,
)
from app.api.kit import cursor as pager
from app.api.kit import idempotency
from app.api.kit.conditional import RECORD
from app.api.kit.cursor import CursorQuery
from app.api.kit.deps import ReadAccess, SessionDep, WriteAccess
from app.api.kit.reference import AsOf, IfMatch, ReferenceDep, precondition_failed, problems
from app.api.kit.responses import JSONBody
from app.api.wire.dates import IsoDate
from app.services import decisions, procedures
from app.services.obligations import today_local

router = APIRouter(tags=["decisions"])
DecisionId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _decision_response(
    view: decisions.DecisionView, status_code: int = 200, *, read: bool = False
) -> Response:
    today = today_local()
    out = present.decision_out(view.decision, view.procedures, view.obligations, today)
    return JSONBody(
        out.model_dump_json(),
        status_code=status_code,
        headers={
            "ETag": procedures.etag_of(view.decision.version, today if read else None),
            "Location": f"/v1/decisions/{view.decision.id}",
        },
    )


@router.post(
    "/v1/decisions",
    response_model=DecisionOut,
    status_code=status.HTTP_201_CREATED,
    summary="Record a publication decision; returns it with every obligation it creates",
    description="The profile's rules for publication decisions (those for the decision's "
    "scope: ministry, province or shortened procedure, in force on the signing date) become "
    "obligations, each with its due date, trace and citation, in one transaction. A duty "
    "chained on another (the electronic process after the internal one is approved) has a "
    "projected due date (`projected: true`) until that one is completed. Procedure codes the "
    "catalog lacks are added; an abolishing decision abolishes its procedures from its "
    "effective date. Retry safely with `Idempotency-Key`. A decision signed outside the "
    "period its profile's rules cover is refused (422, type `outside-profile-period`) with "
    "that period and the profiles that do cover the date, never recorded with the profile's "
    "duties silently dropped.",
    responses=problems(401, 403, 409, 422, 503),
)
async def create_decision(
    body: DecisionIn,
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    ref: ReferenceDep,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        data = decisions.NewDecision(
            number=body.number,
            issuer=body.issuer,
            level=body.level,
            shortened=body.shortened,
            profile=body.profile,
            kind=body.kind.value,
            title=body.title,
            signed_on=body.signed_on,
            effective_on=body.effective_on,
            ministry_list_signed_on=body.ministry_list_signed_on,
            note=body.note,
            procedures=[procedures.PublishedItem(*item) for item in body.actions()],
        )
        view = await decisions.create(session, ref, data, actor=principal.actor)
        return _decision_response(view, status.HTTP_201_CREATED)

    return await idempotency.run(request, session, principal, key, handler)


@router.get(
    "/v1/decisions",
    response_model=DecisionPage,
    summary="Decisions, newest signing first, with filters; keyset pagination",
    responses=problems(422),
)
async def list_decisions(
    session: SessionDep,
    _: ReadAccess,
    profile: Annotated[str | None, Query(max_length=100)] = None,
    issuer: Annotated[str | None, Query(max_length=300)] = None,
    kind: DecisionKind | None = None,
    signed_from: Annotated[IsoDate | None, Query(description="signed on or after")] = None,
    signed_to: Annotated[IsoDate | None, Query(description="signed on or before")] = None,
    decision_status: Annotated[
        DecisionStatus | None,
        Query(alias="status", description="open, overdue (as of `as_of`) or closed"),
    ] = None,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: CursorQuery = None,
) -> Response:
    day = as_of or today_local()
    key = pager.decode(cursor, "decisions", (dt.date, int), legacy=True) if cursor else None
    where = decisions.DecisionFilter(
        profile=profile,
        issuer=" ".join(issuer.split()) if issuer else None,
        kind=kind.value if kind else None,
        signed_from=signed_from,
        signed_to=signed_to,
        status=decision_status.value if decision_status else None,
        as_of=day,
    )
    rows, counts, more = await decisions.page(
        session, where, (key[0], key[1]) if key else None, limit
    )
    page = DecisionPage(
        items=[present.decision_summary(r, counts[r.id], day) for r in rows],
        next_cursor=pager.encode("decisions", rows[-1].signed_on, rows[-1].id) if more else None,
    )
    return JSONBody(page.model_dump_json())


@router.get(
    "/v1/decisions/{decision_id}",
    response_model=DecisionOut,
    summary="A decision with its procedures and obligations",
    responses=problems(404),
)
async def get_decision(decision_id: DecisionId, session: SessionDep, _: ReadAccess) -> Response:
    answer = _decision_response(await decisions.get(session, decision_id), read=True)
    answer.headers["Cache-Control"] = RECORD.cache_control
    return answer


@router.get(
    "/v1/decisions/{decision_id}/obligations",
    response_model=ObligationPage,
    summary="A decision's obligations, with their traces",
    responses=problems(404),
)
async def decision_obligations(
    decision_id: DecisionId, session: SessionDep, _: ReadAccess, as_of: AsOf = None
) -> Response:
    view = await decisions.get(session, decision_id)
    day = as_of or today_local()
    page = ObligationPage(
        items=[
            present.obligation_out(o, view.decision.profile_code, day) for o in view.obligations
        ],
        next_cursor=None,
        as_of=day,
    )
    return JSONBody(page.model_dump_json())


@router.patch(
    "/v1/decisions/{decision_id}",
    response_model=DecisionOut,
    summary="Correct a decision: a corrected date re-dates its open obligations",
    description="Each moved due date is recorded (see the obligation's `changes`) and "
    "emitted as `obligation.rescheduled`; completed obligations keep theirs. A correction that "
    "changes which rules apply is refused (409): delete the decision and record it again.",
    responses=problems(401, 403, 404, 409, 412, 422, 503),
)
async def update_decision(
    decision_id: DecisionId,
    body: DecisionPatch,
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    ref: ReferenceDep,
    if_match: IfMatch = None,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        try:
            view = await decisions.update(
                session,
                ref,
                decision_id,
                body.changes(),
                if_match=if_match,
                actor=principal.actor,
                today=today_local(),
            )
        except procedures.PreconditionFailed as error:
            raise precondition_failed(error) from None
        return _decision_response(view)

    return await idempotency.run(request, session, principal, key, handler)


@router.delete(
    "/v1/decisions/{decision_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a decision and its obligations, while none is completed",
    responses=problems(401, 403, 404, 409, 412),
)
async def delete_decision(
    decision_id: DecisionId,
    session: SessionDep,
    principal: WriteAccess,
    if_match: IfMatch = None,
) -> Response:
    try:
        await decisions.delete(session, decision_id, if_match=if_match, actor=principal.actor)
    except procedures.PreconditionFailed as error:
        raise precondition_failed(error) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)
