"""The dossier-clock data: the statutory rule sets and the office schedules shipped in
dossiers.toml (what `python -m app seed` stores), and those this process counts with."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from app.data.dossier_rules import DossierRuleSet
from app.data.office_schedules import OfficeScheduleDocument, schedules_of
from app.domain.dossiers import DossierRuleBook, OfficeSchedule
from app.domain.errors import NotFound

DEFAULT_SCHEDULE = "default"


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
    """The rule book and office schedules of this process: the database's documents once the
    service has loaded them (DossierRulesState), the shipped data before (tests of the domain,
    tools)."""

    book: DossierRuleBook | None = None
    schedules: dict[str, OfficeSchedule] | None = None


def use_rule_book(book: DossierRuleBook) -> None:
    _Current.book = book


def dossier_rule_book() -> DossierRuleBook:
    return _Current.book or shipped_rule_book()


def shipped_schedules() -> list[OfficeScheduleDocument]:
    """The shipped office schedules (the `[[schedule]]` tables), validated by their model."""
    return [OfficeScheduleDocument.model_validate(row) for row in _document()["schedule"]]


@cache
def shipped_office_schedules() -> dict[str, OfficeSchedule]:
    return schedules_of(shipped_schedules())


def use_office_schedules(schedules: dict[str, OfficeSchedule]) -> None:
    _Current.schedules = schedules


def office_schedules() -> dict[str, OfficeSchedule]:
    """The office schedules of this process by code (the same object until they change)."""
    current = _Current.schedules
    return current if current is not None else shipped_office_schedules()


def office_schedule(code: str = DEFAULT_SCHEDULE) -> OfficeSchedule:
    schedules = office_schedules()
    try:
        return schedules[code]
    except KeyError:
        known = ", ".join(schedules)
        raise NotFound(f"no office schedule {code!r}; known: {known}", field="schedule") from None
