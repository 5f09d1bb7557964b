"""The dossier clock: events folded into due date, elapsed and remaining time, and status.

Expected values are worked out by hand; hours 07:30–11:30 and 13:30–17:00 (7 h 30 min a day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.data.dossiers import dossier_rule_book, office_schedule
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    ClockAfterResubmission,
    ClockState,
    DossierEvent,
    DossierRuleBook,
    DossierState,
    DossierStatus,
    EventKind,
    ProcessingTime,
    derive_state,
)
from app.domain.errors import Conflict, DomainError

ICT = dt.timezone(dt.timedelta(hours=7))
DEFAULT = office_schedule("default")
RULES = dossier_rule_book()
K = EventKind


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=ICT)


def hm(h: int, m: int = 0) -> dt.timedelta:
    return dt.timedelta(hours=h, minutes=m)


def ev(kind: EventKind, when: dt.datetime, new_due_at: dt.datetime | None = None) -> DossierEvent:
    return DossierEvent(kind, when, new_due_at)


def state(
    calendar: CalendarSnapshot,
    events: list[DossierEvent],
    as_of: dt.datetime,
    amount: int | str = 3,
    unit: str = "working_days",
    rules: DossierRuleBook = RULES,
    due_soon_within: dt.timedelta | None = None,
) -> DossierState:
    time = ProcessingTime.of(amount, unit)
    return derive_state(
        events, time, DEFAULT, calendar, rules, as_of=as_of, due_soon_within=due_soon_within
    )


# Received Tue 5/3/2024 09:00, 3 working days: Wed 6 (1), Thu 7 (2), Fri 8 (3) -> Fri 8/3 09:00
TUESDAY = ev(K.RECEIVED, at(2024, 3, 5, 9))
DUE = at(2024, 3, 8, 9)


# -- status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status", "remaining"),
    [
        # Tue 10:00 -> Fri 09:00: Tue 1 h 30 + 3 h 30, Wed 7 h 30, Thu 7 h 30, Fri 1 h 30
        (at(2024, 3, 5, 10), DossierStatus.ON_TIME, hm(21, 30)),
        # Thu 08:59: 2 h 31 + 3 h 30 on Thu, 1 h 30 on Fri = 7 h 31, more than one day
        (at(2024, 3, 7, 8, 59), DossierStatus.ON_TIME, hm(7, 31)),
        # Thu 09:00: exactly one working day left (7 h 30) -> due soon
        (at(2024, 3, 7, 9), DossierStatus.DUE_SOON, hm(7, 30)),
        # Thu 12:00 (lunch) counts as 11:30: 3 h 30 + 1 h 30
        (at(2024, 3, 7, 12), DossierStatus.DUE_SOON, hm(5)),
        (at(2024, 3, 8, 9), DossierStatus.DUE_SOON, hm(0)),
        (at(2024, 3, 8, 9, 1), DossierStatus.OVERDUE, -hm(0, 1)),
        # Sat 9/3: 09:00-17:00 Friday went by, 6 h late
        (at(2024, 3, 9, 10), DossierStatus.OVERDUE, -hm(6)),
    ],
)
def test_open_status(
    calendar: CalendarSnapshot,
    as_of: dt.datetime,
    status: DossierStatus,
    remaining: dt.timedelta,
) -> None:
    result = state(calendar, [TUESDAY], as_of)
    assert result.status is status
    assert result.remaining == remaining
    assert result.due_at == DUE
    assert result.clock is ClockState.RUNNING
    assert result.paused is False


def test_due_soon_threshold_is_configurable(calendar: CalendarSnapshot) -> None:
    # Wed 09:00 -> Fri 09:00 is two working days (15 h)
    wednesday = at(2024, 3, 6, 9)
    assert state(calendar, [TUESDAY], wednesday).status is DossierStatus.ON_TIME
    two_days = state(calendar, [TUESDAY], wednesday, due_soon_within=hm(15))
    assert two_days.status is DossierStatus.DUE_SOON
    with pytest.raises(DomainError) as caught:
        state(calendar, [TUESDAY], wednesday, due_soon_within=-hm(1))
    assert caught.value.field == "due_soon_within"


@pytest.mark.parametrize(
    ("completed", "status", "remaining"),
    [
        # Thu 15:00, a day before the due day: 2 h on Thu + 1 h 30 on Fri to spare
        (at(2024, 3, 7, 15), DossierStatus.COMPLETED_EARLY, hm(3, 30)),
        (at(2024, 3, 8, 8), DossierStatus.COMPLETED_ON_TIME, hm(1)),
        (at(2024, 3, 8, 9), DossierStatus.COMPLETED_ON_TIME, hm(0)),
        (at(2024, 3, 8, 9, 30), DossierStatus.COMPLETED_LATE, -hm(0, 30)),
    ],
)
def test_completed_status(
    calendar: CalendarSnapshot,
    completed: dt.datetime,
    status: DossierStatus,
    remaining: dt.timedelta,
) -> None:
    result = state(calendar, [TUESDAY, ev(K.COMPLETED, completed)], at(2024, 4, 1, 9))
    assert result.status is status
    assert result.remaining == remaining
    assert result.clock is ClockState.STOPPED
    assert result.completed_at == completed


def test_elapsed_and_apology_deadline(calendar: CalendarSnapshot) -> None:
    # Tue 09:00 -> Wed 10:00: Tue 2 h 30 + 3 h 30, Wed 2 h 30 = 8 h 30
    result = state(calendar, [TUESDAY], at(2024, 3, 6, 10))
    assert result.elapsed == hm(8, 30)
    # at least one day before the due day Fri 8/3: Thu 7/3 (ND 61/2018 Art. 19(9))
    assert result.apology_deadline == dt.date(2024, 3, 7)
    assert result.rules == "nd-61-2018"


# -- supplements -----------------------------------------------------------------------------

# 5 working days from Tue 5/3 09:00: Wed 6, Thu 7, Fri 8, Mon 11, Tue 12 -> Tue 12/3 09:00
# Supplement request due within 3 working days: Fri 8/3 09:00


def test_supplement_stops_the_clock_and_restarts_it_from_zero(calendar: CalendarSnapshot) -> None:
    requested = ev(K.SUPPLEMENT_REQUESTED, at(2024, 3, 7, 10))
    waiting = state(calendar, [TUESDAY, requested], at(2024, 3, 8, 10), amount=5)
    assert waiting.clock is ClockState.AWAITING_SUPPLEMENT
    assert waiting.paused is True
    assert waiting.due_at is None
    assert waiting.remaining is None
    assert waiting.status is DossierStatus.ON_TIME
    # Tue 09:00-17:00 6 h, Wed 7 h 30, Thu 07:30-10:00 2 h 30 = 16 h, frozen at the request
    assert waiting.elapsed == hm(16)
    assert waiting.supplement_request_deadline == at(2024, 3, 8, 9)
    assert waiting.late_supplement_requests == ()

    back = ev(K.RESUBMITTED, at(2024, 3, 11, 14))
    # restart from zero, Mon 11/3 14:00: Tue 12, Wed 13, Thu 14, Fri 15, Mon 18 -> 18/3 14:00
    restarted = state(calendar, [TUESDAY, requested, back], at(2024, 3, 11, 15), amount=5)
    assert restarted.clock is ClockState.RUNNING
    assert restarted.counted_from == at(2024, 3, 11, 14)
    assert restarted.due_at == at(2024, 3, 18, 14)
    assert restarted.elapsed == hm(1)
    # a new request would be due 3 working days after the resubmission: Thu 14/3 14:00
    assert restarted.supplement_request_deadline == at(2024, 3, 14, 14)


def test_late_supplement_request_is_flagged(calendar: CalendarSnapshot) -> None:
    late = ev(K.SUPPLEMENT_REQUESTED, at(2024, 3, 8, 10))  # after Fri 8/3 09:00
    result = state(calendar, [TUESDAY, late], at(2024, 3, 8, 11), amount=5)
    assert result.late_supplement_requests == (1,)


def test_supplement_requested_after_the_due(calendar: CalendarSnapshot) -> None:
    # 3 days, due Fri 8/3 09:00; the request comes Fri 10:00: late, and the dossier was already
    # overdue when the clock stopped, so it stays overdue until the resubmission restarts it
    events = [TUESDAY, ev(K.SUPPLEMENT_REQUESTED, at(2024, 3, 8, 10))]
    waiting = state(calendar, events, at(2024, 3, 11, 9))
    assert waiting.status is DossierStatus.OVERDUE
    assert waiting.late_supplement_requests == (1,)
    # resubmitted Mon 11/3 09:00: 3 days afresh, Tue 12, Wed 13, Thu 14 -> Thu 14/3 09:00
    back = state(calendar, [*events, ev(K.RESUBMITTED, at(2024, 3, 11, 9))], at(2024, 3, 11, 9))
    assert back.status is DossierStatus.ON_TIME
    assert back.due_at == at(2024, 3, 14, 9)


def test_resume_rule_counts_the_wait_as_a_pause(calendar: CalendarSnapshot) -> None:
    rules = DossierRuleBook(
        tuple(
            dataclasses.replace(
                version,
                supplement=dataclasses.replace(
                    version.supplement, after_resubmission=ClockAfterResubmission.RESUME
                ),
            )
            for version in RULES.versions
        )
    )
    events = [
        TUESDAY,
        ev(K.SUPPLEMENT_REQUESTED, at(2024, 3, 7, 10)),
        ev(K.RESUBMITTED, at(2024, 3, 11, 10)),
    ]
    # wait Thu 10:00 -> Mon 10:00: Thu 1 h 30 + 3 h 30, Fri 7 h 30, Mon 2 h 30 = 15 h (2 days);
    # Tue 12/3 09:00 + 15 h: Tue 6 h, Wed 13 7 h 30, Thu 14 07:30 + 1 h 30 -> Thu 14/3 09:00
    result = state(calendar, events, at(2024, 3, 11, 11), amount=5, rules=rules)
    assert result.due_at == at(2024, 3, 14, 9)
    # 16 h before the request, 1 h on Monday after it
    assert result.elapsed == hm(17)


# -- pauses ----------------------------------------------------------------------------------

# Received Fri 17/1/2025 09:00, 10 working days: Mon 20 - Fri 24 (5); 27/1 compensatory,
# 28/1-1/2 Tết, weekends; Mon 3/2 - Fri 7/2 (10) -> Fri 7/2/2025 09:00
TET_RECEIVED = ev(K.RECEIVED, at(2025, 1, 17, 9))
TET_PAUSED = ev(K.PAUSED, at(2025, 1, 23, 10))


def test_pause_spanning_tet(calendar: CalendarSnapshot) -> None:
    resumed = ev(K.RESUMED, at(2025, 2, 4, 10))
    # excluded: Thu 23/1 1 h 30 + 3 h 30, Fri 24/1 7 h 30, Tết nothing, Mon 3/2 7 h 30,
    # Tue 4/2 2 h 30 = 22 h 30 (3 working days) -> Fri 7/2 09:00 + 3 days = Wed 12/2 09:00
    result = state(calendar, [TET_RECEIVED, TET_PAUSED, resumed], at(2025, 2, 4, 10), amount=10)
    assert result.due_at == at(2025, 2, 12, 9)
    # Fri 17/1 6 h, Mon 20 - Wed 22 22 h 30, Thu 23 07:30-10:00 2 h 30 = 31 h
    assert result.elapsed == hm(31)
    assert result.clock is ClockState.RUNNING


def test_state_during_a_pause(calendar: CalendarSnapshot) -> None:
    # As of Thu 30/1/2025 12:00 (Tết): 12 h 30 excluded so far (Thu 23 5 h, Fri 24 7 h 30).
    # Due if resumed now: Fri 7/2 09:00 + 12 h 30 = Fri 6 h, Mon 10/2 07:30 + 6 h 30 = 16:00
    result = state(calendar, [TET_RECEIVED, TET_PAUSED], at(2025, 1, 30, 12), amount=10)
    assert result.clock is ClockState.PAUSED
    assert result.paused is True
    assert result.due_at == at(2025, 2, 10, 16)
    # frozen at the pause: Thu 23 10:00 -> Fri 7/2 09:00 = 5 + 7 h 30 + 4 x 7 h 30 + 1 h 30
    assert result.remaining == hm(44)
    assert result.status is DossierStatus.ON_TIME


def test_completion_ends_an_open_pause(calendar: CalendarSnapshot) -> None:
    # Tue 5/3 due Fri 8/3 09:00; paused Thu 7 09:00, completed Mon 11 09:00 without resuming:
    # 2 working days excluded -> due Tue 12/3 09:00; completed the day before: early
    events = [TUESDAY, ev(K.PAUSED, at(2024, 3, 7, 9)), ev(K.COMPLETED, at(2024, 3, 11, 9))]
    result = state(calendar, events, at(2024, 3, 11, 9))
    assert result.due_at == at(2024, 3, 12, 9)
    assert result.status is DossierStatus.COMPLETED_EARLY


def test_pause_of_a_calendar_day_period(calendar: CalendarSnapshot) -> None:
    # 10 calendar days from Tue 5/3/2024: last day Fri 15/3. Paused Thu 7 10:00, resumed
    # Sat 9 08:00: 2 calendar days -> Sun 17/3, a day off -> Mon 18/3, ends 24:00
    events = [TUESDAY, ev(K.PAUSED, at(2024, 3, 7, 10)), ev(K.RESUMED, at(2024, 3, 9, 8))]
    result = state(calendar, events, at(2024, 3, 9, 8), amount=10, unit="calendar_days")
    assert result.due_day == dt.date(2024, 3, 18)
    assert result.due_at == at(2024, 3, 19, 0)


def test_a_due_at_an_opening_stays_at_an_opening(calendar: CalendarSnapshot) -> None:
    # Tue 5/3 17:30 counts from Wed 6/3 07:30; 3 days: Thu 7, Fri 8, Mon 11 -> Mon 11/3 07:30.
    # A pause of exactly one working day (Wed 09:00 -> Thu 09:00) moves it to Tue 12/3 07:30,
    # not to Mon 17:00, which is the same working instant written the other way.
    events = [
        ev(K.RECEIVED, at(2024, 3, 5, 17, 30)),
        ev(K.PAUSED, at(2024, 3, 6, 9)),
        ev(K.RESUMED, at(2024, 3, 7, 9)),
    ]
    assert state(calendar, events, at(2024, 3, 7, 9)).due_at == at(2024, 3, 12, 7, 30)


def test_paused_after_the_due_stays_overdue(calendar: CalendarSnapshot) -> None:
    events = [TUESDAY, ev(K.PAUSED, at(2024, 3, 8, 10))]  # an hour after Fri 09:00
    result = state(calendar, events, at(2024, 3, 12, 10))
    assert result.status is DossierStatus.OVERDUE
    assert result.remaining == -hm(1)


# -- re-appointment --------------------------------------------------------------------------


def test_reappointment(calendar: CalendarSnapshot) -> None:
    new_due = at(2024, 3, 12, 9)
    events = [TUESDAY, ev(K.REAPPOINTED, at(2024, 3, 7, 16), new_due)]
    before = state(calendar, events, at(2024, 3, 7, 16, 30))
    assert before.due_at == new_due
    assert before.statutory_due_at == DUE
    assert before.reappointed_due_at == new_due
    assert before.reappointment_late is False  # sent Thu 7/3, the apology deadline
    # Thu 16:30-17:00 and Fri 07:30-09:00 left before the statutory due: 2 h
    assert before.remaining == hm(2)
    assert before.status is DossierStatus.DUE_SOON
    # past the statutory due, the dossier is late even with its new appointment
    after = state(calendar, events, at(2024, 3, 11, 10))
    assert after.status is DossierStatus.OVERDUE
    assert after.due_at == new_due
    done = state(calendar, [*events, ev(K.COMPLETED, at(2024, 3, 11, 15))], at(2024, 3, 12, 9))
    assert done.status is DossierStatus.COMPLETED_LATE


def test_second_reappointment_is_refused(calendar: CalendarSnapshot) -> None:
    events = [
        TUESDAY,
        ev(K.REAPPOINTED, at(2024, 3, 7, 16), at(2024, 3, 12, 9)),
        ev(K.REAPPOINTED, at(2024, 3, 11, 16), at(2024, 3, 15, 9)),
    ]
    with pytest.raises(Conflict) as caught:
        state(calendar, events, at(2024, 3, 11, 16))
    assert caught.value.field == "events[2]"


def test_late_reappointment_is_flagged(calendar: CalendarSnapshot) -> None:
    # sent on the due day itself, Fri 8/3; it was due by Thu 7/3
    events = [TUESDAY, ev(K.REAPPOINTED, at(2024, 3, 8, 8), at(2024, 3, 12, 9))]
    assert state(calendar, events, at(2024, 3, 8, 8)).reappointment_late is True


def test_reappointment_must_move_the_due_later(calendar: CalendarSnapshot) -> None:
    events = [TUESDAY, ev(K.REAPPOINTED, at(2024, 3, 7, 16), at(2024, 3, 8, 8))]
    with pytest.raises(DomainError) as caught:
        state(calendar, events, at(2024, 3, 7, 16))
    assert caught.value.field == "events[1].new_due_at"


# -- event order -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ([ev(K.COMPLETED, at(2024, 3, 5, 9))], "events[0].kind"),
        ([TUESDAY, ev(K.RECEIVED, at(2024, 3, 6, 9))], "events[1].kind"),
        ([TUESDAY, ev(K.RESUMED, at(2024, 3, 6, 9))], "events[1].kind"),
        (
            [TUESDAY, ev(K.PAUSED, at(2024, 3, 6, 9)), ev(K.PAUSED, at(2024, 3, 6, 10))],
            "events[2].kind",
        ),
        (
            [TUESDAY, ev(K.PAUSED, at(2024, 3, 6, 9)), ev(K.RESUMED, at(2024, 3, 6, 8))],
            "events[2].at",
        ),
        (
            [TUESDAY, ev(K.COMPLETED, at(2024, 3, 6, 9)), ev(K.PAUSED, at(2024, 3, 6, 10))],
            "events[2].kind",
        ),
        ([TUESDAY, ev(K.RESUBMITTED, at(2024, 3, 6, 9))], "events[1].kind"),
        (
            [
                TUESDAY,
                ev(K.SUPPLEMENT_REQUESTED, at(2024, 3, 6, 9)),
                ev(K.COMPLETED, at(2024, 3, 7, 9)),
            ],
            "events[2].kind",
        ),
        (
            [
                TUESDAY,
                ev(K.SUPPLEMENT_REQUESTED, at(2024, 3, 6, 9)),
                ev(K.REAPPOINTED, at(2024, 3, 7, 9), at(2024, 3, 20, 9)),
            ],
            "events[2].kind",
        ),
        ([TUESDAY, ev(K.PAUSED, dt.datetime(2024, 3, 6, 9))], "events[1].at"),
        ([TUESDAY, ev(K.PAUSED, at(2024, 3, 6, 9), at(2024, 3, 9))], "events[1].new_due_at"),
        ([TUESDAY, ev(K.REAPPOINTED, at(2024, 3, 6, 9))], "events[1].new_due_at"),
        ([], "events"),
    ],
)
def test_bad_event_order(
    calendar: CalendarSnapshot, events: list[DossierEvent], field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        state(calendar, events, at(2024, 4, 1))
    assert caught.value.field == field


def test_as_of_is_checked(calendar: CalendarSnapshot) -> None:
    with pytest.raises(DomainError) as early:
        state(calendar, [TUESDAY], at(2024, 3, 5, 8))
    assert early.value.field == "as_of"
    with pytest.raises(DomainError) as naive:
        state(calendar, [TUESDAY], dt.datetime(2024, 3, 6, 9))
    assert naive.value.field == "as_of"


@pytest.mark.parametrize(
    ("received", "code"),
    [(at(2025, 6, 30, 9), "nd-61-2018"), (at(2025, 7, 1, 9), "nd-118-2025")],
)
def test_rules_in_force_at_receipt(
    calendar: CalendarSnapshot, received: dt.datetime, code: str
) -> None:
    result = state(calendar, [ev(K.RECEIVED, received)], received)
    assert result.rules == code
