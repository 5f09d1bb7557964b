"""The resolver (profile rules over inherited ones) and the loader's checks, on small catalogs."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest

from app.data.rules import load_catalog, parse_profile
from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import (
    AnchorEvent,
    Bound,
    Catalog,
    Citation,
    Confidence,
    DutyTrigger,
    Level,
    Period,
    Profile,
    Roll,
    Rule,
    Shape,
    Unit,
    compute_rule,
)
from app.domain.errors import NotFound

D = dt.date


def rule(code: str, **fields: Any) -> Rule:
    base: dict[str, Any] = {
        "title_vi": code,
        "title_en": code,
        "shape": Shape.PERIOD,
        "anchor": AnchorEvent.DECISION_SIGNED,
        "amount": 5,
        "unit": Unit.WORKING_DAYS,
        "citation": Citation("Văn bản thử", None, Confidence.VERIFIED),
    }
    return Rule(code=code, **(base | fields))


def profile(code: str, *rules: Rule, **fields: Any) -> Profile:
    base: dict[str, Any] = {
        "name_vi": code,
        "name_en": code,
        "issuer": "UBND",
        "jurisdiction": "Tỉnh",
        "level": Level.PROVINCE,
        "version": 1,
        "extends": "national",
    }
    return Profile(code=code, rules=rules, **(base | fields))


NATIONAL = profile(
    "national",
    rule("national.database", duty_on=DutyTrigger.PUBLICATION_DECISION),
    rule(
        "national.plan",
        shape=Shape.FIXED_DATE,
        anchor=None,
        amount=None,
        unit=None,
        fixed_date=D(2024, 3, 15),
        bound=Bound.STRICT,
    ),
    level=Level.NATIONAL,
    extends=None,
)


def test_a_profile_rule_overrides_by_code_or_by_replaces() -> None:
    same_code = rule("national.database", amount=3)
    replacing = rule(
        "p.plan",
        shape=Shape.FIXED_DATE,
        anchor=None,
        amount=None,
        unit=None,
        fixed_date=D(2024, 3, 20),
        replaces="national.plan",
    )
    added = rule("p.extra", amount=1)
    catalog = Catalog([NATIONAL, profile("p", same_code, replacing, added)])
    assert [r.code for r in catalog.effective_rules("p")] == [
        "national.database",
        "p.plan",
        "p.extra",
    ]
    assert catalog.rule("national.database", "p").amount == 3
    assert catalog.rule("national.database").amount == 5  # national's own, by its prefix
    assert catalog.rule("p.plan").fixed_date == D(2024, 3, 20)  # looked up in p, by prefix
    with pytest.raises(NotFound):
        catalog.rule("national.plan", "p")


def test_a_replacement_out_of_force_lets_the_inherited_rule_back() -> None:
    late = rule("p.database", amount=3, replaces="national.database", effective_from=D(2024, 3, 5))
    catalog = Catalog([NATIONAL, profile("p", late)])
    codes = {r.code: r.amount for r in catalog.effective_rules("p", on=D(2024, 3, 4))}
    assert codes == {"national.database": 5, "national.plan": None}
    codes = {r.code: r.amount for r in catalog.effective_rules("p", on=D(2024, 3, 5))}
    assert codes == {"national.plan": None, "p.database": 3}


def test_a_profile_may_read_before_day_inclusively(calendar: CalendarSnapshot) -> None:
    catalog = Catalog([NATIONAL, profile("p", before_day=Bound.INCLUSIVE)])
    strict = compute_rule(catalog.rule("national.plan", "national"), calendar)
    inclusive = compute_rule(catalog.rule("national.plan", "p"), calendar)
    # "trước ngày 15/3/2024": strictly → Thu 14/3; this profile reads it as Fri 15/3 itself
    assert (strict.due_date, inclusive.due_date) == (D(2024, 3, 14), D(2024, 3, 15))
    assert any("inclusively" in note for note in inclusive.notes)


def test_before_a_month_stays_strict_whatever_the_profile(calendar: CalendarSnapshot) -> None:
    before_feb = rule(
        "p.before-feb",
        shape=Shape.PERIOD_END,
        anchor=None,
        amount=None,
        unit=None,
        periods=(Period.parse("2021-02"),),
        bound=Bound.STRICT,
    )
    catalog = Catalog([NATIONAL, profile("p", before_feb, before_day=Bound.INCLUSIVE)])
    # "trước tháng 02/2021": before Mon 1/2/2021 → Sun 31/1 → back to Fri 29/1/2021
    assert compute_rule(catalog.rule("p.before-feb"), calendar).due_date == D(2021, 1, 29)


@pytest.mark.parametrize(
    ("profiles", "message"),
    [
        ([NATIONAL, profile("p", extends="nowhere")], "extends unknown"),
        ([NATIONAL, profile("p", rule("p.x", replaces="national.none"))], "replaces unknown"),
        (
            [
                NATIONAL,
                profile("p", rule("p.x", anchor=AnchorEvent.DUTY_COMPLETED, chain_from="p.none")),
            ],
            "follows unknown",
        ),
        (
            [
                NATIONAL,
                profile(
                    "p",
                    rule("p.a", anchor=AnchorEvent.DUTY_COMPLETED, chain_from="p.b"),
                    rule("p.b", anchor=AnchorEvent.DUTY_COMPLETED, chain_from="p.a"),
                ),
            ],
            "cycle",
        ),
        (
            [
                NATIONAL,
                profile(
                    "p",
                    rule(
                        "p.x",
                        anchor=AnchorEvent.DOSSIER_RECEIVED,
                        duty_on=DutyTrigger.PUBLICATION_DECISION,
                    ),
                ),
            ],
            "decision duty",
        ),
        ([NATIONAL, NATIONAL], "defined twice"),
    ],
)
def test_an_inconsistent_catalog_is_refused(profiles: list[Profile], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Catalog(profiles)


def test_unknown_profiles_and_rules_are_not_found() -> None:
    catalog = load_catalog()
    with pytest.raises(NotFound):
        catalog.profile("hue-2030")
    with pytest.raises(NotFound):
        catalog.rule("quang-nam-2024.nothing")


_GOOD = """
schema = 1
version = 2

