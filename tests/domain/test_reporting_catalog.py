"""The shipped reporting data, how profiles merge with the national rules, and period codes."""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
import tomllib
from typing import Any

import pytest

from app.data.profile_document import ProfileDocument
from app.data.reporting import load_reporting_catalog, reporting_catalog
from app.data.rules import profile_documents
from app.domain.errors import DomainError
from app.domain.reporting import (
    Bound,
    Confidence,
    Level,
    PeriodKind,
    RecurringDuty,
    ReportingCatalog,
    Roll,
    parse_period,
    parse_slots,
)

CATALOG = load_reporting_catalog()
SHIPPED = [document for _, document in profile_documents()]


def _documents() -> dict[str, dict[str, Any]]:
    return {d["profile"]["code"]: copy.deepcopy(d) for d in SHIPPED}


def _build(documents: dict[str, dict[str, Any]]) -> ReportingCatalog:
    return reporting_catalog(ProfileDocument.model_validate(d) for d in documents.values())


def _parse(extra: str) -> ReportingCatalog:
    """The shipped documents with `extra`: [[deadline]] / [[periods]] rows added to the
    reporting section of the profile they name, [[profile]] tables added as new profiles."""
    documents = _documents()
    added = tomllib.loads(extra)
    for head in added.get("profile", []):
        documents[head["code"]] = {
            "schema": 1,
            "version": 1,
            "profile": {
                "code": head["code"],
                "name_vi": head["name_vi"],
                "name_en": head["name_en"],
                "issuer": "x",
                "jurisdiction": "x",
                "level": "province",
                "extends": head["extends"],
            },
            "reporting": {"source": head["source"]},
        }
    for table in ("deadline", "periods"):
        for row in added.get(table, []):
            section = documents[row.pop("profile")].setdefault("reporting", {})
            section.setdefault(table, []).append(row)
    return _build(documents)


def test_the_service_profiles_are_all_there() -> None:
    assert set(CATALOG.profiles) == {
        "national",
        "nghe-an-2023",
        "ha-tinh-2022",
        "quang-nam-2024",
        "thanh-hoa-district-2021",
        "an-giang-construction-2023",
    }


def test_every_value_is_cited_with_a_confidence() -> None:
    for profile in CATALOG.profiles.values():
        for duty in profile.duties:
            assert duty.citation.document and duty.citation.article
            for d in duty.deadlines:
                assert d.citation.document and d.citation.article
                assert d.citation.confidence in set(Confidence)
                assert d.phrase and d.roll_reason
    for rule in CATALOG.cutoffs.values():
        assert "09/2019" in rule.citation.document


def test_plan_rows_are_verbatim_and_verified() -> None:
    quang_nam = CATALOG.profile("quang-nam-2024")
    (report,) = (d for d in quang_nam.duties if d.code == "kstthc-report")
    days = {d.level: (d.day, d.bound, d.citation.confidence) for d in report.deadlines}
    assert days == {
        Level.COMMUNE: (17, Bound.AT_LATEST, Confidence.VERIFIED),
        Level.DISTRICT: (19, Bound.AT_LATEST, Confidence.VERIFIED),
        Level.DEPARTMENT: (19, Bound.AT_LATEST, Confidence.VERIFIED),
        Level.PROVINCE: (22, Bound.AT_LATEST, Confidence.VERIFIED),
    }
    assert "ngày 17 của tháng cuối quý" in report.deadlines[0].phrase


def test_profile_overrides_the_national_row_for_its_level_only() -> None:
    national = CATALOG.profile("national")
    (n_report,) = national.duties
    assert [(d.level, d.day) for d in n_report.deadlines] == [(Level.PROVINCE, 25)]
    assert n_report.deadlines[0].citation.confidence is Confidence.SECONDARY
    # An Giang's department plan adds the department's 19th and keeps the national 25th.
    an_giang = CATALOG.profile("an-giang-construction-2023")
    (ag_report,) = (d for d in an_giang.duties if d.code == "kstthc-report")
    assert [(d.level, d.day) for d in ag_report.deadlines] == [
        (Level.DEPARTMENT, 19),
        (Level.PROVINCE, 25),
    ]


