"""The reporting calendar of a profile and level: each period's report day and data window,
from the same domain functions GET /v1/reporting/schedule uses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.console import reference
from app.console.web import ReadPage, today
from app.data.reporting import load_reporting_catalog
from app.domain.errors import DomainError
from app.domain.reporting import Level, year_schedule

router = APIRouter(include_in_schema=False)


@router.get("/reporting")
async def reporting_page(
    page: ReadPage,
    profile: Annotated[str, Query(max_length=100)] = "national",
    level: Annotated[str, Query(max_length=20)] = "",
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> Response:
    calendar = reference.calendar(page.runtime)
    catalog = load_reporting_catalog()
    chosen_year = year or today().year
    chosen_level = level if level in {lv.value for lv in Level} else None
    schedule = None
    try:
        schedule = year_schedule(calendar, catalog, profile, chosen_year, chosen_level)
    except DomainError as error:
        page.flash.append(("error", f"{page.t('error')}: {error.detail}"))
    return page.render(
        "reporting.html",
        schedule=schedule,
        profiles=sorted(catalog.profiles),
        levels=[lv.value for lv in Level],
        profile=profile,
        level=chosen_level or "",
        year=chosen_year,
    )
