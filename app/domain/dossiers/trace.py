"""One step of the explanation that comes with every computed appointment and clock state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Citations of the counting rules themselves (shapes of the law, not values that change).
CIVIL_CODE_ANCHOR = "Bộ luật Dân sự 2015, Điều 147 [V]"  # the anchor day is not counted
CIVIL_CODE_ROLL = "Bộ luật Dân sự 2015, Điều 148(5) [V]"  # a last day off moves to the next
CIVIL_CODE_MIDNIGHT = "Bộ luật Dân sự 2015, Điều 148(6) [V]"  # the last day ends at 24:00
AFTER_HOURS_PRACTICE = "common practice, no rule found (DOMAIN.md §4) [?]"
OFFICE_HOURS = "hours set by the office (DOMAIN.md §4) [?]"


@dataclass(frozen=True, slots=True)
class TraceStep:
    step: str  # received | counted | placed | half_day | hours | rolled | period_end | session
    #            | event | paused | resumed | supplement | reappointed | status ...
    detail: str
    at: dt.datetime | None = None
    citation: str | None = None
