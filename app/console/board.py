"""The due-and-overdue board (/) and why an obligation is due when it is."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from app.console import reference
from app.console.steps import obligation_steps
from app.console.web import ReadPage, today
from app.domain.errors import NotFound
from app.domain.obligations import Level
from app.services import board, obligations
from app.services.office_time import now_local

router = APIRouter(include_in_schema=False)

BOARD_LIMIT = 100  # the earliest due first: the rest by narrowing the filters
STATUSES = ("open", "overdue", "pending", "closed")
# A dossier still open: past its due instant it is overdue, whatever status was last stored.
OPEN_DOSSIER = ("on_time", "due_soon", "overdue")
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
        badge=lambda row: left_badge(row, where.as_of, now_local()),
    )


def left_badge(
    row: board.BoardRow, as_of: dt.date, now: dt.datetime
) -> tuple[str, str, dict[str, object]]:
    """A row's time left (its badge class, the words' key and values). Overdue with no
    working day late yet (a dossier due earlier today, or a duty due on a day off just
    passed) says so, not "0 days late": a dossier by the hours it is late."""
    n = row.working_days
    if row.due is None or n is None:
        return "none", "left.none", {}
    if n < 0:
        return "late", "left.late", {"n": -n}
    passed = row.due_at is not None and now >= row.due_at and row.status in OPEN_DOSSIER
    if row.status == "overdue" or passed:
        if row.due_at is not None and now >= row.due_at:
            hours = int((now - row.due_at).total_seconds() // 3600)
            if hours >= 1:
                return "late", "left.late_hours", {"n": hours}
        if row.due >= as_of:
            return "late", "left.overdue_today", {}
        return "late", "left.overdue_since", {"d": row.due.strftime("%d/%m/%Y")}
    if n == 0:
        return "today", "left.today", {}
    return "ok", "left.days", {"n": n}


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
        # a Vietnamese page says each step in Vietnamese; English keeps the domain's text
        steps=obligation_steps(page.lang, row.trace) if page.lang == "vi" else None,
        status=board.status_of(row, today()),
    )