[profile]
code = "p"
name_vi = "P"
name_en = "P"
issuer = "UBND"
jurisdiction = "Tỉnh"
level = "province"
extends = "national"
effective_from = 2024-01-01
effective_to = 2024-12-31

[profile.source]
document = "1/QĐ-UBND"
title = "Kế hoạch"
signed = 2024-01-01
citation = "Quyết định 1/QĐ-UBND"

[[rule]]
code = "p.a"
title_vi = "A"
title_en = "A"
shape = "fixed_date"
fixed_date = 2024-02-21
bound = "strict"
roll = "none"
confidence = "V"
citation = { article = "mục I" }
phrases_vi = ["Trước ngày 21/02/2024"]
"""


def test_the_loader_reads_a_profile_with_its_defaults() -> None:
    parsed = parse_profile(tomllib.loads(_GOOD), "p.toml")
    (only,) = parsed.rules
    assert (parsed.version, parsed.before_day) == (2, Bound.STRICT)
    assert only.citation == Citation("Quyết định 1/QĐ-UBND", "mục I", Confidence.VERIFIED)
    assert (only.effective_from, only.effective_to) == (D(2024, 1, 1), D(2024, 12, 31))
    assert (only.roll, only.bound, only.phrases_vi) == (
        Roll.NONE,
        Bound.STRICT,
        ("Trước ngày 21/02/2024",),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("schema = 1", "schema = 9"), "schema"),
        (('shape = "fixed_date"', 'shape = "fixed_date"\nshpae = "x"'), "unknown keys"),
        (('shape = "fixed_date"', 'shape = "someday"'), "expected one of"),
        (("fixed_date = 2024-02-21", 'fixed_date = "21/02/2024"'), "wrong type"),
        (('confidence = "V"', ""), "confidence is required"),
        (('bound = "strict"', 'bound = "strict"\namount = 3'), "takes no amount"),
    ],
)
def test_the_loader_refuses_bad_data(change: tuple[str, str], message: str) -> None:
    text = _GOOD.replace(*change)
    with pytest.raises(ValueError, match=message):
        parse_profile(tomllib.loads(text), "p.toml")
