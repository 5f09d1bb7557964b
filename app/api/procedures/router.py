"""The procedure catalog: upsert with ETag / If-Match, list, one with its decision history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, status
from starlette.responses import Response

from app.api.decisions.schemas import PROCEDURE_CODE
from app.api.kit import conditional, idempotency
from app.api.kit import cursor as pager
from app.api.kit.conditional import RECORD
from app.api.kit.cursor import CursorQuery
from app.api.kit.deps import ReadAccess, SessionDep, WriteAccess
from app.api.kit.reference import AsOf, IfMatch, precondition_failed, problems
from app.api.kit.responses import JSONBody
from app.api.procedures import present
from app.api.procedures.schemas import (
    ProcedureDetail,
    ProcedureIn,
    ProcedureOut,
    ProcedurePage,
    ProcedureStatus,
)
from app.domain.levels import Level
from app.services import procedures
from app.services.obligations import today_local

router = APIRouter(tags=["procedures"])

Code = Annotated[
    str, Path(pattern=PROCEDURE_CODE, description="National procedure code", examples=["1.001234"])
]


@router.put(
    "/v1/procedures/{code}",
    response_model=ProcedureOut,
    summary="Create or replace a catalog entry (201 created, 200 replaced or unchanged)",
    description="Replacing an existing entry needs the ETag you read as `If-Match` (428 "
    "without it, 412 with a stale one; both carry the current ETag), so two writers never "
    "silently overwrite each other. `If-None-Match: *` creates only; a new code needs no "
    "precondition. An identical body changes nothing (no new version, no event). Retry safely "
    "with `Idempotency-Key`.",
    responses={
        201: {"description": "Created", "model": ProcedureOut},
        **problems(401, 403, 412, 422, 428),
    },
)
async def put_procedure(
    code: Code,
    body: ProcedureIn,
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    if_match: IfMatch = None,
    if_none_match: Annotated[
        str | None, Header(alias="If-None-Match", description="`*`: create only")
    ] = None,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        try:
            done = await procedures.upsert(
                session,
                code,
                body.values(),
                if_match=if_match,
                if_none_match=if_none_match,
                actor=principal.actor,
            )
        except procedures.PreconditionFailed as error:
            raise precondition_failed(error) from None
        out = present.procedure_out(done.procedure, today_local())
        return JSONBody(
            out.model_dump_json(),
            status_code=status.HTTP_201_CREATED if done.created else status.HTTP_200_OK,
            headers={
                "ETag": procedures.etag_of(done.procedure.version),
                "Location": f"/v1/procedures/{code}",
            },
        )

    return await idempotency.run(request, session, principal, key, handler)


@router.get(
    "/v1/procedures",
    response_model=ProcedurePage,
    summary="The procedure catalog in code order, filtered; keyset pagination",
    responses=problems(422),
)
async def list_procedures(
    session: SessionDep,
    _: ReadAccess,
    procedure_status: Annotated[
        ProcedureStatus | None, Query(alias="status", description="as of `as_of`")
    ] = None,
    field: Annotated[str | None, Query(max_length=300)] = None,
    level: Level | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="name contains")] = (
        None
    ),
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: CursorQuery = None,
) -> Response:
    day = as_of or today_local()
    key = pager.decode(cursor, "procedures", (str,), legacy=True)[0] if cursor else None
    where = procedures.ProcedureFilter(
        as_of=day,
        status=procedure_status.value if procedure_status else None,
        field=field,
        level=level.value if level else None,
        name_contains=q,
    )
    rows, more = await procedures.page(session, where, key, limit)
    page = ProcedurePage(
        items=[present.procedure_out(r, day) for r in rows],
        next_cursor=pager.encode("procedures", rows[-1].code) if more else None,
    )
    return JSONBody(page.model_dump_json())


@router.get(
    "/v1/procedures/{code}",
    response_model=ProcedureDetail,
    summary="One catalog entry with the decisions that published it and its versions",
    responses=problems(404, 422),
)
async def get_procedure(
    code: Code, session: SessionDep, _: ReadAccess, as_of: AsOf = None
) -> Response:
    view = await procedures.get(session, code)
    day = as_of or today_local()
    out = present.procedure_detail(view.procedure, view.decisions, view.versions, day)
    etag = procedures.etag_of(view.procedure.version, day)
    return JSONBody(out.model_dump_json(), headers=conditional.headers(etag, RECORD))
