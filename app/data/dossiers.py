"""The shipped dossier-clock data (dossiers.toml): the statutory rule sets and the office
schedules, as domain values."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from app.data.dossier_rules import DossierRuleSet
from app.domain.dossiers import (
    AfterHoursPolicy,
    CalendarDayEnd,
    DossierRuleBook,
    OfficeSchedule,
    Window,
    Windows,
)
from app.domain.errors import NotFound

DEFAULT_SCHEDULE = "default"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@cache
def _document() -> dict[str, Any]:
    text = resources.files("app.data").joinpath("dossiers.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def shipped_rule_sets() -> list[DossierRuleSet]:
    """The shipped dossier rule sets (the `[[rules]]` tables), validated by their model."""
    return [DossierRuleSet.model_validate(row) for row in _document()["rules"]]


def rule_book(sets: Iterable[DossierRuleSet]) -> DossierRuleBook:
    """The rule sets as the domain's book (DomainError when their periods overlap)."""
    return DossierRuleBook(tuple(s.rules() for s in sorted(sets, key=lambda s: s.effective_from)))


@cache
def shipped_rule_book() -> DossierRuleBook:
    return rule_book(shipped_rule_sets())


class _Current:
    """The rule book of this process: the database's documents once the service has loaded
    them (DossierRulesState), the shipped data before (tests of the domain, tools)."""

    book: DossierRuleBook | None = None


def use_rule_book(book: DossierRuleBook) -> None:
    _Current.book = book


def dossier_rule_book() -> DossierRuleBook:
    return _Current.book or shipped_rule_book()


def _windows(rows: list[dict[str, dt.time]]) -> Windows:
    return tuple(Window(opens=row["opens"], closes=row["closes"]) for row in rows)


def _schedule(row: dict[str, Any]) -> OfficeSchedule:
    weekdays = row.get("weekdays", {})
    return OfficeSchedule(
        code=str(row["code"]),
        windows=_windows(row["windows"]),
        weekday_windows=tuple(
            (_WEEKDAYS.index(name), _windows(windows)) for name, windows in weekdays.items()
        ),
        saturday_reception=_windows(row.get("saturday_reception", [])),
        after_hours=AfterHoursPolicy(row.get("after_hours", "next_opening")),
        receipt_cutoff=row.get("receipt_cutoff"),
        return_by_session=bool(row.get("return_by_session", False)),
        calendar_days_end=CalendarDayEnd(row.get("calendar_days_end", "midnight")),
        source=str(row.get("source", "")),
    )


@cache
def office_schedules() -> dict[str, OfficeSchedule]:
    return {str(row["code"]): _schedule(row) for row in _document()["schedule"]}


def office_schedule(code: str = DEFAULT_SCHEDULE) -> OfficeSchedule:
    try:
        return office_schedules()[code]
    except KeyError:
        known = ", ".join(office_schedules())
        raise NotFound(f"no office schedule {code!r}; known: {known}", field="schedule") from None
