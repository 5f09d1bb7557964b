"""Parse the shipped dossier-clock data (dossiers.toml) into domain values."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from app.domain.dossiers import (
    AcceptanceRule,
    AfterHoursPolicy,
    ApologyRoll,
    CalendarDayEnd,
    Citation,
    ClockAfterResubmission,
    ClosingRule,
    Confidence,
    DossierRuleBook,
    DossierRules,
    ForwardingRule,
    OfficeSchedule,
    ProcessingTime,
    ReappointmentRule,
    SupplementRule,
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


def _citation(row: dict[str, Any]) -> Citation:
    return Citation(
        document=str(row["document"]),
        article=str(row["article"]),
        confidence=Confidence(row["confidence"]),
    )


def _rules(row: dict[str, Any]) -> DossierRules:
    request = row["supplement_request"]
    resubmission = row["after_resubmission"]
    apology = row["apology"]
    count = row["reappointments"]
    limit = row.get("supplement_limit")
    closing = row.get("closing")
    cross_boundary = row.get("cross_boundary")
    acceptance = row.get("online_acceptance")
    forwarding = row.get("paper_forwarding")
    return DossierRules(
        code=str(row["code"]),
        decree=str(row["decree"]),
        effective_from=row["effective_from"],
        effective_to=row.get("effective_to"),
        supplement=SupplementRule(
            request_within=ProcessingTime.of(request["amount"], request["unit"]),
            request_citation=_citation(request),
            after_resubmission=ClockAfterResubmission(resubmission["clock"]),
            resubmission_citation=_citation(resubmission),
            max_requests=int(limit["max"]) if limit else None,
            limit_citation=_citation(limit) if limit else None,
        ),
        reappointment=ReappointmentRule(
            max_count=int(count["max"]),
            count_citation=_citation(count),
            apology_lead_days=int(apology["lead_days"]),
            apology_roll=ApologyRoll(apology["roll"]),
            apology_citation=_citation(apology),
        ),
        note=str(row.get("note", "")),
        closing=(
            ClosingRule(after_days=int(closing["after_days"]), citation=_citation(closing))
            if closing
            else None
        ),
        competent_agency_start=_citation(cross_boundary) if cross_boundary else None,
        online_acceptance=(
            AcceptanceRule(
                within=ProcessingTime.of(acceptance["amount"], acceptance["unit"]),
                citation=_citation(acceptance),
                after_hours=_citation(acceptance["after_hours"]),
            )
            if acceptance
            else None
        ),
        paper_forwarding=(
            ForwardingRule(cutoff=forwarding["cutoff"], citation=_citation(forwarding))
            if forwarding
            else None
        ),
    )


@cache
def dossier_rule_book() -> DossierRuleBook:
    return DossierRuleBook(tuple(_rules(row) for row in _document()["rules"]))


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
