"""Dossiers under the law in force at receipt: Nghị định 61/2018 to 30/6/2025, Nghị định
118/2025 from 1/7/2025 (Art. 40(1)).

Dates worked by hand from the official 2025 calendar: no holiday between 30/6 and 11/7/2025
(30/4-1/5 and 2/9 are far), Saturdays and Sundays off. Mon 30/6, Tue 1/7, Wed 2/7, Thu 3/7,
Fri 4/7, Mon 7/7/2025. Office hours 07:30-11:30 and 13:30-17:00 (the default schedule).
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.dossiers import dossier_rule_book, office_schedule
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    ClockRecord,
    DossierEvent,
    EventKind,
    ProcessingTime,
    fold_events,
    state_as_of,
)
from app.domain.errors import DomainError

ICT = dt.timezone(dt.timedelta(hours=7))
K = EventKind


def at(d: int, mo: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(2025, mo, d, h, mi, tzinfo=ICT)


def ev(kind: EventKind, when: dt.datetime) -> DossierEvent:
    return DossierEvent(kind, when)


# Two supplement requests on one dossier: received, request, resubmitted, second request.
# Each request is in time: within 3 working days of the latest receipt or resubmission.
TWO_REQUESTS = [
    (
        # Received Mon 30/6/2025, the last day of Nghị định 61/2018: it sets no limit on the
        # number of supplement requests (its Art. 19(4) only times them), nothing is flagged.
        [at(30, 6, 9), at(1, 7, 10), at(2, 7, 9), at(3, 7, 10)],
        "nd-61-2018",
        (),
    ),
    (
        # Received Tue 1/7/2025, Nghị định 118/2025's first day: "chỉ được yêu cầu sửa đổi, bổ
        # sung một lần" (Art. 11(2)(c)), so the second request (events[3]) is a breach.
        [at(1, 7, 9), at(2, 7, 10), at(3, 7, 9), at(4, 7, 10)],
        "nd-118-2025",
        (3,),
    ),
]


@pytest.mark.parametrize(("times", "rules", "breaches"), TWO_REQUESTS)
def test_a_second_supplement_request_is_a_breach_from_1_july_2025(
    calendar: CalendarSnapshot, times: list[dt.datetime], rules: str, breaches: tuple[int, ...]
) -> None:
    kinds = [K.RECEIVED, K.SUPPLEMENT_REQUESTED, K.RESUBMITTED, K.SUPPLEMENT_REQUESTED]
    events = [ev(kind, when) for kind, when in zip(kinds, times, strict=True)]
    record = fold_events(
        events,
        ProcessingTime.of(5, "working_days"),
        office_schedule(),
        calendar,
        dossier_rule_book(),
    )
    got = state_as_of(record, times[-1] + dt.timedelta(hours=1))
    assert got.rules == rules
    assert got.supplement_breaches == breaches
    # recorded all the same: the clock waits for the second supplement
    assert got.clock.value == "awaiting_supplement"
    assert got.late_supplement_requests == ()
    flagged = [s for s in got.trace if s.step == "supplement_breach"]
    assert len(flagged) == len(breaches)
    for step in flagged:
        assert step.citation is not None
        assert str(step.citation) == (
            "Nghị định 118/2025/NĐ-CP, Điều 11 khoản 2 điểm c; Điều 16 khoản 3"
        )


@pytest.mark.parametrize(
    ("received", "rules", "request_article", "apology_article"),
    [
        # the rules in force on the day of receipt apply to the dossier to the end
        (at(30, 6, 16), "nd-61-2018", "Điều 19, khoản 4", "Điều 19, khoản 9"),
        (at(1, 7, 8), "nd-118-2025", "Điều 19 khoản 5", "Điều 19 khoản 6"),
    ],
)
def test_the_regime_is_the_one_in_force_at_receipt(
    calendar: CalendarSnapshot,
    received: dt.datetime,
    rules: str,
    request_article: str,
    apology_article: str,
) -> None:
    record = fold_events(
        [ev(K.RECEIVED, received)],
        ProcessingTime.of(3, "working_days"),
        office_schedule(),
        calendar,
        dossier_rule_book(),
    )
    assert record.rules.code == rules
    assert record.rules.supplement.request_citation.article == request_article
    assert record.rules.reappointment.apology_citation.article == apology_article
    # Both regimes: the request is due within 3 working days of receipt. Mon 30/6 16:00
    # -> Thu 3/7 16:00; Tue 1/7 08:00 -> Fri 4/7 08:00.
    expected = at(3, 7, 16) if received.day == 30 else at(4, 7, 8)
    assert record.supplement_deadline == expected


# -- closing a returned dossier that is not completed (ND 118/2025 Art. 19(5)) ----------------
# Received Tue 1/7/2025 09:00; found insufficient, return notice Wed 2/7/2025 10:00 (within 3
# working days of receipt: by Fri 4/7 09:00). "Sau 15 ngày kể từ khi thông báo": the notice
# day is not counted (Civil Code Art. 147), 15 calendar days: 3/7 (1) … Thu 17/7 (15), a
# working day, so the applicant has until 24:00 of 17/7 (Art. 148(6)); the closing is due
# once that is over: Fri 18/7/2025.
RECEIVED_1_JULY = ev(K.RECEIVED, at(1, 7, 9))
NOTICE = ev(K.SUPPLEMENT_REQUESTED, at(2, 7, 10))


def fold(calendar: CalendarSnapshot, events: list[DossierEvent]) -> ClockRecord:
    return fold_events(
        events,
        ProcessingTime.of(5, "working_days"),
        office_schedule(),
        calendar,
        dossier_rule_book(),
    )


def test_a_returned_dossier_becomes_due_for_closing_15_days_after_the_notice(
    calendar: CalendarSnapshot,
) -> None:
    waiting = state_as_of(fold(calendar, [RECEIVED_1_JULY, NOTICE]), at(10, 7, 9))
    assert waiting.supplement_request_deadline == at(4, 7, 9)
    assert waiting.closing_due_on == dt.date(2025, 7, 18)
    assert (waiting.closed_at, waiting.closed_early) == (None, None)


def test_the_closing_waits_for_a_period_ending_on_a_day_off(calendar: CalendarSnapshot) -> None:
    # Received Wed 13/8/2025 09:00, return notice Fri 15/8/2025 10:00. 15 calendar days, the
    # notice day not counted: 16/8 (1) … Sat 30/8 (15). Sat 30/8, Sun 31/8 and the National
    # Day holidays Mon 1/9, Tue 2/9/2025 are off, so the period ends with the next working
    # day, Wed 3/9 (Civil Code Art. 148(5)); the closing is due Thu 4/9/2025.
    events = [ev(K.RECEIVED, at(13, 8, 9)), ev(K.SUPPLEMENT_REQUESTED, at(15, 8, 10))]
    waiting = state_as_of(fold(calendar, events), at(20, 8, 9))
    assert waiting.closing_due_on == dt.date(2025, 9, 4)
    step = next(s for s in waiting.trace if s.step == "closing_due")
    assert "2025-09-03" in step.detail
    # closed on Wed 3/9, the applicant's last day: recorded, flagged early
    closed = fold(calendar, [*events, ev(K.CLOSED, at(3, 9, 16))])
    assert state_as_of(closed, at(3, 9, 17)).closed_early is True


@pytest.mark.parametrize(
    ("closed", "early"),
    [
        (at(18, 7, 9), False),  # on the day it becomes due
        (at(21, 7, 8), False),  # later (Mon 21/7)
        (at(17, 7, 15), True),  # the applicant still had until 24:00 of 17/7: flagged
    ],
)
def test_closed_is_a_terminal_state(
    calendar: CalendarSnapshot, closed: dt.datetime, early: bool
) -> None:
    events = [RECEIVED_1_JULY, NOTICE, ev(K.CLOSED, closed)]
    got = state_as_of(fold(calendar, events), closed + dt.timedelta(hours=1))
    assert (got.clock.value, got.status.value) == ("closed", "closed")
    assert (got.closed_at, got.closed_early, got.due_at) == (closed, early, None)
    with pytest.raises(DomainError):  # nothing follows a closing
        fold(calendar, [*events, ev(K.COMPLETED, closed + dt.timedelta(hours=2))])


def test_a_resubmission_cancels_the_closing(calendar: CalendarSnapshot) -> None:
    # Resubmitted Mon 7/7/2025 09:00: the processing period restarts (Art. 19(5)), 5 working
    # days: Tue 8 (1) … Mon 14/7 (5) 09:00; nothing is due for closing any more.
    back = ev(K.RESUBMITTED, at(7, 7, 9))
    got = state_as_of(fold(calendar, [RECEIVED_1_JULY, NOTICE, back]), at(7, 7, 10))
    assert got.closing_due_on is None
    assert got.due_at == at(14, 7, 9)


def test_decree_61_dossiers_are_not_closed(calendar: CalendarSnapshot) -> None:
    # received Mon 30/6/2025: Nghị định 61/2018 has no closing of an uncompleted dossier
    events = [ev(K.RECEIVED, at(30, 6, 9)), ev(K.SUPPLEMENT_REQUESTED, at(1, 7, 10))]
    assert state_as_of(fold(calendar, events), at(1, 7, 11)).closing_due_on is None
    with pytest.raises(DomainError) as refused:
        fold(calendar, [*events, ev(K.CLOSED, at(21, 7, 9))])
    assert refused.value.field == "events[2].kind"


# -- cross-boundary dossiers (ND 118/2025 Art. 17(3) as replaced by ND 309/2026, from 5/8/2026) -
# August 2026: Sat 1/8, so Mon 3, Tue 4, Wed 5, Thu 6, Fri 7, Mon 10, Tue 11, Wed 12/8; no
# holiday or swap before Sat 22/8 (make-up day) and Mon 31/8 (swapped day off).


def at26(d: int, mo: int, h: int) -> dt.datetime:
    return dt.datetime(2026, mo, d, h, tzinfo=ICT)


@pytest.mark.parametrize(
    ("received", "agency", "rules", "due"),
    [
        # Received Thu 6/8/2026 09:00 at a desk outside the agency's area; the competent agency
        # receives it Fri 7/8 14:00, and 3 working days count from there: Mon 10 (1), Tue 11
        # (2), Wed 12/8 (3) 14:00.
        (at26(6, 8, 9), at26(7, 8, 14), "nd-118-2025-nd-309-2026", at26(12, 8, 14)),
        # Received Mon 3/8/2026, before ND 309/2026: the clock runs from the first receipt,
        # Tue 4 (1), Wed 5 (2), Thu 6/8 (3) 09:00; the agency's receipt is recorded only.
        (at26(3, 8, 9), at26(4, 8, 14), "nd-118-2025", at26(6, 8, 9)),
    ],
)
def test_a_cross_boundary_dossier_counts_from_the_competent_agency_from_5_august_2026(
    calendar: CalendarSnapshot,
    received: dt.datetime,
    agency: dt.datetime,
    rules: str,
    due: dt.datetime,
) -> None:
    events = [ev(K.RECEIVED, received), ev(K.RECEIVED_BY_COMPETENT_AGENCY, agency)]
    time = ProcessingTime.of(3, "working_days")
    record = fold_events(events, time, office_schedule(), calendar, dossier_rule_book())
    got = state_as_of(record, agency)
    assert (got.rules, got.due_at) == (rules, due)
    with pytest.raises(DomainError):  # once only
        fold_events(
            [*events, ev(K.RECEIVED_BY_COMPETENT_AGENCY, agency + dt.timedelta(hours=1))],
            time,
            office_schedule(),
            calendar,
            dossier_rule_book(),
        )
