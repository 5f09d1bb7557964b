"""The change feed for integrators, and a manual scanner pass for ops."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.feed.schemas import Change, Changes, ScanResult
from app.api.kit import cursor as pager
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
    description="A feed never ends: `next_cursor` is never null. When nothing new has "
    "happened `items` is empty and `next_cursor` is a cursor at the same position, to poll "
    "again from later. The integer id of a change is accepted as `cursor` too (the form the "
    "feed answered before), as is the deprecated `after`.",
    responses={
        422: {
            "description": "`cursor` is not a cursor this feed returned nor a change id "
            "(problem+json naming `cursor`)",
            "content": {"application/problem+json": {}},
        }
    },
)
async def changes(
    session: SessionDep,
    _: ReadAccess,
    cursor: Annotated[
        str | None,
        Query(
            max_length=pager.MAX_CURSOR,
            description="`next_cursor` of the previous answer (opaque), or the integer id of "
            "the last change processed (0 or omitted: from the start).",
        ),
    ] = None,
    after: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**63 - 1,
            deprecated=True,
            description="The former name of an integer `cursor` (the last id processed); "
            "`cursor` wins when both are given.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Changes:
    start = pager.feed_position(cursor) if cursor is not None else after or 0
    rows = await changes_service.after(session, start, limit)
    return Changes(
        items=[Change.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=pager.encode(pager.FEED, rows[-1].id if rows else start),
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
