"""The stateless appointment: receipt + processing time + schedule -> due_at, with its trace.

Every expected date-time below is worked out by hand from the law (docs/legal-basis.md#counting)
and the shipped
calendar; the comment next to it shows the count. Default hours: 07:30–11:30 and 13:30–17:00
(7 h 30 min a day).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.data.dossiers import office_schedule
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    AfterHoursPolicy,
    CalendarDayEnd,
    OfficeSchedule,
    ProcessingTime,
    ReceiptTiming,
    Window,
    compute_due,
)
from app.domain.errors import DomainError, OutOfRange

ICT = dt.timezone(dt.timedelta(hours=7))


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=ICT)


def days(n: int | str) -> ProcessingTime:
    return ProcessingTime.of(n, "working_days")


def hours(n: int | str) -> ProcessingTime:
    return ProcessingTime.of(n, "working_hours")


DEFAULT = office_schedule("default")
BY_SESSION = office_schedule("by-session")
SATURDAY = office_schedule("saturday-morning-reception")
HOURS = (Window(dt.time(7, 30), dt.time(11, 30)), Window(dt.time(13, 30), dt.time(17, 0)))


# -- the worked examples of the issue --------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Tue 5/3/2024 09:00: Wed 6 (1), Thu 7 (2), Fri 8 (3) -> Fri 8/3 09:00
        (at(2024, 3, 5, 9), at(2024, 3, 8, 9)),
        # Fri 26/4/2024 10:00: Sat 27, Sun 28 weekend; Mon 29 swapped off; Tue 30/4, Wed 1/5
        # holidays; Thu 2 (1), Fri 3 (2), Sat 4/5 make-up working day (3) -> Sat 4/5 10:00
        (at(2024, 4, 26, 10), at(2024, 5, 4, 10)),
        # Fri 24/1/2025 14:00: 25-26 weekend; Mon 27 compensatory; 28/1-1/2 Tết; Sun 2;
        # Mon 3/2 (1), Tue 4 (2), Wed 5 (3) -> Wed 5/2 14:00
        (at(2025, 1, 24, 14), at(2025, 2, 5, 14)),
    ],
)
def test_worked_examples(
    calendar: CalendarSnapshot, received: dt.datetime, expected: dt.datetime
) -> None:
    appointment = compute_due(received, days(3), DEFAULT, calendar)
    assert appointment.due_at == expected
    assert appointment.due_day == expected.date()
    assert appointment.receipt_timing is ReceiptTiming.IN_HOURS
    assert appointment.provisional is False
    assert appointment.calendar_revision == calendar.revision


def test_due_at_is_in_vietnam_time_whatever_the_input_offset(calendar: CalendarSnapshot) -> None:
    # 02:00 UTC is 09:00 in Hà Nội: the same Tuesday example, due Fri 8/3 09:00 +07:00
    received = dt.datetime(2024, 3, 5, 2, 0, tzinfo=dt.UTC)
    appointment = compute_due(received, days(3), DEFAULT, calendar)
    assert appointment.due_at.isoformat() == "2024-03-08T09:00:00+07:00"
    assert str(appointment.due_at.tzinfo) == "Asia/Ho_Chi_Minh"


def test_trace_names_the_days_skipped_and_the_make_up_day(calendar: CalendarSnapshot) -> None:
    trace = compute_due(at(2024, 4, 26, 10), days(3), DEFAULT, calendar).trace
    counted = next(step for step in trace if step.step == "counted")
    for day in ("2024-04-29 (Mon) swap_off", "2024-04-30 (Tue) holiday", "2024-05-04 (Sat)"):
        assert day in counted.detail
    assert counted.citation is not None and counted.citation.article == "Điều 147"


# -- when the clock starts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "timing", "expected"),
    [
        # 16:45 is inside the afternoon window: Fri 8/3 at 16:45
        (at(2024, 3, 5, 16, 45), ReceiptTiming.IN_HOURS, at(2024, 3, 8, 16, 45)),
        # 17:30 after closing: counted from Wed 6/3 07:30; Thu 7 (1), Fri 8 (2), Mon 11 (3)
        (at(2024, 3, 5, 17, 30), ReceiptTiming.AFTER_CLOSING, at(2024, 3, 11, 7, 30)),
        # 17:00 is closing time itself: windows are [opens, closes), so after closing too
        (at(2024, 3, 5, 17, 0), ReceiptTiming.AFTER_CLOSING, at(2024, 3, 11, 7, 30)),
        # 12:15, lunch break: counted from 13:30 the same day -> Fri 8/3 13:30
        (at(2024, 3, 5, 12, 15), ReceiptTiming.BETWEEN_WINDOWS, at(2024, 3, 8, 13, 30)),
        # 06:50 before opening: counted from 07:30 -> Fri 8/3 07:30
        (at(2024, 3, 5, 6, 50), ReceiptTiming.BEFORE_OPENING, at(2024, 3, 8, 7, 30)),
        # Sunday 10/3: counted from Mon 11 07:30; Tue 12 (1), Wed 13 (2), Thu 14 (3)
        (at(2024, 3, 10, 9), ReceiptTiming.DAY_OFF, at(2024, 3, 14, 7, 30)),
    ],
)
def test_receipt_timing(
    calendar: CalendarSnapshot,
    received: dt.datetime,
    timing: ReceiptTiming,
    expected: dt.datetime,
) -> None:
    appointment = compute_due(received, days(3), DEFAULT, calendar)
    assert appointment.receipt_timing is timing
    assert appointment.due_at == expected


def test_after_closing_counts_from_the_next_opening(calendar: CalendarSnapshot) -> None:
    appointment = compute_due(at(2024, 3, 5, 17, 30), days(3), DEFAULT, calendar)
    assert appointment.counted_from == at(2024, 3, 6, 7, 30)
    assert appointment.received_at == at(2024, 3, 5, 17, 30)


def test_same_day_closing_policy(calendar: CalendarSnapshot) -> None:
    schedule = OfficeSchedule("late", HOURS, after_hours=AfterHoursPolicy.SAME_DAY_CLOSING)
    # 17:30 Tue treated as received at 17:00 Tue; Wed 6 (1), Thu 7 (2), Fri 8 (3) at 17:00
    appointment = compute_due(at(2024, 3, 5, 17, 30), days(3), schedule, calendar)
    assert appointment.counted_from == at(2024, 3, 5, 17, 0)
    assert appointment.due_at == at(2024, 3, 8, 17, 0)


def test_receipt_cutoff(calendar: CalendarSnapshot) -> None:
    schedule = OfficeSchedule("cutoff", HOURS, receipt_cutoff=dt.time(16, 0))
    # 16:15 is past the 16:00 cut-off: counted from Wed 6 07:30; Thu, Fri, Mon 11 (3)
    late = compute_due(at(2024, 3, 5, 16, 15), days(3), schedule, calendar)
    assert late.receipt_timing is ReceiptTiming.AFTER_CUTOFF
    assert late.due_at == at(2024, 3, 11, 7, 30)
    # 15:59 is before it: Fri 8/3 15:59
    in_time = compute_due(at(2024, 3, 5, 15, 59), days(3), schedule, calendar)
    assert in_time.due_at == at(2024, 3, 8, 15, 59)


def test_saturday_morning_reception_does_not_count_saturday(calendar: CalendarSnapshot) -> None:
    # Sat 9/3/2024 09:00 at a centre open on Saturday morning: counted from Mon 11 07:30;
    # Tue 12 (1), Wed 13 (2), Thu 14 (3) -> Thu 14/3 07:30
    appointment = compute_due(at(2024, 3, 9, 9), days(3), SATURDAY, calendar)
    assert appointment.receipt_timing is ReceiptTiming.SATURDAY_RECEPTION
    assert appointment.counted_from == at(2024, 3, 11, 7, 30)
    assert appointment.due_at == at(2024, 3, 14, 7, 30)
    # reception closes at 11:30, as the windows are [opens, closes)
    closing = compute_due(at(2024, 3, 9, 11, 30), days(3), SATURDAY, calendar)
    assert closing.receipt_timing is ReceiptTiming.DAY_OFF
    # the same Saturday afternoon the counter is closed
    afternoon = compute_due(at(2024, 3, 9, 14), days(3), SATURDAY, calendar)
    assert afternoon.receipt_timing is ReceiptTiming.DAY_OFF
    # no reception on a Saturday that is a holiday (Sat 1/2/2025, Tết)
    tet = compute_due(at(2025, 2, 1, 9), days(3), SATURDAY, calendar)
    assert tet.receipt_timing is ReceiptTiming.DAY_OFF


def test_make_up_saturday_uses_ordinary_hours(calendar: CalendarSnapshot) -> None:
    # Sat 4/5/2024 is worked: a 10:00 receipt is in hours; Sun 5 off; Mon 6/5 (1) at 10:00
    one_day = compute_due(at(2024, 5, 4, 10), days(1), DEFAULT, calendar)
    assert one_day.receipt_timing is ReceiptTiming.IN_HOURS
    assert one_day.due_at == at(2024, 5, 6, 10)
    # 16:00 + 4 h: 16:00-17:00 on the make-up Saturday (1 h); Mon 6/5 07:30 + 3 h = 10:30
    four_hours = compute_due(at(2024, 5, 4, 16), hours(4), DEFAULT, calendar)
    assert four_hours.due_at == at(2024, 5, 6, 10, 30)


# -- working hours, half days, sessions ------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "expected"),
    [
        # 09:00-11:30 (2 h 30) + 13:30-15:00 (1 h 30) = 4 h -> Tue 15:00
        (at(2024, 3, 5, 9), "4", at(2024, 3, 5, 15)),
        # 07:30-11:30 is exactly 4 h: due at the end of the morning, not at 13:30
        (at(2024, 3, 5, 7, 30), "4", at(2024, 3, 5, 11, 30)),
        # 11:00-11:30 (30 min) + 13:30-14:30 (1 h) = 1 h 30
        (at(2024, 3, 5, 11), "1.5", at(2024, 3, 5, 14, 30)),
        # Tue 09:00-17:00 6 h; Wed 7 h 30 (13 h 30); Thu 07:30 + 2 h 30 = 10:00
        (at(2024, 3, 5, 9), "16", at(2024, 3, 7, 10)),
        # Fri 26/4/2024 15:00-17:00 2 h; 27/4-1/5 all off; Thu 2/5 07:30 + 2 h = 09:30
        (at(2024, 4, 26, 15), "4", at(2024, 5, 2, 9, 30)),
        # after closing: from Wed 6/3 07:30, 4 h -> 11:30
        (at(2024, 3, 5, 18), "4", at(2024, 3, 6, 11, 30)),
    ],
)
def test_working_hours(
    calendar: CalendarSnapshot, received: dt.datetime, amount: str, expected: dt.datetime
) -> None:
    assert compute_due(received, hours(amount), DEFAULT, calendar).due_at == expected


@pytest.mark.parametrize(
    ("received", "amount", "expected"),
    [
        # half of 7 h 30 = 3 h 45: 09:00-11:30 (2 h 30) + 13:30-14:45 (1 h 15)
        (at(2024, 3, 5, 9), "0.5", at(2024, 3, 5, 14, 45)),
        # 14:00-17:00 (3 h) + Wed 07:30-08:15 (45 min)
        (at(2024, 3, 5, 14), "0.5", at(2024, 3, 6, 8, 15)),
        # 1 day -> Wed 09:00, then 3 h 45 -> Wed 14:45
        (at(2024, 3, 5, 9), "1.5", at(2024, 3, 6, 14, 45)),
    ],
)
def test_half_days(
    calendar: CalendarSnapshot, received: dt.datetime, amount: str, expected: dt.datetime
) -> None:
    assert compute_due(received, days(amount), DEFAULT, calendar).due_at == expected


@pytest.mark.parametrize(
    ("received", "amount", "expected"),
    [
        # nhận sáng trả sáng: morning of Tue -> morning of Fri 8/3 (3 days), its end 11:30
        (at(2024, 3, 5, 9), "3", at(2024, 3, 8, 11, 30)),
        # nhận chiều trả chiều: afternoon of Tue -> afternoon of Fri 8/3, 17:00
        (at(2024, 3, 5, 14), "3", at(2024, 3, 8, 17)),
        # half a day = one session: Tue morning -> Tue afternoon
        (at(2024, 3, 5, 9), "0.5", at(2024, 3, 5, 17)),
        # even early in the morning (07:40) the next session is the afternoon
        (at(2024, 3, 5, 7, 40), "0.5", at(2024, 3, 5, 17)),
        # Tue afternoon -> Wed morning
        (at(2024, 3, 5, 14), "0.5", at(2024, 3, 6, 11, 30)),
        # lunch receipt counts in the afternoon session: Fri 8/3 afternoon
        (at(2024, 3, 5, 12), "3", at(2024, 3, 8, 17)),
        # Fri 26/4/2024 afternoon -> the next working morning, Thu 2/5
        (at(2024, 4, 26, 14), "0.5", at(2024, 5, 2, 11, 30)),
    ],
)
def test_appointments_by_session(
    calendar: CalendarSnapshot, received: dt.datetime, amount: str, expected: dt.datetime
) -> None:
    appointment = compute_due(received, days(amount), BY_SESSION, calendar)
    assert appointment.due_at == expected
    assert any(step.step == "session" for step in appointment.trace)


def test_sessions_do_not_round_hour_periods(calendar: CalendarSnapshot) -> None:
    # 4 h from Tue 09:00 is 15:00 with or without appointments by session
    assert compute_due(at(2024, 3, 5, 9), hours(4), BY_SESSION, calendar).due_at == at(
        2024, 3, 5, 15
    )


def test_shorter_friday(calendar: CalendarSnapshot) -> None:
    friday = (Window(dt.time(7, 30), dt.time(11, 30)), Window(dt.time(13, 30), dt.time(16, 0)))
    schedule = OfficeSchedule("short-friday", HOURS, weekday_windows=((4, friday),))
    # Tue 16:30 + 3 days is Fri 8/3, but Friday closes at 16:00: due at 16:00
    assert compute_due(at(2024, 3, 5, 16, 30), days(3), schedule, calendar).due_at == at(
        2024, 3, 8, 16
    )
    # Fri 15:00 + 4 h: 15:00-16:00 (1 h); Mon 11/3 07:30 + 3 h = 10:30
    assert compute_due(at(2024, 3, 8, 15), hours(4), schedule, calendar).due_at == at(
        2024, 3, 11, 10, 30
    )
    # 16:15 on Friday is after closing: from Mon 11 07:30, 1 day -> Tue 12/3 07:30
    late = compute_due(at(2024, 3, 8, 16, 15), days(1), schedule, calendar)
    assert late.receipt_timing is ReceiptTiming.AFTER_CLOSING
    assert late.due_at == at(2024, 3, 12, 7, 30)


# -- calendar days ---------------------------------------------------------------------------


def test_calendar_days_end_at_midnight(calendar: CalendarSnapshot) -> None:
    # Tue 5/3/2024 not counted; Wed 6 (1) ... Fri 15 (10), a working day; ends 24:00 Fri 15,
    # written 00:00 Sat 16 (Civil Code Art. 148(6))
    appointment = compute_due(
        at(2024, 3, 5, 9), ProcessingTime.of(10, "calendar_days"), DEFAULT, calendar
    )
    assert appointment.due_day == dt.date(2024, 3, 15)
    assert appointment.due_at == at(2024, 3, 16, 0, 0)


def test_calendar_days_roll_over_holidays(calendar: CalendarSnapshot) -> None:
    # Wed 17/4/2024 + 13 days = Tue 30/4 (holiday); Wed 1/5 holiday; Thu 2/5 working
    thirteen = ProcessingTime.of(13, "calendar_days")
    appointment = compute_due(at(2024, 4, 17, 9), thirteen, DEFAULT, calendar)
    assert appointment.due_day == dt.date(2024, 5, 2)
    assert appointment.due_at == at(2024, 5, 3, 0, 0)
    rolled = next(step for step in appointment.trace if step.step == "rolled")
    assert rolled.citation is not None and rolled.citation.article == "Điều 148 khoản 5"
    closing = OfficeSchedule("closing", HOURS, calendar_days_end=CalendarDayEnd.CLOSING)
    assert compute_due(at(2024, 4, 17, 9), thirteen, closing, calendar).due_at == at(2024, 5, 2, 17)


def test_calendar_days_after_hours(calendar: CalendarSnapshot) -> None:
    # Tue 5/3 17:30 counts from Wed 6/3; + 10 days = Sat 16/3, a day off -> Mon 18/3
    appointment = compute_due(
        at(2024, 3, 5, 17, 30), ProcessingTime.of(10, "calendar_days"), DEFAULT, calendar
    )
    assert appointment.due_day == dt.date(2024, 3, 18)
    assert appointment.due_at == at(2024, 3, 19, 0, 0)


# -- refusals and flags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (0, "working_days"),
        (-1, "working_days"),
        (366, "working_days"),  # past the 365 working-day bound
        ("0.3", "working_days"),  # days go by halves
        ("1.5", "calendar_days"),
        ("0.01", "working_hours"),  # 36 seconds: hours go by minutes
        (3000, "working_hours"),
        (731, "calendar_days"),
        ("NaN", "working_days"),
        ("three", "working_days"),
        (True, "working_days"),
    ],
)
def test_bad_processing_time(amount: int | str, unit: str) -> None:
    with pytest.raises(DomainError) as caught:
        ProcessingTime.of(amount, unit)
    assert caught.value.field == "amount"


def test_bad_unit() -> None:
    with pytest.raises(DomainError) as caught:
        ProcessingTime.of(3, "weeks")
    assert caught.value.field == "unit"


def test_bounds_are_inclusive() -> None:
    assert ProcessingTime.of(365, "working_days").amount == Decimal(365)
    assert ProcessingTime.of("0.5", "working_days").steps == 1
    assert ProcessingTime.of("1.25", "working_hours").steps == 75


def test_naive_receipt_refused(calendar: CalendarSnapshot) -> None:
    with pytest.raises(DomainError) as caught:
        compute_due(dt.datetime(2024, 3, 5, 9), days(3), DEFAULT, calendar)
    assert caught.value.field == "received_at"


def test_out_of_range(calendar: CalendarSnapshot) -> None:
    with pytest.raises(OutOfRange) as before:
        compute_due(at(2018, 12, 31, 9), days(3), DEFAULT, calendar)
    assert before.value.field == "received_at"
    with pytest.raises(OutOfRange) as past:
        compute_due(at(2030, 12, 20, 9), days(30), DEFAULT, calendar)
    assert past.value.field == "amount"


def test_provisional_years_are_flagged(calendar: CalendarSnapshot) -> None:
    # Tue 28/12/2027 + 10 working days reaches January 2028, not yet decided
    assert compute_due(at(2027, 12, 28, 9), days(10), DEFAULT, calendar).provisional is True


@pytest.mark.parametrize(
    "windows",
    [
        (),
        (Window(dt.time(13, 30), dt.time(17, 0)), Window(dt.time(7, 30), dt.time(11, 30))),
        (Window(dt.time(7, 30), dt.time(12, 0)), Window(dt.time(11, 30), dt.time(17, 0))),
    ],
)
def test_bad_windows(windows: tuple[Window, ...]) -> None:
    with pytest.raises(DomainError) as caught:
        OfficeSchedule("bad", windows)
    assert caught.value.field == "windows"


def test_bad_window_and_schedule_options() -> None:
    with pytest.raises(DomainError):
        Window(dt.time(17, 0), dt.time(7, 30))
    three = (*HOURS, Window(dt.time(18, 0), dt.time(20, 0)))
    with pytest.raises(DomainError) as caught:
        OfficeSchedule("three", three, return_by_session=True)
    assert caught.value.field == "return_by_session"
    with pytest.raises(DomainError) as weekend:
        OfficeSchedule("sat", HOURS, weekday_windows=((5, HOURS),))
    assert weekend.value.field == "weekday_windows"
