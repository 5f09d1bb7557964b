"""Calendar notices: import (previewed with dry_run), list, read, withdraw. The use case is
app/services/calendar_notices.py; this router only speaks HTTP."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, status
from starlette.responses import Response

from app.api.calendar import notices_schemas as s
from app.api.kit.deps import AdminAccess, ReadAccess, RuntimeDep, SessionDep
from app.api.kit.responses import JSONBody
from app.data.notices import CalendarNotice
from app.db.models import CalendarNotice as NoticeRow
from app.domain.errors import NotFound
from app.runtime import Runtime
from app.services import calendar_notices as service
from app.services.calendar_notices import NoticeChange

router = APIRouter(prefix="/v1/calendar/notices", tags=["calendar"])

DryRun = Annotated[
    bool, Query(description="Preview: answer what the change would do, write nothing.")
]
# Numbers contain '/' (10065/VPCP-KGVX): the path parameter takes the rest of the path.
Number = Annotated[str, Path(description="The notice's number, e.g. 10065/VPCP-KGVX")]


def _context(runtime: Runtime) -> service.CalendarContext:
    catalog = runtime.catalog
    return service.CalendarContext(
        culture_day_compensatory=runtime.settings.culture_day_compensatory,
        catalog=catalog.catalog if catalog is not None else None,
        catalog_revision=catalog.revision if catalog is not None else None,
    )


async def _answer(runtime: Runtime, change: NoticeChange, created: bool) -> Response:
    if change.outcome == "applied" and runtime.calendar is not None:
        await runtime.calendar.refresh()  # this replica at once; the others by NOTIFY
    return JSONBody(
        s.NoticeChangeOut.of(change).model_dump_json(),
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        headers={"Location": f"/v1/calendar/notices/{quote(change.notice.number, safe='/')}"},
    )


@router.post(
    "",
    response_model=s.NoticeChangeOut,
    summary="Import a notice as one change; ?dry_run=true previews it (scope admin; audited)",
    responses={
        200: {"description": "A preview, or the same notice already in force (nothing changes)"},
        201: {"description": "Applied: one revision, one re-dating pass, one calendar.changed"},
        422: {"description": "An entry the calendar refuses, named (e.g. swaps[0].working_day)"},
    },
)
async def import_notice(
    notice: CalendarNotice,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    dry_run: DryRun = False,
) -> Response:
    change = await service.import_notice(
        session, _context(runtime), notice, actor=principal.actor, dry_run=dry_run
    )
    return await _answer(runtime, change, created=change.outcome == "applied")


def _record(row: NoticeRow) -> s.NoticeRecord:
    return s.NoticeRecord(
        number=row.number,
        version=row.version,
        status="decided" if row.status == "decided" else "proposed",
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
        created_by=row.created_by,
        created_at=row.created_at,
        notice=service.notice_of(row),
    )


@router.get("", response_model=s.NoticeRecords, summary="The notices, latest version of each")
async def list_notices(
    session: SessionDep,
    _: ReadAccess,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="deciding this year")] = None,
) -> s.NoticeRecords:
    return s.NoticeRecords(items=[_record(r) for r in await service.listing(session, year)])


@router.get(
    "/{number:path}/versions",
    response_model=s.NoticeRecords,
    summary="Every version of a notice, oldest first",
)
async def notice_versions(number: Number, session: SessionDep, _: ReadAccess) -> s.NoticeRecords:
    rows = await service.versions(session, number)
    if not rows:
        raise NotFound(f"no notice {number}", field="number")
    return s.NoticeRecords(items=[_record(r) for r in rows])


@router.get("/{number:path}", response_model=s.NoticeRecord, summary="A notice (latest version)")
async def get_notice(number: Number, session: SessionDep, _: ReadAccess) -> s.NoticeRecord:
    row = await service.current(session, number)
    if row is None:
        raise NotFound(f"no notice {number}", field="number")
    return _record(row)


@router.delete(
    "/{number:path}",
    response_model=s.NoticeChangeOut,
    summary="Withdraw a notice: its entries reversed in one change; ?dry_run=true previews",
)
async def withdraw_notice(
    number: Number,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    dry_run: DryRun = False,
) -> Response:
    change = await service.withdraw_notice(
        session, _context(runtime), number, actor=principal.actor, dry_run=dry_run
    )
    return await _answer(runtime, change, created=False)
