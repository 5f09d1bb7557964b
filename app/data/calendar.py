"""Parse the shipped calendar data (calendar.toml): its notices and the years' status."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from app.data.notices import CalendarNotice, entries_of, with_placements
from app.domain.calendar.model import Adjustment, YearStatus


@cache
def _document() -> dict[str, Any]:
    text = resources.files("app.data").joinpath("calendar.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def seed_notices() -> tuple[CalendarNotice, ...]:
    """The shipped notices, each checked as an imported one is (app/data/notices.py)."""
    notices = []
    for row in _document()["notice"]:
        notice = CalendarNotice.model_validate(row)
        problems = notice.problems()
        if problems:
            raise ValueError(f"calendar.toml: notice {notice.number}: {problems}")
        notices.append(notice)
    return tuple(notices)


def seed_adjustments() -> list[Adjustment]:
    """Every adjustment the shipped notices make."""
    return [e.adjustment for n in seed_notices() for e in entries_of(n)]


def seed_years() -> list[YearStatus]:
    """The shipped years' statuses, with the shipped notices placing their Tết and Quốc khánh
    days (as the database's are: app/db/repositories/calendar.load)."""
    rows: list[dict[str, Any]] = _document()["year"]
    return with_placements(
        (
            YearStatus(year=year, provisional=bool(row["provisional"]), note=str(row["note"]))
            for row in rows
            for year in range(int(row["from"]), int(row["to"]) + 1)
        ),
        seed_notices(),
    )
