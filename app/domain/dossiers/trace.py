"""One step of the explanation that comes with every computed appointment and clock state."""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from app.domain.citations import Citation, Confidence
from app.domain.values import value

# Citations of the counting rules themselves (shapes of the law, not values that change).
_CIVIL_CODE = "Bộ luật Dân sự 2015"
CIVIL_CODE_ANCHOR = Citation(_CIVIL_CODE, "Điều 147", Confidence.VERIFIED)  # anchor not counted
CIVIL_CODE_ROLL = Citation(_CIVIL_CODE, "Điều 148 khoản 5", Confidence.VERIFIED)  # next working day
CIVIL_CODE_MIDNIGHT = Citation(_CIVIL_CODE, "Điều 148 khoản 6", Confidence.VERIFIED)  # 24:00
# No rule found: common practice, and hours each office sets (docs/legal-basis.md#office-hours).
AFTER_HOURS_PRACTICE = Citation(
    "Common practice, no rule found", "docs/legal-basis.md#nd118-online", Confidence.UNCERTAIN
)
OFFICE_HOURS = Citation(
    "Hours set by the office", "docs/legal-basis.md#office-hours", Confidence.UNCERTAIN
)


# Every kind of step a dossier's explanation has (the console names each in both languages).
StepKind = Literal[
    "rules",  # the rules in force at receipt
    "received",  # when the dossier was received and when counting starts
    "acceptance_deadline",  # online: accepted or a supplement asked for by this time
    "acceptance_counted_from",  # online, received outside office hours: counted from here
    "forward_on",  # paper: the day it is forwarded
    "accepted",
    "supplement_deadline",  # a supplement request is due by this time
    "supplement",  # a supplement requested: the clock stops
    "supplement_breach",  # more supplement requests than the law allows
    "closing_due",  # not completed after the notice: closed from this day
    "resubmitted",  # the processing time restarts
    "competent_agency",  # received by the competent agency
    "closed",
    "paused",
    "resumed",  # the clock runs again: the working time excluded
    "completed",
    "reappointed",  # apology and new appointment
    "counted",  # the period counted from the anchor
    "placed",  # an instant outside office hours placed at the next opening
    "half_day",
    "session",  # by session: received in the morning, returned in the morning
    "hours",  # working hours within the office's hours
    "rolled",  # the last day off: the next working day
    "period_end",  # the instant the period ends
]
STEP_KINDS: frozenset[str] = frozenset(get_args(StepKind))


@value
class TraceStep:
    step: StepKind
    detail: str
    at: dt.datetime | None = None
    citation: Citation | None = None
