"""The channel of receipt under Nghị định 118/2025: the online acceptance deadline (Art.
17(2)(c), 8 working hours from the system's receipt) and the forwarding of paper dossiers
received after 15:00 (Art. 18(2)).

Dates worked by hand from the official 2025 calendar with the default hours 07:30-11:30 and
13:30-17:00 (7 h 30 min a day). July 2025 has no holiday: Thu 3/7, Fri 4/7, Sat 5/7, Sun 6/7,
Mon 7/7, Tue 8/7. Quốc khánh 2025: Mon 1/9 and Tue 2/9 off (2/9 and its adjacent day), so after
Fri 29/8 the next working day is Wed 3/9.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.dossiers import dossier_rule_book, office_schedule
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    AcceptanceStatus,
    Channel,
    DossierEvent,
    DossierFlag,
    DossierState,
    EventKind,
    ProcessingTime,
    derive_state,
)
from app.domain.errors import DomainError

ICT = dt.timezone(dt.timedelta(hours=7))
K = EventKind


def at(d: int, mo: int, h: int, mi: int = 0, y: int = 2025) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=ICT)


def state(
    calendar: CalendarSnapshot,
    events: list[tuple[EventKind, dt.datetime]],
    as_of: dt.datetime,
    channel: Channel = Channel.ONLINE,
) -> DossierState:
    return derive_state(
        [DossierEvent(kind, when) for kind, when in events],
        ProcessingTime.of(5, "working_days"),
        office_schedule(),
        calendar,
        dossier_rule_book(),
        as_of=as_of,
        channel=channel,
    )


ACCEPTANCE_DEADLINES = [
    # Fri 4/7/2025 16:30: 30 min on Friday to 17:00, 4 h Monday morning (07:30-11:30), 3 h 30
    # Monday afternoon (13:30-17:00): 8 h at Mon 7/7 17:00.
    (at(4, 7, 16, 30), at(7, 7, 17)),
    # Mon 7/7 09:00 in hours: 2 h 30 to 11:30, 3 h 30 to 17:00 (6 h), 2 h more from Tue 07:30.
    (at(7, 7, 9), at(8, 7, 9, 30)),
    # Sat 5/7 10:00, a day off: counted from Mon 7/7 07:30 (practice, the decree is silent);
    # 7 h 30 on Monday, 30 min Tuesday: Tue 8/7 08:00.
    (at(5, 7, 10), at(8, 7, 8)),
    # Thu 3/7 20:00, at night: counted from Fri 4/7 07:30; 7 h 30 Friday, 30 min Monday 7/7.
    (at(3, 7, 20), at(7, 7, 8)),
    # Fri 29/8 16:30: 30 min Friday; Mon 1/9 and Tue 2/9 are Quốc khánh days off; 7 h 30 on
    # Wed 3/9 ends at 17:00.
    (at(29, 8, 16, 30), at(3, 9, 17)),
]


@pytest.mark.parametrize(("received", "deadline"), ACCEPTANCE_DEADLINES)
def test_online_acceptance_deadline_is_8_working_hours_after_the_systems_receipt(
    calendar: CalendarSnapshot, received: dt.datetime, deadline: dt.datetime
) -> None:
    got = state(calendar, [(K.RECEIVED, received)], received)
    assert got.channel is Channel.ONLINE
    assert got.acceptance_due_at == deadline
    assert got.acceptance_status is AcceptanceStatus.PENDING
    step = next(s for s in got.trace if s.step == "acceptance_deadline")
    assert step.citation is not None
    assert step.citation.article == "Điều 17 khoản 2 điểm c"
    after_hours = [s for s in got.trace if s.step == "acceptance_counted_from"]
    # outside office hours the count starts at the next opening, a practice marked uncertain
    assert bool(after_hours) == (received.weekday() == 5 or received.hour >= 17)
    for s in after_hours:
        assert s.citation is not None and s.citation.confidence.value == "?"


FRIDAY = at(4, 7, 16, 30)  # acceptance due Mon 7/7 17:00, as above
DUE = at(7, 7, 17)
ONE_SECOND = dt.timedelta(seconds=1)

ACCEPTANCE_STATUSES = [
    # accepted a minute before the deadline, or exactly at it: met
    ([(K.ACCEPTED, DUE - dt.timedelta(minutes=1))], DUE, AcceptanceStatus.MET),
    ([(K.ACCEPTED, DUE)], DUE + dt.timedelta(hours=1), AcceptanceStatus.MET),
    # a supplement request answers the receipt too (Art. 17(2)(c): accept OR request)
    ([(K.SUPPLEMENT_REQUESTED, at(7, 7, 10))], at(7, 7, 18), AcceptanceStatus.MET),
    # accepted a minute late: missed
    ([(K.ACCEPTED, DUE + dt.timedelta(minutes=1))], at(8, 7, 9), AcceptanceStatus.MISSED),
    # nothing recorded: pending up to the deadline, missed a second after it
    ([], DUE, AcceptanceStatus.PENDING),
    ([], DUE + ONE_SECOND, AcceptanceStatus.MISSED),
    # a pause is not an answer
    ([(K.PAUSED, at(7, 7, 9))], at(8, 7, 9), AcceptanceStatus.MISSED),
]


@pytest.mark.parametrize(("later", "as_of", "expected"), ACCEPTANCE_STATUSES)
def test_acceptance_status(
    calendar: CalendarSnapshot,
    later: list[tuple[EventKind, dt.datetime]],
    as_of: dt.datetime,
    expected: AcceptanceStatus,
) -> None:
    got = state(calendar, [(K.RECEIVED, FRIDAY), *later], as_of)
    assert got.acceptance_status is expected
    assert (DossierFlag.ACCEPTANCE_MISSED in got.raised_flags) == (
        expected is AcceptanceStatus.MISSED
    )


def test_acceptance_does_not_move_the_processing_clock(calendar: CalendarSnapshot) -> None:
    # 5 working days from Fri 4/7 16:30 is Fri 11/7 16:30, accepted or not
    plain = state(calendar, [(K.RECEIVED, FRIDAY)], FRIDAY)
    accepted = state(calendar, [(K.RECEIVED, FRIDAY), (K.ACCEPTED, at(7, 7, 9))], at(7, 7, 9))
    assert plain.due_at == accepted.due_at == at(11, 7, 16, 30)
    assert accepted.accepted_at == at(7, 7, 9)


def test_no_acceptance_deadline_before_1_july_2025(calendar: CalendarSnapshot) -> None:
    # Mon 30/6/2025, under Nghị định 61/2018: no such deadline; `accepted` is still recorded
    got = state(calendar, [(K.RECEIVED, at(30, 6, 9)), (K.ACCEPTED, at(1, 7, 9))], at(1, 7, 9))
    assert got.rules == "nd-61-2018"
    assert got.acceptance_due_at is None and got.acceptance_status is None
    assert got.accepted_at == at(1, 7, 9)


@pytest.mark.parametrize(
    ("channel", "later", "field"),
    [
        # a paper dossier's receipt is its acceptance
        (Channel.COUNTER, [(K.ACCEPTED, at(7, 7, 9))], "events[1].kind"),
        (Channel.POST, [(K.ACCEPTED, at(7, 7, 9))], "events[1].kind"),
        # accepted once
        (Channel.ONLINE, [(K.ACCEPTED, at(7, 7, 9)), (K.ACCEPTED, at(7, 7, 10))], "events[2].kind"),
        # after a supplement request the receipt is answered already
        (
            Channel.ONLINE,
            [(K.SUPPLEMENT_REQUESTED, at(7, 7, 9)), (K.ACCEPTED, at(7, 7, 10))],
            "events[2].kind",
        ),
    ],
)
def test_accepted_is_refused_where_it_means_nothing(
    calendar: CalendarSnapshot,
    channel: Channel,
    later: list[tuple[EventKind, dt.datetime]],
    field: str,
) -> None:
    with pytest.raises(DomainError) as caught:
        state(calendar, [(K.RECEIVED, FRIDAY), *later], at(8, 7, 9), channel)
    assert caught.value.field == field


FORWARDING = [
    # Fri 4/7/2025 14:59, before 15:00: forwarded the same day
    (Channel.COUNTER, at(4, 7, 14, 59), dt.date(2025, 7, 4)),
    # Fri 4/7 15:30, after 15:00: the next working day, Mon 7/7 (Art. 18(2))
    (Channel.COUNTER, at(4, 7, 15, 30), dt.date(2025, 7, 7)),
    # at 15:00 sharp: treated as after (the cut-off is the start of the late part of the day)
    (Channel.POST, at(4, 7, 15), dt.date(2025, 7, 7)),
    # Fri 29/8 15:30: Mon 1/9 and Tue 2/9 are days off, so Wed 3/9
    (Channel.COUNTER, at(29, 8, 15, 30), dt.date(2025, 9, 3)),
    # online dossiers are not paper: no forwarding day
    (Channel.ONLINE, at(4, 7, 15, 30), None),
]


@pytest.mark.parametrize(("channel", "received", "forward_on"), FORWARDING)
def test_paper_dossiers_after_15_00_are_forwarded_the_next_working_day(
    calendar: CalendarSnapshot, channel: Channel, received: dt.datetime, forward_on: dt.date | None
) -> None:
    got = state(calendar, [(K.RECEIVED, received)], received, channel)
    assert got.forward_on == forward_on
    if forward_on is not None:
        step = next(s for s in got.trace if s.step == "forward_on")
        assert step.citation is not None and step.citation.article == "Điều 18 khoản 2"


def test_no_forwarding_day_before_1_july_2025(calendar: CalendarSnapshot) -> None:
    got = state(calendar, [(K.RECEIVED, at(30, 6, 16))], at(30, 6, 16), Channel.COUNTER)
    assert got.forward_on is None
