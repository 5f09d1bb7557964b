"""The office schedules: the hours in which the dossier clock counts at an office, as
versioned documents; ops replace or add one (scope admin, audited, followed by every replica)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, status
from starlette.responses import Response

from app.api.dossiers import schedules_schemas as s
from app.api.dossiers.rules_schemas import DocumentVersions, versions_of
from app.api.kit import idempotency
from app.api.kit.deps import AdminAccess, ReadAccess, RuntimeDep, SessionDep
from app.api.kit.idempotency import IdempotencyKey
from app.api.kit.responses import JSONBody
from app.data.office_schedules import OfficeScheduleDocument
from app.db.models import OfficeScheduleRow
from app.domain.errors import NotFound
from app.services import office_schedules_admin

router = APIRouter(prefix="/v1/office-schedules", tags=["dossiers"])

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such schedule", "content": _PROBLEM}
}
_WRITES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API key", "content": _PROBLEM},
    403: {"description": "The key lacks the admin scope", "content": _PROBLEM},
    409: {"description": "The schedule changed since the version given", "content": _PROBLEM},
    422: {
        "description": "A schedule the clock cannot count with; `errors[].field` names the "
        "place (e.g. `windows[0].closes` for a session ending before it starts, `windows` for "
        "sessions that overlap, `return_by_session` without two sessions a day)",
        "content": _PROBLEM,
    },
}
Code = Annotated[str, Path(max_length=100, examples=["default"])]


def _out(row: OfficeScheduleRow) -> s.OfficeScheduleOut:
    return s.OfficeScheduleOut(
        code=row.code,
        version=row.version,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        document=OfficeScheduleDocument.model_validate(row.document),
    )


@router.get("", response_model=s.OfficeSchedules, summary="The office schedules, by code")
async def list_schedules(session: SessionDep, _: ReadAccess) -> s.OfficeSchedules:
    rows = await office_schedules_admin.documents(session)
    return s.OfficeSchedules(
        items=[_out(row) for row in rows],
        dossier_rules_revision=await office_schedules_admin.revision(session),
    )


@router.get(
    "/{code}",
    response_model=s.OfficeScheduleOut,
    summary="An office schedule (its current version)",
    responses=_NOT_FOUND,
)
async def get_schedule(code: Code, session: SessionDep, _: ReadAccess) -> s.OfficeScheduleOut:
    row = await office_schedules_admin.document(session, code)
    if row is None:
        raise NotFound(f"no office schedule {code!r}", field="code")
    return _out(row)


@router.get(
    "/{code}/versions",
    response_model=DocumentVersions,
    summary="Every version of an office schedule, oldest first (kept when it is retired)",
    responses=_NOT_FOUND,
)
async def schedule_versions(code: Code, session: SessionDep, _: ReadAccess) -> DocumentVersions:
    rows = await office_schedules_admin.history(session, code)
    if not rows:
        raise NotFound(f"no office schedule {code!r}", field="code")
    return DocumentVersions(code=code, items=[versions_of(row) for row in rows])


@router.put(
    "/{code}",
    response_model=s.OfficeScheduleChange,
    summary="Replace an office schedule as its next version, or add one (scope admin; audited; "
    "Idempotency-Key)",
    description="Office hours are the office's own decision, not the law's. New appointments "
    "count with the new hours at once (on every replica within about a second). A stored "
    "dossier naming the schedule is re-derived with them when next evaluated (its next event, "
    "or the scanner at its next status check); until then it shows the due time it had.",
    responses=_WRITES | {201: {"description": "Added", "model": s.OfficeScheduleChange}},
)
async def put_schedule(
    code: Code,
    document: Annotated[OfficeScheduleDocument, Body()],
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
    based_on: Annotated[
        int | None,
        Query(ge=1, description="The version the edit was made on: 409 if it moved on."),
    ] = None,
) -> Response:
    async def handler() -> Response:
        change = await office_schedules_admin.put_schedule(
            session, code, document, principal.actor, based_on
        )
        row = change.row
        body = s.OfficeScheduleChange(
            code=row.code,
            version=row.version,
            updated_by=row.updated_by,
            updated_at=row.updated_at,
            document=OfficeScheduleDocument.model_validate(row.document),
            dossier_rules_revision=change.revision,
        )
        return JSONBody(
            body.model_dump_json(),
            status_code=status.HTTP_201_CREATED if change.created else status.HTTP_200_OK,
            headers={"Location": f"/v1/office-schedules/{row.code}"},
        )

    response = await idempotency.run(request, session, principal, key, handler)
    await office_schedules_admin.commit(  # this replica at once; the others by NOTIFY
        session, runtime.dossier_rules.refresh if runtime.dossier_rules is not None else None
    )
    return response