def test_roll_defaults_follow_the_phrase() -> None:
    rolls = {
        (profile.code, duty.code, d.level): d.roll
        for profile in CATALOG.profiles.values()
        for duty in profile.duties
        for d in duty.deadlines
    }
    assert rolls[("quang-nam-2024", "kstthc-report", Level.COMMUNE)] is Roll.FOLLOWING
    assert rolls[("quang-nam-2024", "service-index-publication", Level.COMMUNE)] is (Roll.PRECEDING)
    assert rolls[("an-giang-construction-2023", "late-officials-list", Level.DEPARTMENT)] is (
        Roll.FOLLOWING
    )


def test_district_ends_on_1_july_2025() -> None:
    district = CATALOG.level("district")
    assert district.abolished_from == dt.date(2025, 7, 1)
    assert district.exists_on(dt.date(2025, 6, 30))
    assert not district.exists_on(dt.date(2025, 7, 1))
    assert CATALOG.level("commune").exists_on(dt.date(2030, 12, 31))


def _with(extra: str) -> str:
    return extra


def test_duplicate_deadline_is_rejected() -> None:
    duplicate = """
[[deadline]]
profile = "quang-nam-2024"
duty = "kstthc-report"
levels = ["commune"]
day = 18
bound = "at_latest"
phrase = "duplicate"
citation = { document = "x", article = "y", confidence = "?" }
"""
    with pytest.raises(DomainError, match="two deadlines"):
        _parse(_with(duplicate))


def test_deadline_for_unknown_duty_is_rejected() -> None:
    unknown = """
[[deadline]]
profile = "quang-nam-2024"
duty = "no-such-duty"
levels = ["commune"]
day = 18
bound = "at_latest"
phrase = "x"
citation = { document = "x", article = "y", confidence = "?" }
"""
    with pytest.raises(DomainError, match="unknown profile/duty"):
        _parse(_with(unknown))


def test_day_past_the_shortest_month_is_rejected() -> None:
    documents = _documents()
    documents["national"]["reporting"]["deadline"][0]["day"] = 30
    with pytest.raises(DomainError, match=r"1\.\.28"):
        _build(documents)


def test_a_row_may_set_its_own_roll() -> None:
    documents = _documents()
    (row,) = (r for r in documents["quang-nam-2024"]["reporting"]["deadline"] if r["day"] == 17)
    row["roll"] = "preceding"
    catalog = _build(documents)
    (report,) = (d for d in catalog.profile("quang-nam-2024").duties if d.code == "kstthc-report")
    assert report.deadlines[0].roll is Roll.PRECEDING


PERIODS_ROW = """
[[periods]]
profile = "{profile}"
duty = "{duty}"
periods = {periods}
citation = {{ document = "x", article = "y", confidence = "?" }}
"""

# A constructed plan row: Nghệ An listing three quarters and the year, no fourth quarter.
THREE_QUARTERS_AND_YEAR = PERIODS_ROW.format(
    profile="nghe-an-2023", duty="kstthc-report", periods='["Q1", "Q2", "Q3", "Y"]'
)


def _report(catalog: ReportingCatalog, profile: str) -> RecurringDuty:
    (report,) = (d for d in catalog.profile(profile).duties if d.code == "kstthc-report")
    return report


def _periods(catalog: ReportingCatalog, profile: str) -> list[str]:
    return [s.code for s in _report(catalog, profile).periods]


