"""Properties of the dossier clock over many receipts, against independent oracles: the
calendar's own working-day count and a minute-by-minute count written here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.data.dossiers import dossier_rule_book, office_schedule
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    Channel,
    ClockRecord,
    DossierEvent,
    EventKind,
    ProcessingTime,
    ReceiptTiming,
    compute_due,
    fold_events,
    fold_events_kept,
    timeline_for,
)
from app.domain.errors import DomainError

ICT = dt.timezone(dt.timedelta(hours=7))
DEFAULT = office_schedule("default")
# 07:30-11:30 and 13:30-17:00 as minutes of the day, written out independently of the data
OPEN_MINUTES = [(450, 690), (810, 1020)]

receipts = st.builds(
    lambda day, minute: dt.datetime.combine(
        dt.date(2024, 1, 1) + dt.timedelta(days=day), dt.time(minute // 60, minute % 60), ICT
    ),
    st.integers(0, 2 * 365),
    st.integers(0, 24 * 60 - 1),
)


def brute_force_minutes(calendar: CalendarSnapshot, start: dt.datetime, end: dt.datetime) -> int:
    """Working minutes in [start, end), one minute at a time."""
    count, t = 0, start
    while t < end:
        minute = t.hour * 60 + t.minute
        if calendar.is_working(t.date()) and any(a <= minute < b for a, b in OPEN_MINUTES):
            count += 1
        t += dt.timedelta(minutes=1)
    return count


@settings(max_examples=200, deadline=None)
@given(received=receipts, n=st.integers(1, 60))
def test_working_days_land_n_working_days_later_at_the_same_time(
    calendar: CalendarSnapshot, received: dt.datetime, n: int
) -> None:
    appointment = compute_due(received, ProcessingTime.of(n, "working_days"), DEFAULT, calendar)
    start = appointment.counted_from
    assert calendar.is_working(appointment.due_at.date())
    assert calendar.count_working_days(start.date(), appointment.due_at.date()) == n
    assert appointment.due_at.time() == start.time()
    if appointment.receipt_timing is ReceiptTiming.IN_HOURS:
        assert start == received


@settings(max_examples=60, deadline=None)
@given(received=receipts, twentieths=st.integers(1, 3 * 150))
def test_working_hours_match_a_minute_by_minute_count(
    calendar: CalendarSnapshot, received: dt.datetime, twentieths: int
) -> None:
    # hours in steps of 0.05 h (3 minutes), exact as decimals, up to 22 h 30 (three days)
    time = ProcessingTime.of(Decimal(twentieths) / 20, "working_hours")
    minutes = 3 * twentieths
    due = compute_due(received, time, DEFAULT, calendar).due_at
    assert brute_force_minutes(calendar, received, due) == minutes
    # the earliest such instant: one minute earlier, the count falls short
    assert brute_force_minutes(calendar, received, due - dt.timedelta(minutes=1)) == minutes - 1


@settings(max_examples=60, deadline=None)
@given(start=receipts, span=st.integers(0, 20 * 24 * 60))
def test_timeline_counts_like_the_brute_force(
    calendar: CalendarSnapshot, start: dt.datetime, span: int
) -> None:
    end = start + dt.timedelta(minutes=span)
    working = timeline_for(calendar, DEFAULT).between(start, end)
    assert working == dt.timedelta(minutes=brute_force_minutes(calendar, start, end))


# A dossier's later events: mostly what may follow the one before (so that long histories are
# accepted), now and then any kind (so that refusals are folded too; a refusal must be the same
# whichever way the clock is folded).
LATER_KINDS = [kind for kind in EventKind if kind is not EventKind.RECEIVED]
_RUNNING = [
    EventKind.PAUSED,
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENT_REQUESTED,  # a second one is a breach from 1/7/2025 (ND 118/2025)
    EventKind.REAPPOINTED,
    EventKind.COMPLETED,
]
_NEXT = {
    EventKind.PAUSED: [EventKind.RESUMED],
    EventKind.SUPPLEMENT_REQUESTED: [EventKind.RESUBMITTED],
}
later_steps = st.lists(
    st.tuples(st.integers(0, 99), st.integers(1, 5 * 24 * 60), st.integers(0, 9)), max_size=8
)


def _history(received: dt.datetime, steps: list[tuple[int, int, int]]) -> list[DossierEvent]:
    events = [DossierEvent(EventKind.RECEIVED, received)]
    at = received
    for choice, minutes, wild in steps:
        if wild != 0 and events[-1].kind is EventKind.COMPLETED:
            break
        follows = LATER_KINDS if wild == 0 else _NEXT.get(events[-1].kind, _RUNNING)
        kind = follows[choice % len(follows)]
        at += dt.timedelta(minutes=minutes)
        # a new appointment later than any due here (at most 20 working days after receipt)
        new_due = at + dt.timedelta(days=60) if kind is EventKind.REAPPOINTED else None
        events.append(DossierEvent(kind, at, new_due))
    return events


def _folded(fold: Callable[[], ClockRecord]) -> ClockRecord | tuple[str, str | None]:
    try:
        return fold()
    except DomainError as refused:
        return (str(refused), refused.field)


@settings(max_examples=1000, deadline=None)
@given(
    received=receipts,
    steps=later_steps,
    split=st.integers(1, 9),
    channel=st.sampled_from(list(Channel)),
    days=st.integers(1, 20),
)
def test_folding_onto_a_kept_clock_is_folding_the_whole_history(
    calendar: CalendarSnapshot,
    received: dt.datetime,
    steps: list[tuple[int, int, int]],
    split: int,
    channel: Channel,
    days: int,
) -> None:
    """A replica folds only a dossier's new events onto the clock it kept from the earlier
    ones (FoldedClock): the record, or the refusal, must be the one folding them all gives."""
    events = _history(received, steps)
    split = min(split, len(events))
    clock = (ProcessingTime.of(days, "working_days"), DEFAULT, calendar, dossier_rule_book())

    whole = _folded(lambda: fold_events(events, *clock, channel))

    def onto_kept() -> ClockRecord:
        _, kept = fold_events_kept(events[:split], *clock, channel)
        record, after = kept.then(events[split:])
        # the kept clock is left as it was: folding onto it again gives the same
        assert kept.then(events[split:])[0] == record
        assert after.count == len(events) and after.then([])[0] == record
        return record

    assert _folded(onto_kept) == whole
