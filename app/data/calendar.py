"""Parse the shipped calendar data (calendar.toml) into domain values."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from app.domain.calendar.model import Adjustment, AdjustmentKind, AdjustmentStatus, YearStatus


@cache
def _document() -> dict[str, Any]:
    text = resources.files("app.data").joinpath("calendar.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def seed_adjustments() -> list[Adjustment]:
    rows: list[dict[str, Any]] = _document()["adjustment"]
    adjustments = []
    for row in rows:
        day = row["date"]
        if not isinstance(day, dt.date):
            raise ValueError(f"calendar.toml: {day!r} is not a date")
        adjustments.append(
            Adjustment(
                date=day,
                kind=AdjustmentKind(row["kind"]),
                name_vi=str(row["name_vi"]),
                name_en=str(row["name_en"]),
                source=str(row["source"]),
                status=AdjustmentStatus(row.get("status", "decided")),
            )
        )
    return adjustments


def seed_years() -> list[YearStatus]:
    rows: list[dict[str, Any]] = _document()["year"]
    return [
        YearStatus(year=year, provisional=bool(row["provisional"]), note=str(row["note"]))
        for row in rows
        for year in range(int(row["from"]), int(row["to"]) + 1)
    ]