def test_reports_every_quarter_and_the_year_unless_the_plan_lists_its_periods() -> None:
    # "hàng quý, năm": four quarters and the year.
    for profile in ("national", "nghe-an-2023", "thanh-hoa-district-2021"):
        assert _periods(CATALOG, profile) == ["Q1", "Q2", "Q3", "Q4", "Y"]
        assert _report(CATALOG, profile).citation.document.startswith("Thông tư 01/2020")
    # Quảng Nam lists its own periods: "Quý I, Quý II, Quý III và năm", with the fourth quarter
    # kept as its own report besides the year (the chain is set per quarter): a choice, "?".
    quang_nam = _report(CATALOG, "quang-nam-2024")
    assert _periods(CATALOG, "quang-nam-2024") == ["Q1", "Q2", "Q3", "Q4", "Y"]
    assert quang_nam.citation.document.startswith("Quyết định 467/QĐ-UBND")
    assert quang_nam.citation.confidence is Confidence.UNCERTAIN
    # A profile whose plan lists three quarters and the year: its list and citation replace the
    # duty's for that profile only.
    catalog = _parse(_with(THREE_QUARTERS_AND_YEAR))
    assert _periods(catalog, "nghe-an-2023") == ["Q1", "Q2", "Q3", "Y"]
    assert _report(catalog, "nghe-an-2023").citation.article == "y"
    assert _periods(catalog, "ha-tinh-2022") == ["Q1", "Q2", "Q3", "Q4", "Y"]
    assert _periods(catalog, "national") == ["Q1", "Q2", "Q3", "Q4", "Y"]


def test_a_profile_extending_one_with_its_own_periods_inherits_them() -> None:
    child = """
[[profile]]
code = "{code}"
extends = "{parent}"
name_vi = "x"
name_en = "x"
source = "constructed"
"""
    catalog = _parse(
        _with(
            THREE_QUARTERS_AND_YEAR
            + child.format(code="nghe-an-town", parent="nghe-an-2023")
            + child.format(code="quang-nam-town", parent="quang-nam-2024")
        )
    )
    # The parent's constructed list comes down with its citation.
    assert _periods(catalog, "nghe-an-town") == ["Q1", "Q2", "Q3", "Y"]
    assert _report(catalog, "nghe-an-town").citation.article == "y"
    assert _report(catalog, "nghe-an-town").citation.confidence is Confidence.UNCERTAIN
    # So does the shipped Quảng Nam list.
    assert _periods(catalog, "quang-nam-town") == ["Q1", "Q2", "Q3", "Q4", "Y"]
    assert _report(catalog, "quang-nam-town").citation.document.startswith("Quyết định 467")


@pytest.mark.parametrize(
    ("profile", "duty", "periods", "message"),
    [
        ("quang-nam-2024", "kstthc-report", '["Q1"]', "two period lists"),
        ("national", "no-such-duty", '["Q1"]', "unknown profile/duty"),
        ("national", "kstthc-report", "[]", "no period"),
        ("national", "kstthc-report", '["Q1", "quarterly"]', "twice"),
    ],
)
def test_bad_period_lists_are_rejected(profile: str, duty: str, periods: str, message: str) -> None:
    row = PERIODS_ROW.format(profile=profile, duty=duty, periods=periods)
    with pytest.raises(DomainError, match=message):
        _parse(_with(row))


# -- period codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start", "end", "label_vi"),
    [
        ("2024-M02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Tháng 02/2024"),  # leap year
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "Quý I/2024"),
        ("2024-Q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31), "Quý IV/2024"),
        ("2024-H2", dt.date(2024, 7, 1), dt.date(2024, 12, 31), "6 tháng cuối năm 2024"),
        ("2024-9M", dt.date(2024, 1, 1), dt.date(2024, 9, 30), "9 tháng năm 2024"),
        ("2024-Y", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Năm 2024"),
    ],
)
def test_period_spans(code: str, start: dt.date, end: dt.date, label_vi: str) -> None:
    period = parse_period(code)
    assert (period.start, period.end, period.label_vi) == (start, end, label_vi)
    assert period.code == code


def test_cadences_expand() -> None:
    assert [s.code for s in parse_slots("quarterly")] == ["Q1", "Q2", "Q3", "Q4"]
    assert len(parse_slots("monthly")) == 12
    assert [s.kind for s in parse_slots("half_yearly")] == [PeriodKind.HALF_YEAR] * 2
    with pytest.raises(DomainError):
        parse_slots("M13")


def test_domain_imports_no_web_database_or_validation_library() -> None:
    code = (
        "import sys, app.domain.reporting\n"
        "bad = {'fastapi', 'sqlalchemy', 'pydantic', 'starlette', 'asyncpg'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
