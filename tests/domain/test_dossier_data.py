"""The shipped dossier data: rule versions with citations and effective dates, and schedules."""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.dossiers import dossier_rule_book, office_schedule, office_schedules
from app.domain.dossiers import (
    AfterHoursPolicy,
    ApologyRoll,
    ClockAfterResubmission,
    Confidence,
    DossierRuleBook,
    TimeUnit,
    Window,
)
from app.domain.errors import DomainError, NotFound


def test_decree_61_until_30_june_2025_then_decree_118() -> None:
    book = dossier_rule_book()
    old = book.in_force_on(dt.date(2025, 6, 30))
    new = book.in_force_on(dt.date(2025, 7, 1))
    assert old.code == "nd-61-2018"
    assert new.code == "nd-118-2025"
    # amended by Nghị định 309/2026/NĐ-CP from 5/8/2026: a version of its own from that day
    assert new.effective_to == dt.date(2026, 8, 4)
    amended = book.in_force_on(dt.date(2026, 8, 5))
    assert amended.code == "nd-118-2025-nd-309-2026"
    assert amended.effective_to is None
    assert amended.competent_agency_start is not None
    assert str(amended.competent_agency_start).endswith("Điều 17 khoản 3")
    assert new.competent_agency_start is None


def test_decree_61_values_and_citations() -> None:
    rules = dossier_rule_book().in_force_on(dt.date(2024, 3, 5))
    request = rules.supplement.request_within
    assert request.amount == 3
    assert request.unit is TimeUnit.WORKING_DAYS
    assert rules.supplement.after_resubmission is ClockAfterResubmission.RESTART
    assert rules.reappointment.max_count == 1
    assert rules.reappointment.apology_lead_days == 1
    assert rules.reappointment.apology_roll is ApologyRoll.NONE
    for citation in (
        rules.supplement.request_citation,
        rules.supplement.resubmission_citation,
        rules.reappointment.apology_citation,
        rules.reappointment.count_citation,
    ):
        assert citation.document == "Nghị định 61/2018/NĐ-CP"
        assert citation.confidence is Confidence.VERIFIED
    assert "Điều 19, khoản 4" in str(rules.supplement.request_citation)


def test_decree_118_values_and_citations() -> None:
    # Nghị định 118/2025/NĐ-CP, read: return notice within 3 working days of receipt and the
    # period restarting (Art. 19(5)); apology 1 day before, one re-appointment (Art. 19(6));
    # one supplement request only (Art. 11(2)(c)).
    rules = dossier_rule_book().in_force_on(dt.date(2025, 7, 1))
    assert rules.supplement.request_within.amount == 3
    assert rules.supplement.request_within.unit is TimeUnit.WORKING_DAYS
    assert rules.supplement.after_resubmission is ClockAfterResubmission.RESTART
    assert rules.reappointment.max_count == 1
    assert rules.reappointment.apology_lead_days == 1
    assert rules.supplement.max_requests == 1
    cited = {
        str(c)
        for c in (
            rules.supplement.request_citation,
            rules.supplement.resubmission_citation,
            rules.reappointment.apology_citation,
            rules.supplement.limit_citation,
        )
        if c is not None
    }
    assert cited == {
        "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 5",
        "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6",
        "Nghị định 118/2025/NĐ-CP, Điều 11 khoản 2 điểm c; Điều 16 khoản 3",
    }
    assert rules.supplement.request_citation.confidence is Confidence.VERIFIED


def test_decree_61_sets_no_limit_on_supplement_requests() -> None:
    assert dossier_rule_book().in_force_on(dt.date(2025, 6, 30)).supplement.max_requests is None


def test_no_rules_before_decree_61() -> None:
    with pytest.raises(NotFound):
        dossier_rule_book().in_force_on(dt.date(2018, 1, 1))


def test_overlapping_versions_are_refused() -> None:
    version = dossier_rule_book().versions[1]
    with pytest.raises(DomainError):
        DossierRuleBook((version, version))


def test_default_schedule() -> None:
    schedule = office_schedule()
    assert schedule.code == "default"
    assert schedule.windows == (
        Window(dt.time(7, 30), dt.time(11, 30)),
        Window(dt.time(13, 30), dt.time(17, 0)),
    )
    assert schedule.saturday_reception == ()
    assert schedule.after_hours is AfterHoursPolicy.NEXT_OPENING
    assert schedule.return_by_session is False
    assert schedule.standard_day == dt.timedelta(hours=7, minutes=30)


def test_other_shipped_schedules() -> None:
    assert set(office_schedules()) >= {"default", "saturday-morning-reception", "by-session"}
    saturday = office_schedule("saturday-morning-reception")
    assert saturday.saturday_reception == (Window(dt.time(7, 30), dt.time(11, 30)),)
    assert office_schedule("by-session").return_by_session is True
    with pytest.raises(NotFound) as caught:
        office_schedule("nowhere")
    assert caught.value.field == "schedule"
