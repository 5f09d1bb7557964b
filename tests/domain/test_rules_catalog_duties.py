"""The shipped catalog's duties: what a recorded publication decision turns into obligations."""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.rules import load_catalog
from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import (
    AnchorEvent,
    Catalog,
    DutyTrigger,
    Flag,
    Scope,
    Shape,
    schedule,
)

D = dt.date
NA, HT, QN = "nghe-an-2023", "ha-tinh-2022", "quang-nam-2024"
TH, AG = "thanh-hoa-district-2021", "an-giang-construction-2023"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_the_quang_nam_worked_example(catalog: Catalog, calendar: CalendarSnapshot) -> None:
    """Provincial publication decision signed Tue 5/3/2024 under quang-nam-2024."""
    signed = D(2024, 3, 5)
    duties = catalog.duty_rules(
        QN, DutyTrigger.PUBLICATION_DECISION, scope=Scope.PROVINCE, on=signed
    )
    plan = schedule(duties, calendar, {AnchorEvent.DECISION_SIGNED: signed})
    assert plan.waiting == {}
    assert {code: d.due_date for code, d in plan.deadlines.items()} == {
        # 3 working days: Wed 6, Thu 7, Fri 8 → 8/3
        "quang-nam-2024.posting-counter": D(2024, 3, 8),
        "quang-nam-2024.posting-portals": D(2024, 3, 8),
        # 5 calendar days → Sun 10/3 → Mon 11/3
        "quang-nam-2024.provincial-system-list": D(2024, 3, 11),
        # within 7 days: 5/3 + 7 = Tue 12/3
        "quang-nam-2024.internal-process": D(2024, 3, 12),
        # 3 days after the internal process, projected from its due date 12/3 → Fri 15/3
        "quang-nam-2024.electronic-process": D(2024, 3, 15),
        # ND 63/2010 Art. 24(2), 5 working days: 6, 7, 8, 11, 12 → 12/3
        "national.database-entry-province": D(2024, 3, 12),
    }
    electronic = plan.deadlines["quang-nam-2024.electronic-process"]
    assert electronic.flags == {Flag.ANCHOR_PROJECTED}
    assert plan.deadlines["quang-nam-2024.provincial-system-list"].flags == {Flag.ROLLED}
    # the internal process approved early, Fri 8/3: 8/3 + 3 → Mon 11/3, no longer projected
    done = schedule(
        duties,
        calendar,
        {AnchorEvent.DECISION_SIGNED: signed},
        completed={"quang-nam-2024.internal-process": D(2024, 3, 8)},
    )
    assert done.deadlines["quang-nam-2024.electronic-process"].due_date == D(2024, 3, 11)
    assert done.deadlines["quang-nam-2024.electronic-process"].flags == frozenset()


def test_nghe_an_decision_duties(catalog: Catalog, calendar: CalendarSnapshot) -> None:
    duties = catalog.duty_rules(NA, DutyTrigger.PUBLICATION_DECISION, scope=Scope.PROVINCE)
    # signed Fri 17/3/2023, effective Sat 1/4/2023
    plan = schedule(
        duties,
        calendar,
        {
            AnchorEvent.DECISION_SIGNED: D(2023, 3, 17),
            AnchorEvent.DECISION_EFFECTIVE: D(2023, 4, 1),
        },
    )
    assert {code: d.due_date for code, d in plan.deadlines.items()} == {
        "nghe-an-2023.processes": D(2023, 3, 27),  # 17/3 + 10 → Mon 27/3
        "nghe-an-2023.publicise": D(2023, 4, 3),  # Sat 1/4 → Mon 3/4, flagged
        "national.database-entry-province": D(2023, 3, 24),  # 20, 21, 22, 23, 24/3
    }
    # without the effective date, publicising waits for it
    signed_only = schedule(duties, calendar, {AnchorEvent.DECISION_SIGNED: D(2023, 3, 17)})
    assert set(signed_only.waiting) == {"nghe-an-2023.publicise"}


def test_an_giang_decision_duties_chain(catalog: Catalog) -> None:
    duties = catalog.duty_rules(AG, DutyTrigger.PUBLICATION_DECISION, scope=Scope.PROVINCE)
    assert [r.code for r in duties] == [
        "national.database-entry-province",
        "an-giang-construction-2023.internal-process",
        "an-giang-construction-2023.electronic-process",
    ]
    assert duties[2].chain_from == duties[1].code


def test_scope_picks_the_national_database_variant(catalog: Catalog) -> None:
    def database(scope: Scope) -> list[str]:
        rules = catalog.duty_rules("national", DutyTrigger.PUBLICATION_DECISION, scope=scope)
        return [r.code for r in rules]

    assert database(Scope.MINISTRY) == ["national.database-entry-ministry"]
    assert database(Scope.PROVINCE) == ["national.database-entry-province"]
    assert database(Scope.SHORTENED) == ["national.database-entry-shortened"]


def test_rules_in_force_on_a_date(catalog: Catalog) -> None:
    # the 2024 plan's rules are gone in 2025: only the national ones remain
    codes_2025 = {r.code for r in catalog.effective_rules(QN, on=D(2025, 3, 1))}
    assert all(code.startswith("national.") for code in codes_2025)
    # Decree 61/2018 until 30/6/2025, then the carried-over values of Decree 118/2025
    june = {r.code for r in catalog.effective_rules("national", on=D(2025, 6, 30))}
    july = {r.code for r in catalog.effective_rules("national", on=D(2025, 7, 1))}
    assert "national.dossier-apology" in june and "national.dossier-apology-2025" not in june
    assert "national.dossier-apology-2025" in july and "national.dossier-apology" not in july


def test_profiles_and_sources(catalog: Catalog) -> None:
    assert set(catalog.profiles) == {"national", NA, HT, QN, TH, AG}
    quang_nam = catalog.profile(QN)
    assert (quang_nam.extends, quang_nam.year, quang_nam.version) == ("national", 2024, 1)
    assert quang_nam.source is not None
    assert (quang_nam.source.document, quang_nam.source.signed) == ("467/QĐ-UBND", D(2024, 3, 5))
    for code in (NA, HT, QN, TH, AG):
        profile = catalog.profile(code)
        assert profile.extends == "national" and profile.source is not None
        # every plan rule names the phrase it implements, and cites the plan
        assert all(rule.phrases_vi for rule in profile.rules)
        assert all(rule.citation.article for rule in profile.rules)


def test_decision_duties_count_from_what_a_decision_supplies(catalog: Catalog) -> None:
    decision_anchors = {
        AnchorEvent.DECISION_SIGNED,
        AnchorEvent.DECISION_EFFECTIVE,
        AnchorEvent.MINISTRY_LIST_SIGNED,
        AnchorEvent.DUTY_COMPLETED,
    }
    for profile in catalog.profiles:
        for rule in catalog.duty_rules(profile, DutyTrigger.PUBLICATION_DECISION):
            assert rule.anchor in decision_anchors
            assert rule.shape in {Shape.PERIOD, Shape.ON_ANCHOR}
