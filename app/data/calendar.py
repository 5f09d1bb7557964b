"""Parse the shipped calendar data (calendar.toml) into domain values."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from app.domain.calendar.model import Adjustment, AdjustmentKind, AdjustmentStatus, YearStatus


@cache
def _document() -> dict[str, list[dict[str, object]]]:
    text = resources.files("app.data").joinpath("calendar.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)  # type: ignore[return-value]


def seed_adjustments() -> list[Adjustment]:
    return [
        Adjustment(
            date=row["date"],  # type: ignore[arg-type]
            kind=AdjustmentKind(row["kind"]),
            name_vi=str(row["name_vi"]),
            name_en=str(row["name_en"]),
            source=str(row["source"]),
            status=AdjustmentStatus(row.get("status", "decided")),
        )
        for row in _document()["adjustment"]
    ]


def seed_years() -> list[YearStatus]:
    return [
        YearStatus(year=year, provisional=bool(row["provisional"]), note=str(row["note"]))
        for row in _document()["year"]
        for year in range(int(row["from"]), int(row["to"]) + 1)  # type: ignore[call-overload]
    ]
