"""Profile drafts: a province's plan, pasted, read into a draft profile; reviewed, edited and
published as a profile version (scope admin; audited; followed by every replica)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, status
from starlette.responses import Response

from app.api.kit import cursor as pager
from app.api.kit import idempotency
from app.api.kit.body_limit import body_limit
from app.api.kit.cursor import CursorQuery
from app.api.kit.deps import AdminAccess, RuntimeDep, SessionDep
from app.api.kit.idempotency import IdempotencyKey
from app.api.kit.responses import JSONBody
from app.api.rules import drafts_present as present
from app.api.rules import drafts_schemas as s
from app.api.rules import schemas as rule_schemas
from app.api.rules.catalog_write import write_catalog_change
from app.services import profile_drafts

router = APIRouter(prefix="/v1/profiles/drafts", tags=["rules"])

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
_ANSWERS = {
    401: "No API key",
    403: "The key lacks the admin scope",
    404: "No such draft",
    409: "The draft is published, or changed since the revision given",
    413: "The body is larger than the limit",
    422: "Bad input: an empty or binary text, a text with no plan rows, a header field, or "
    "(publish) a document the catalog cannot load; `errors[].field` names it",
}


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"description": _ANSWERS[code], "content": _PROBLEM} for code in codes}


MAX_DRAFT_BODY = s.MAX_DRAFT_BODY  # the body gate lets POST bodies through up to this size
BodyLimit = body_limit(MAX_DRAFT_BODY)
DraftId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _draft(row: Any, code: int = status.HTTP_200_OK) -> Response:
    body = present.draft_out(row)
    return JSONBody(
        body.model_dump_json(),
        status_code=code,
        headers={"Location": f"/v1/profiles/drafts/{row.id}"},
    )


@router.post(
    "",
    response_model=s.DraftOut,
    status_code=status.HTTP_201_CREATED,
    summary="Read a plan's text into a draft profile (scope admin; audited; Idempotency-Key)",
    description="Each deadline phrase of the plan's time column becomes one rule per deadline "
    "it states, titled with its row's task and keeping the verbatim phrase; each row is "
    "reported as parsed, interpreted (the interpretation stated) or not understood (the part "
    "not read named). Review the draft, edit it with PUT, then publish it.",
    responses=_problems(401, 403, 413, 422),
    dependencies=[BodyLimit],
)
async def create_draft(
    body: s.DraftIn,
    request: Request,
    session: SessionDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        row = await profile_drafts.create(
            session, body.text, body.profile.domain(), principal.actor
        )
        return _draft(row, status.HTTP_201_CREATED)

    return await idempotency.run(request, session, principal, key, handler)


@router.get(
    "",
    response_model=s.DraftPage,
    summary="Profile drafts, newest first (scope admin); keyset pagination",
    responses=_problems(401, 403, 422),
)
async def list_drafts(
    session: SessionDep,
    _: AdminAccess,
    draft_status: Annotated[
        str | None, Query(alias="status", pattern="^(draft|published)$")
    ] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> s.DraftPage:
    after = int(pager.decode(cursor, "drafts", (int,))[0]) if cursor else None
    rows = await profile_drafts.page(session, status=draft_status, after=after, limit=limit)
    return s.DraftPage(
        items=[present.draft_brief(r) for r in rows],
        next_cursor=pager.encode("drafts", rows[-1].id) if len(rows) == limit else None,
    )


@router.get(
    "/{draft_id}",
    response_model=s.DraftOut,
    summary="A profile draft with its rows' report and its document (scope admin)",
    responses=_problems(401, 403, 404, 422),
)
async def get_draft(draft_id: DraftId, session: SessionDep, _: AdminAccess) -> Response:
    return _draft(await profile_drafts.get(session, draft_id))


@router.put(
    "/{draft_id}",
    response_model=s.DraftOut,
    summary="Replace a draft's document (scope admin; audited)",
    description="The whole document, as GET returns it, edited (an anchor named, a title "
    "translated, a rule dropped). It is checked in full when published.",
    responses=_problems(401, 403, 404, 409, 413, 422),
    dependencies=[BodyLimit],
)
async def edit_draft(
    draft_id: DraftId, body: s.DraftEdit, session: SessionDep, principal: AdminAccess
) -> Response:
    row = await profile_drafts.edit(
        session, draft_id, body.document, body.revision, principal.actor
    )
    return _draft(row)


@router.post(
    "/{draft_id}/publish",
    response_model=rule_schemas.ProfileChange,
    status_code=status.HTTP_201_CREATED,
    summary="Publish a draft as a profile version (scope admin; audited; Idempotency-Key)",
    description="Through the catalog's own writes: version 1 of a new profile (201), or the "
    "next version of an existing one (200); checked as every replica will load it.",
    responses=_problems(401, 403, 404, 409, 422)
    | {200: {"description": "A new version", "model": rule_schemas.ProfileChange}},
)
async def publish_draft(
    draft_id: DraftId,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
) -> Response:
    return await write_catalog_change(
        request,
        runtime,
        session,
        principal,
        key,
        lambda: profile_drafts.publish(session, draft_id, principal.actor),
    )
