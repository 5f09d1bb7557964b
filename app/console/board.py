"""The due-and-overdue board (/) and why an obligation is due when it is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from app.console import reference
from app.console.web import ReadPage, today
from app.domain.errors import NotFound
from app.domain.obligations import Level
from app.services import board, obligations

router = APIRouter(include_in_schema=False)

BOARD_LIMIT = 100  # the earliest due first: the rest by narrowing the filters
STATUSES = ("open", "overdue", "pending", "closed")
Text = Annotated[str, Query(max_length=200)]


@router.get("/")
async def board_page(
    page: ReadPage,
    status: Text = "open",
    kind: Text = "",
    profile: Text = "",
    issuer: Text = "",
    level: Text = "",
    office: Text = "",
) -> Response:
    calendar = reference.calendar(page.runtime)
    catalog = reference.catalog(page.runtime)
    where = board.BoardFilter(
        as_of=today(),
        status=status if status in STATUSES else "open",
        profile=profile or None,
        issuer=issuer or None,
        level=level if level in {lv.value for lv in Level} else None,
        office=office or None,
    )
    async with page.runtime.sessionmaker() as session:
        rows = await board.rows(
            session, calendar, where, kind if kind in ("obligation", "dossier") else "", BOARD_LIMIT
        )
        choices = await board.choices(session)
    return page.render(
        "board.html",
        rows=rows,
        where=where,
        kind=kind,
        statuses=STATUSES,
        profiles=sorted(catalog.profiles),
        levels=[lv.value for lv in Level],
        choices=choices,
        limit=BOARD_LIMIT,
    )


@router.get("/obligations/{obligation_id}")
async def why_page(
    page: ReadPage, obligation_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> Response:
    catalog = reference.catalog(page.runtime)
    async with page.runtime.sessionmaker() as session:
        view = await obligations.get(session, obligation_id)
    row = view.obligation
    try:
        rule = catalog.rule(row.rule_code, view.profile)
    except NotFound:
        rule = None  # the profile no longer has it: the trace on record still explains
    return page.render(
        "why.html",
        o=row,
        rule=rule,
        changes=view.changes,
        trace=row.trace,
        status=board.status_of(row, today()),
    )
