"""The pure logic behind obligations (app/domain/obligations): status on a day, completion,
scope, and what a re-planned schedule changes. No database here."""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.calendar import seed_adjustments, seed_years
from app.data.rules import load_catalog
from app.domain.calendar import CalendarSnapshot, build_snapshot
from app.domain.deadlines import AnchorEvent, DutyTrigger, Scope
from app.domain.obligations import (
    DecisionFacts,
    Level,
    ObligationStatus,
    Recorded,
    completion_status,
    decision_events,
    followers,
    moves,
    plan_duties,
    procedure_status,
    scope_for,
    status_as_of,
)

D = dt.date
PENDING, OVERDUE = ObligationStatus.PENDING, ObligationStatus.OVERDUE


@pytest.fixture(scope="module")
def calendar() -> CalendarSnapshot:
    return build_snapshot(seed_adjustments(), seed_years(), revision=1)


@pytest.mark.parametrize(
    ("stored", "due", "as_of", "expected"),
    [
        (PENDING, D(2024, 3, 8), D(2024, 3, 8), "pending"),  # the due day itself is in time
        (PENDING, D(2024, 3, 8), D(2024, 3, 9), "overdue"),  # from the next day
        (OVERDUE, D(2024, 3, 8), D(2024, 3, 7), "pending"),  # marked overdue, asked about before
        (PENDING, None, D(2030, 1, 1), "pending"),  # waiting for its anchor: never overdue
        (ObligationStatus.DONE_LATE, D(2024, 3, 8), D(2024, 3, 1), "done_late"),
        (ObligationStatus.WAIVED, D(2024, 3, 8), D(2024, 3, 20), "waived"),
    ],
)
def test_status_as_of(
    stored: ObligationStatus, due: dt.date | None, as_of: dt.date, expected: str
) -> None:
    assert status_as_of(stored, due, as_of) == expected


def test_completion_status() -> None:
    assert completion_status(D(2024, 3, 8), D(2024, 3, 8)) is ObligationStatus.DONE
    assert completion_status(D(2024, 3, 8), D(2024, 3, 9)) is ObligationStatus.DONE_LATE
    assert completion_status(None, D(2024, 3, 9)) is ObligationStatus.DONE


def test_procedure_status() -> None:
    assert procedure_status(None, D(2024, 1, 1)) == "active"
    assert procedure_status(D(2024, 6, 1), D(2024, 5, 31)) == "active"
    assert procedure_status(D(2024, 6, 1), D(2024, 6, 1)) == "abolished"


def test_scope_and_events() -> None:
    assert scope_for(Level.NATIONAL, False) is Scope.MINISTRY
    assert scope_for(Level.PROVINCE, False) is Scope.PROVINCE
    assert scope_for(Level.PROVINCE, True) is Scope.SHORTENED
    facts = DecisionFacts(D(2024, 3, 5), D(2024, 3, 15), Level.PROVINCE)
    assert decision_events(facts) == {
        AnchorEvent.DECISION_SIGNED: D(2024, 3, 5),
        AnchorEvent.DECISION_EFFECTIVE: D(2024, 3, 15),
    }
    listed = DecisionFacts(
        D(2024, 3, 5), D(2024, 3, 5), Level.PROVINCE, ministry_list_signed_on=D(2024, 3, 1)
    )
    assert decision_events(listed)[AnchorEvent.MINISTRY_LIST_SIGNED] == D(2024, 3, 1)


def test_only_changed_open_duties_move(calendar: CalendarSnapshot) -> None:
    rules = load_catalog().duty_rules(
        "quang-nam-2024",
        DutyTrigger.PUBLICATION_DECISION,
        scope=Scope.PROVINCE,
        on=D(2024, 3, 5),
    )
    facts = DecisionFacts(D(2024, 3, 5), D(2024, 3, 5), Level.PROVINCE)
    planned = {d.rule: d for d in plan_duties(rules, calendar, facts)}
    internal = "quang-nam-2024.internal-process"
    electronic = "quang-nam-2024.electronic-process"
    on_record = [
        Recorded(1, internal, D(2024, 3, 12), False, None, 1),  # as planned
        Recorded(2, electronic, D(2024, 3, 15), True, None, 1),  # as planned: projected
        Recorded(3, "quang-nam-2024.posting-counter", D(2024, 3, 7), False, None, 1),  # stale
        Recorded(4, "somewhere.else", D(2024, 3, 7), False, None, 1),  # rule gone: left alone
    ]
    assert [m.recorded.id for m in moves(on_record, list(planned.values()))] == [3]
    # internal process approved Fri 8/3/2024: the electronic process is due 8/3 + 3 = Mon 11/3,
    # no longer projected
    after = plan_duties(rules, calendar, facts, completed={internal: D(2024, 3, 8)})
    (move,) = moves(on_record[1:2], after)
    assert (move.planned.due_date, move.planned.projected, move.due_date_moved) == (
        D(2024, 3, 11),
        False,
        True,
    )


def test_followers_are_found_through_chains() -> None:
    chains = {"a": None, "b": "a", "c": "b", "d": None, "e": "d"}
    assert followers(chains, "a") == {"b", "c"}
    assert followers(chains, "b") == {"c"}
    assert followers(chains, "c") == set()
