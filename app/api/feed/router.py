"""The change feed for integrators, and a manual scanner pass for ops."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.feed.schemas import Change, Changes, ScanResult
from app.api.kit.deps import AdminAccess, CalendarDep, ReadAccess, RuntimeDep, SessionDep
from app.api.wire.dates import IsoDateTime
from app.domain.errors import OutOfRange
from app.jobs import scanner
from app.services import changes as changes_service
from app.services import office_time

router = APIRouter(tags=["changes"])


@router.get(
    "/v1/changes",
    response_model=Changes,
    summary="Changes after a cursor, oldest first: resume from any cursor, no gap, no duplicate",
)
async def changes(
    session: SessionDep,
    _: ReadAccess,
    after: Annotated[
        int,
        Query(ge=0, le=2**63 - 1, description="the last id you processed; 0 from the start"),
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Changes:
    rows = await changes_service.after(session, after, limit)
    return Changes(
        items=[Change.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=rows[-1].id if rows else after,
    )


@router.post(
    "/v1/admin/scan",
    response_model=ScanResult,
    tags=["ops"],
    summary="Run the overdue scanner now (scope admin); `as_of` replays a given moment",
    description="`as_of` must fall within the supported calendar: a moment the calendar "
    "cannot evaluate is refused (422), never applied to the dossiers.",
    responses={
        422: {
            "description": "`as_of` is not a date-time with an offset, or is "
            "outside the supported calendar (problem+json naming `as_of`)",
            "content": {"application/problem+json": {}},
        }
    },
)
async def scan(
    runtime: RuntimeDep,
    calendar: CalendarDep,
    _: AdminAccess,
    as_of: Annotated[IsoDateTime | None, Query(description="date-time with offset")] = None,
) -> ScanResult:
    moment = as_of or office_time.now_local()
    day = moment.astimezone(office_time.ZONE).date()
    if as_of is not None and not calendar.first <= day <= calendar.last:
        raise OutOfRange(
            f"as_of ({day}) is outside the supported calendar "
            f"({calendar.first} to {calendar.last}).",
            field="as_of",
        )
    return ScanResult(as_of=moment, changed=await scanner.run_once(runtime.sessionmaker, moment))
