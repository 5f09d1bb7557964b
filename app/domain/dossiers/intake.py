"""What the channel of receipt asks of the office before the processing clock matters.

- Online dossiers (from 1/7/2025): official acceptance or a supplement request within 8 working
  hours of the system's receipt (ND 118/2025 Art. 17(2)(c)). The hours are the office's
  schedule; a receipt outside them counts from the next opening, a practice the law does not
  state (docs/legal-basis.md#nd118-online). The deadline is answered by the first `accepted`
  or `supplement_requested` event, or by `completed` (a result implies the acceptance).
- Paper dossiers (counter, post): received at or after 15:00, forwarded the next working day
  (Art. 18(2)); received earlier on a working day, the same day
  (docs/legal-basis.md#nd118-after-15).

The processing clock itself is untouched: it runs from the receipt as recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.appointment import appointment_from
from app.domain.dossiers.local_time import day_label, hhmm, seconds_of_day
from app.domain.dossiers.receipt import Receipt
from app.domain.dossiers.rules import DossierRules
from app.domain.dossiers.schedule import OfficeSchedule, counted_plainly
from app.domain.dossiers.trace import TraceStep


class Channel(StrEnum):
    COUNTER = "counter"  # at the one-stop desk, on paper
    ONLINE = "online"  # through the public-service portal
    POST = "post"  # by post, on paper


PAPER = (Channel.COUNTER, Channel.POST)


class AcceptanceStatus(StrEnum):
    PENDING = "pending"  # not answered, deadline not passed
    MET = "met"  # accepted or supplement requested by the deadline
    MISSED = "missed"  # answered after it, or not answered and past it


@dataclass(frozen=True, slots=True)
class Intake:
    acceptance_due_at: dt.datetime | None  # online dossiers under a rule that sets it
    forward_on: dt.date | None  # paper dossiers under a rule that sets it
    trace: tuple[TraceStep, ...]


def intake_of(
    channel: Channel,
    receipt: Receipt,
    rules: DossierRules,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
) -> Intake:
    acceptance = rules.online_acceptance
    if channel is Channel.ONLINE and acceptance is not None:
        # counted in working hours like a processing time, never rounded to a session
        due = appointment_from(
            receipt, acceptance.within, counted_plainly(schedule), calendar
        ).due_at
        steps = [
            TraceStep(
                "acceptance_deadline",
                f"online: accepted or a supplement requested within {acceptance.within} of the "
                f"system's receipt: by {hhmm(due)}",
                at=due,
                citation=acceptance.citation,
            )
        ]
        if receipt.counted_from != receipt.received_at:
            steps.append(
                TraceStep(
                    "acceptance_counted_from",
                    f"received outside office hours: counted from {hhmm(receipt.counted_from)}",
                    at=receipt.counted_from,
                    citation=acceptance.after_hours,
                )
            )
        return Intake(due, None, tuple(steps))
    forwarding = rules.paper_forwarding
    if channel in PAPER and forwarding is not None:
        received = receipt.received_at
        day = calendar.day(received.date())
        same_day = day.working and seconds_of_day(received) < seconds_of_day(forwarding.cutoff)
        forward_on = received.date() if same_day else calendar.next_working_day(received.date())
        when = "before" if same_day else "at or after"
        step = TraceStep(
            "forward_on",
            f"paper dossier received {when} {forwarding.cutoff:%H:%M}"
            f"{'' if day.working else ' on a day off'}: forwarded on {day_label(forward_on)}",
            citation=forwarding.citation,
        )
        return Intake(None, forward_on, (step,))
    return Intake(None, None, ())


def acceptance_status(
    due_at: dt.datetime | None, answered_at: dt.datetime | None, now: dt.datetime
) -> AcceptanceStatus | None:
    if due_at is None:
        return None
    if answered_at is not None:
        return AcceptanceStatus.MET if answered_at <= due_at else AcceptanceStatus.MISSED
    return AcceptanceStatus.PENDING if now <= due_at else AcceptanceStatus.MISSED
