"""Importing a calendar notice from the console: paste its TOML, see the preview (the days it
changes, the years it decides, the due dates it moves), then apply it. The use case is
app/services/calendar_notices.py, the one POST /v1/calendar/notices and the CLI run."""

from __future__ import annotations

import tomllib
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import ValidationError
from starlette.responses import Response

from app.console.web import AnyPage, Page, form_text
from app.data.notices import CalendarNotice
from app.domain.errors import DomainError
from app.domain.keys import Scope
from app.services import calendar_notices
from app.services.calendar_notices import NoticeChange

router = APIRouter(include_in_schema=False)
Year = Annotated[int, Path(ge=1900, le=2200)]


def _context(page: Page) -> calendar_notices.CalendarContext:
    catalog = page.runtime.catalog
    return calendar_notices.CalendarContext(
        culture_day_compensatory=page.runtime.settings.culture_day_compensatory,
        catalog=catalog.catalog if catalog is not None else None,
        catalog_revision=catalog.revision if catalog is not None else None,
    )


def _notice(text: str) -> CalendarNotice:
    """The notice in its TOML form (as examples/notice-2027.toml), validated."""
    try:
        return CalendarNotice.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise DomainError(f"the notice is not TOML: {error}", field="notice") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "notice"
        raise DomainError(f"{where}: {first['msg']}", field=where) from None


@router.post("/calendar/notices")
async def import_notice(page: AnyPage) -> Response:
    """`apply` absent: a preview, nothing written. `apply=1`: the change, committed, then this
    replica reloads the calendar (the others follow by NOTIFY)."""
    principal = page.need(Scope.ADMIN)
    text = await form_text(page, "notice")
    apply = await form_text(page, "apply") == "1"
    change: NoticeChange | None = None
    async with page.runtime.sessionmaker() as session:
        try:
            change = await calendar_notices.import_notice(
                session, _context(page), _notice(text), actor=principal.actor, dry_run=not apply
            )
            if change.outcome == "applied":
                await session.commit()
            else:
                await session.rollback()
        except DomainError as error:
            await session.rollback()
            page.flash.append(("error", f"{page.t('error')}: {error.detail}"))
    if change is not None and change.outcome == "applied" and page.runtime.calendar is not None:
        await page.runtime.calendar.refresh()
    return page.render("notice.html", text=text, change=change)
