"""One step of the explanation that comes with every computed appointment and clock state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.citations import Citation, Confidence

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


@dataclass(frozen=True, slots=True)
class TraceStep:
    step: str  # received | counted | placed | half_day | hours | rolled | period_end | session
    #            | event | paused | resumed | supplement | reappointed | status ...
    detail: str
    at: dt.datetime | None = None
    citation: Citation | None = None
