"""The dossier clock: fold the events into a state (due date, elapsed time, status).

Rules (values and citations from the rules version in force at receipt, app/data/dossiers.toml):

- `received` starts the clock (see `appointment`). It comes first, once.
- `supplement_requested` stops the clock. The request is due within 3 working days of the
  latest receipt or resubmission (ND 61/2018 Art. 19(4)); a later one is recorded and flagged,
  not refused: the event happened. On `resubmitted` the processing time restarts from zero at
  the resubmission (same article), or, if a rules version says `resume`, the wait counts as a
  pause.
- `paused` / `resumed`: the time in between is excluded and the due date moves (see `due`).
  A pause still open at `completed` ends there.
- `reappointed`: the apology and new appointment, at most once (ND 61/2018 Art. 19(9)); a
  further one is a Conflict. It must move the appointment later. Sent after the apology
  deadline (one day before the due day) it is recorded and flagged.
- `completed` ends the clock; nothing may follow it.
- `accepted`: an online dossier's official acceptance, once, before any supplement request;
  with `supplement_requested` (and `completed`) it answers the acceptance deadline of Art.
  17(2)(c) ND 118/2025 (see `intake`). Refused for a paper dossier: its receipt is the
  acceptance.

Event times must not go backwards. Every refusal names the offending event, e.g. `events[3].at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.appointment import appointment_from
from app.domain.dossiers.due import StatutoryDue, apology_deadline, excluding
from app.domain.dossiers.events import DossierEvent, EventKind, checked_event
from app.domain.dossiers.intake import Channel, intake_of
from app.domain.dossiers.local_time import day_label, duration, hhmm, to_local
from app.domain.dossiers.processing import ProcessingTime
from app.domain.dossiers.receipt import Receipt, start_of_counting
from app.domain.dossiers.record import ClockRecord
from app.domain.dossiers.rules import (
    ClockAfterResubmission,
    ClosingRule,
    DossierRuleBook,
    DossierRules,
)
from app.domain.dossiers.schedule import OfficeSchedule, counted_plainly
from app.domain.dossiers.state import ClockState
from app.domain.dossiers.timeline import timeline_for
from app.domain.dossiers.trace import TraceStep
from app.domain.errors import Conflict, DomainError, OutOfRange
from app.domain.values import value


def fold_events(
    events: Sequence[DossierEvent],
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    rule_book: DossierRuleBook,
    channel: Channel = Channel.COUNTER,
) -> ClockRecord:
    """Validate the events in order and fold them into what they establish. Raises DomainError
    naming the offending event (Conflict for one re-appointment too many)."""
    return fold_events_kept(events, processing_time, schedule, calendar, rule_book, channel)[0]


def fold_events_kept(
    events: Sequence[DossierEvent],
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    rule_book: DossierRuleBook,
    channel: Channel = Channel.COUNTER,
) -> tuple[ClockRecord, FoldedClock]:
    """`fold_events`, and the fold itself, for later events to be folded onto."""
    if not events:
        raise DomainError("a dossier's events start with `received`", field="events")
    fold = _Fold(processing_time, schedule, calendar, rule_book, channel)
    for index, event in enumerate(events):
        fold.apply(index, event)
    return fold.record(), FoldedClock(len(events), calendar, rule_book, fold)


@value
class FoldedClock:
    """The clock after a dossier's first `count` events, for later ones to be folded onto
    without folding these again (a replica keeps one for each dossier it remembers). Folding
    onto it leaves it as it is. It holds for the calendar and rule book it was folded with."""

    count: int
    calendar: CalendarSnapshot
    rule_book: DossierRuleBook
    _fold: _Fold

    def then(self, events: Sequence[DossierEvent]) -> tuple[ClockRecord, FoldedClock]:
        """What `fold_events` gives for the first `count` events and `events` after them."""
        fold = self._fold.copy()
        for index, event in enumerate(events, start=self.count):
            fold.apply(index, event)
        return fold.record(), FoldedClock(
            self.count + len(events), self.calendar, self.rule_book, fold
        )


Handler = Callable[[str, int, dt.datetime, DossierEvent], None]
# Each kind's method of the fold, by name: a copy of a fold then needs no handlers of its own.
_HANDLERS = {
    EventKind.RECEIVED: "_received",
    EventKind.SUPPLEMENT_REQUESTED: "_supplement_requested",
    EventKind.RESUBMITTED: "_resubmitted",
    EventKind.PAUSED: "_paused",
    EventKind.RESUMED: "_resumed",
    EventKind.COMPLETED: "_completed",
    EventKind.REAPPOINTED: "_reappointed",
    EventKind.CLOSED: "_closed",
    EventKind.RECEIVED_BY_COMPETENT_AGENCY: "_received_by_competent_agency",
    EventKind.ACCEPTED: "_accepted",
}


class _Fold:
    # Set by the first event, which is always `received`.
    rules: DossierRules
    received_at: dt.datetime
    counted_from: dt.datetime
    due: StatutoryDue  # the statutory due, moved by the closed pauses of the current clock
    supplement_deadline: dt.datetime

    def __init__(
        self,
        processing_time: ProcessingTime,
        schedule: OfficeSchedule,
        calendar: CalendarSnapshot,
        rule_book: DossierRuleBook,
        channel: Channel,
    ) -> None:
        self.channel = channel
        self.acceptance_due_at: dt.datetime | None = None
        self.answered_at: dt.datetime | None = None  # accepted or supplement requested
        self.forward_on: dt.date | None = None
        self.time = processing_time
        self.schedule = schedule
        self.calendar = calendar
        self.book = rule_book
        self.timeline = timeline_for(calendar, schedule)
        self.trace: list[TraceStep] = []
        self.last_at: dt.datetime | None = None
        self.excluded = dt.timedelta(0)  # working time of the closed pauses of the current clock
        self.clock = ClockState.RUNNING
        self.stopped_at: dt.datetime | None = None  # start of the open pause / supplement wait
        self.late_supplements: list[int] = []
        self.supplement_requests = 0
        self.supplement_breaches: list[int] = []
        self.reappointed_due: dt.datetime | None = None
        self.reappointment_late: bool | None = None
        self.reappointments = 0
        self.completed_at: dt.datetime | None = None
        self.closing_due_on: dt.date | None = None
        self.closed_at: dt.datetime | None = None
        self.competent_agency_at: dt.datetime | None = None

    def copy(self) -> _Fold:
        """Another fold in this one's state, its lists its own."""
        # What copy.copy does, without its generic protocol (a fourth of the cost): every
        # event appended to a remembered dossier folds onto a copy.
        clone = object.__new__(_Fold)
        clone.__dict__.update(self.__dict__)
        clone.trace = list(self.trace)
        clone.late_supplements = list(self.late_supplements)
        clone.supplement_breaches = list(self.supplement_breaches)
        return clone

    # -- order ------------------------------------------------------------------------------

    def apply(self, index: int, event: DossierEvent) -> None:
        where = f"events[{index}]"
        at = checked_event(
            index,
            event,
            previous_at=self.last_at,
            completed=self.clock in (ClockState.STOPPED, ClockState.CLOSED),
        )
        self.last_at = at
        handler: Handler = getattr(self, _HANDLERS[event.kind])
        handler(where, index, at, event)

    def _require(self, states: tuple[ClockState, ...], where: str, kind: str, why: str) -> None:
        if self.clock not in states:
            raise DomainError(
                f"{where} ({kind}) while the clock is {self.clock.value}: {why}",
                field=f"{where}.kind",
            )

    def _stop_is_pause(self) -> bool:
        """Whether the open stop moves the due date (a pause, or a supplement wait under a
        `resume` rule) rather than erasing it (a supplement wait under `restart`)."""
        return self.clock is ClockState.PAUSED or (
            self.clock is ClockState.AWAITING_SUPPLEMENT
            and self.rules.supplement.after_resubmission is ClockAfterResubmission.RESUME
        )

    # -- events -----------------------------------------------------------------------------

    def _received(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        self.rules = self.book.in_force_on(at.date(), field=f"{where}.at")
        self.received_at = at
        self.trace.append(TraceStep("rules", f"rules in force at receipt: {self.rules.decree}"))
        receipt = start_of_counting(at, self.schedule, self.calendar, f"{where}.at")
        self._start_clock(receipt)
        intake = intake_of(self.channel, receipt, self.rules, self.schedule, self.calendar)
        self.acceptance_due_at, self.forward_on = intake.acceptance_due_at, intake.forward_on
        self.trace.extend(intake.trace)

    def _answer(self, at: dt.datetime) -> None:
        """The first acceptance or supplement request answers an online dossier's receipt."""
        if self.answered_at is None:
            self.answered_at = at

    def _accepted(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        if self.channel is not Channel.ONLINE:
            raise DomainError(
                f"{where} (accepted): a {self.channel.value} dossier is accepted when it is "
                "received; `accepted` is for online dossiers",
                field=f"{where}.kind",
            )
        if self.answered_at is not None:
            raise DomainError(
                f"{where} (accepted): the dossier was already accepted or a supplement requested",
                field=f"{where}.kind",
            )
        self._require((ClockState.RUNNING,), where, event.kind, "acceptance comes first")
        self._answer(at)
        due = self.acceptance_due_at
        timing = (
            "" if due is None else f", {'LATE' if at > due else 'in time'} (due by {hhmm(due)})"
        )
        rule = self.rules.online_acceptance
        self.trace.append(
            TraceStep(
                "accepted",
                f"{where} accepted {hhmm(at)}{timing}",
                at=at,
                citation=rule.citation if rule is not None else None,
            )
        )

    def _start_clock(self, receipt: Receipt) -> None:
        appointment = appointment_from(receipt, self.time, self.schedule, self.calendar)
        self.counted_from = receipt.counted_from
        self.due = StatutoryDue.of(appointment)
        self.excluded = dt.timedelta(0)
        self.trace.extend(appointment.trace)
        self._set_supplement_deadline(receipt)

    def _set_supplement_deadline(self, receipt: Receipt) -> None:
        # An internal deadline, counted like the processing time but never rounded to a session.
        rule = self.rules.supplement
        plain = counted_plainly(self.schedule)
        deadline = appointment_from(receipt, rule.request_within, plain, self.calendar).due_at
        self.supplement_deadline = deadline
        self.trace.append(
            TraceStep(
                "supplement_deadline",
                f"a supplement request is due within {rule.request_within}: by {hhmm(deadline)}",
                at=deadline,
                citation=rule.request_citation,
            )
        )

    def _supplement_requested(
        self, where: str, index: int, at: dt.datetime, event: DossierEvent
    ) -> None:
        self._require((ClockState.RUNNING,), where, event.kind, "only a running clock stops")
        self._answer(at)
        late = at > self.supplement_deadline
        if late:
            self.late_supplements.append(index)
        self.supplement_requests += 1
        self._check_supplement_limit(where, index, at)
        self.trace.append(
            TraceStep(
                "supplement",
                f"{where} supplement requested {hhmm(at)}, {'LATE' if late else 'in time'} "
                f"(due by {hhmm(self.supplement_deadline)}): the clock stops",
                at=at,
                citation=self.rules.supplement.request_citation,
            )
        )
        self.clock, self.stopped_at = ClockState.AWAITING_SUPPLEMENT, at
        closing = self.rules.closing
        if closing is not None:
            self._set_closing_due(at, closing)

    def _set_closing_due(self, at: dt.datetime, closing: ClosingRule) -> None:
        """The closing of a returned dossier, "Sau 15 ngày kể từ khi thông báo": plain "ngày" is
        a calendar day, the notice's own day is not counted (Civil Code 2015 Art. 147), the
        period ends at 24:00 of its last day (Art. 148(6)), moved to the next working day when
        that day is off (Art. 148(5)). The closing becomes due once the period is over: the day
        after it ends (docs/legal-basis.md#nd118-closed)."""
        last = at.date() + dt.timedelta(days=closing.after_days)
        try:
            ends = self.calendar.on_or_after(last)
        except OutOfRange:
            ends = last  # past the supported calendar: no roll can be known, none applied
        rolled = (
            f", a day off: the period ends with the next working day {day_label(ends)}"
            if ends != last
            else ""
        )
        self.closing_due_on = ends + dt.timedelta(days=1)
        self.trace.append(
            TraceStep(
                "closing_due",
                f"if the dossier is not completed: {closing.after_days} days after the notice "
                f"(its day not counted), to 24:00 of {day_label(last)}{rolled}; closed from "
                f"{day_label(self.closing_due_on)}",
                citation=closing.citation,
            )
        )

    def _check_supplement_limit(self, where: str, index: int, at: dt.datetime) -> None:
        rule = self.rules.supplement
        if rule.max_requests is None or self.supplement_requests <= rule.max_requests:
            return
        # Recorded (the office did send it) and flagged, never silently accepted.
        self.supplement_breaches.append(index)
        self.trace.append(
            TraceStep(
                "supplement_breach",
                f"{where} is supplement request no. {self.supplement_requests}: the law allows "
                f"{rule.max_requests} per dossier, so this one is a breach",
                at=at,
                citation=rule.limit_citation,
            )
        )

    def _resubmitted(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        self._require(
            (ClockState.AWAITING_SUPPLEMENT,), where, event.kind, "no supplement was requested"
        )
        rule = self.rules.supplement
        receipt = start_of_counting(at, self.schedule, self.calendar, f"{where}.at")
        if rule.after_resubmission is ClockAfterResubmission.RESTART:
            self.trace.append(
                TraceStep(
                    "resubmitted",
                    f"{where} resubmitted {hhmm(at)}: the processing time restarts from zero",
                    at=at,
                    citation=rule.resubmission_citation,
                )
            )
            self._start_clock(receipt)
        else:
            self._close_stop(where, at, "resubmitted, the wait excluded like a pause")
            self._set_supplement_deadline(receipt)
        self.clock, self.stopped_at = ClockState.RUNNING, None
        self.closing_due_on = None

    def _received_by_competent_agency(
        self, where: str, index: int, at: dt.datetime, event: DossierEvent
    ) -> None:
        if self.competent_agency_at is not None:
            raise DomainError(
                f"{where}: the competent agency received the dossier already",
                field=f"{where}.kind",
            )
        self._require(
            (ClockState.RUNNING,), where, event.kind, "it comes before any stop or result"
        )
        self.competent_agency_at = at
        citation = self.rules.competent_agency_start
        if citation is None:
            # Before ND 309/2026 the clock runs from the first receipt: recorded, no effect.
            self.trace.append(
                TraceStep(
                    "competent_agency",
                    f"{where} received by the competent agency {hhmm(at)}: the rules in force "
                    f"at receipt ({self.rules.decree}) count from the first receipt",
                    at=at,
                )
            )
            return
        self.trace.append(
            TraceStep(
                "competent_agency",
                f"{where} received by the competent agency {hhmm(at)}: a dossier accepted "
                "regardless of administrative boundary is counted from here",
                at=at,
                citation=citation,
            )
        )
        self._start_clock(start_of_counting(at, self.schedule, self.calendar, f"{where}.at"))

    def _closed(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        closing = self.rules.closing
        if closing is None:
            raise DomainError(
                f"{where} (closed): the rules in force at receipt ({self.rules.decree}) do not "
                "close a dossier that was not completed",
                field=f"{where}.kind",
            )
        self._require(
            (ClockState.AWAITING_SUPPLEMENT,),
            where,
            event.kind,
            "only a dossier returned for a supplement is closed when it is not completed",
        )
        assert self.closing_due_on is not None  # set by the supplement request
        early = at.date() < self.closing_due_on
        self.trace.append(
            TraceStep(
                "closed",
                f"{where} closed {hhmm(at)}, "
                f"{'EARLY' if early else 'in time'} (due {day_label(self.closing_due_on)})",
                at=at,
                citation=closing.citation,
            )
        )
        self.clock, self.closed_at = ClockState.CLOSED, at

    def _paused(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        self._require((ClockState.RUNNING,), where, event.kind, "only a running clock pauses")
        self.trace.append(TraceStep("paused", f"{where} paused {hhmm(at)}", at=at))
        self.clock, self.stopped_at = ClockState.PAUSED, at

    def _resumed(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        self._require((ClockState.PAUSED,), where, event.kind, "there is no pause to end")
        self._close_stop(where, at, "resumed")
        self.clock, self.stopped_at = ClockState.RUNNING, None

    def _completed(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        self._require(
            (ClockState.RUNNING, ClockState.PAUSED),
            where,
            event.kind,
            "record `resubmitted` before completing",
        )
        self._answer(at)  # a result implies the acceptance
        if self.clock is ClockState.PAUSED:
            self._close_stop(where, at, "the open pause ends at completion")
        self.trace.append(TraceStep("completed", f"{where} completed {hhmm(at)}", at=at))
        self.clock, self.stopped_at, self.completed_at = ClockState.STOPPED, None, at

    def _reappointed(self, where: str, index: int, at: dt.datetime, event: DossierEvent) -> None:
        self._require(
            (ClockState.RUNNING, ClockState.PAUSED),
            where,
            event.kind,
            "there is no appointment to move until the supplement is back",
        )
        rule = self.rules.reappointment
        if self.reappointments >= rule.max_count:
            raise Conflict(
                f"{where}: a dossier may be re-appointed at most {rule.max_count} time(s) "
                f"({rule.count_citation})",
                field=where,
            )
        assert event.new_due_at is not None  # checked in apply()
        new_due = to_local(event.new_due_at, f"{where}.new_due_at")
        due = self._due_at(at)
        if new_due <= due.at or new_due <= at:
            raise DomainError(
                f"{where}: the new appointment {hhmm(new_due)} must be later than the current "
                f"due {hhmm(due.at)} and than the re-appointment itself",
                field=f"{where}.new_due_at",
            )
        deadline = apology_deadline(due.day, rule, self.calendar)
        self.reappointment_late = at.date() > deadline
        self.reappointments += 1
        self.reappointed_due = new_due
        self.trace.append(
            TraceStep(
                "reappointed",
                f"{where} apology and new appointment for {hhmm(new_due)} sent {hhmm(at)}, "
                f"{'LATE' if self.reappointment_late else 'in time'} "
                f"(due by {day_label(deadline)})",
                at=at,
                citation=rule.apology_citation,
            )
        )

    def record(self) -> ClockRecord:
        assert self.last_at is not None
        return ClockRecord(
            processing_time=self.time,
            schedule=self.schedule,
            calendar=self.calendar,
            rules=self.rules,
            received_at=self.received_at,
            counted_from=self.counted_from,
            due=self.due,
            excluded=self.excluded,
            clock=self.clock,
            stopped_at=self.stopped_at,
            stop_moves_due=self._stop_is_pause(),
            supplement_deadline=self.supplement_deadline,
            late_supplements=tuple(self.late_supplements),
            supplement_breaches=tuple(self.supplement_breaches),
            reappointed_due=self.reappointed_due,
            reappointment_late=self.reappointment_late,
            completed_at=self.completed_at,
            closing_due_on=self.closing_due_on,
            closed_at=self.closed_at,
            channel=self.channel,
            acceptance_due_at=self.acceptance_due_at,
            acceptance_answered_at=self.answered_at,
            forward_on=self.forward_on,
            last_event_at=self.last_at,
            trace=tuple(self.trace),
        )

    # -- moving the due ---------------------------------------------------------------------

    def _close_stop(self, where: str, at: dt.datetime, what: str) -> None:
        assert self.stopped_at is not None
        excluded = self.timeline.between(self.stopped_at, at)
        self.due = self._due_at(at)
        self.excluded += excluded
        self.trace.append(
            TraceStep(
                "resumed",
                f"{where} {what} {hhmm(at)}: {duration(excluded)} of working time excluded, "
                f"due {hhmm(self.due.at)}",
                at=at,
            )
        )

    def _due_at(self, at: dt.datetime) -> StatutoryDue:
        """The statutory due, as if an open pause ended at `at`."""
        if self.stopped_at is None or not self._stop_is_pause():
            return self.due
        return excluding(self.due, self.stopped_at, at, self.time.unit, self.timeline)
