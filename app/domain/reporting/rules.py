"""Recurring reporting duties as data: who reports what, for which periods, by which day.

Every value here comes from the profile documents' reporting sections (app/data/rules/*.toml)
with its citation and confidence; the code only knows the shapes of the phrases the plans use
(docs/legal-basis.md#counting, #source-plans):

- "chậm nhất là ngày N của tháng cuối quý": at the latest day N, inclusive;
- "trước ngày N hằng tháng": before day N; read strictly (N − 1) unless the profile says otherwise;
- "Ngày 05 hàng tháng": on day N.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.citations import Citation
from app.domain.errors import DomainError
from app.domain.reporting.levels import REPORTING_LEVELS, Level
from app.domain.reporting.periods import PeriodSlot

# The fixed day is checked against the shortest month, so every month has it; a plan that names
# the 29th–31st would need an end-of-month rule (Civil Code 2015 Art. 148(4)) that no plan uses.
_LAST_FIXED_DAY = 28


class Bound(StrEnum):
    AT_LATEST = "at_latest"  # "chậm nhất là ngày N": N itself
    # "trước ngày N": strictly before N by default (docs/legal-basis.md#counting-before)
    BEFORE = "before"
    ON_DAY = "on_day"  # "Ngày N hàng tháng": N itself


class Roll(StrEnum):
    """What to do when the fixed day is a day off (docs/legal-basis.md#counting-fixed-day)."""

    NONE = "none"
    FOLLOWING = "following"
    PRECEDING = "preceding"


@dataclass(frozen=True, slots=True)
class LevelDeadline:
    """One level's due day within a recurring duty, as one plan row states it."""

    level: Level
    day: int  # the day of the period's last month the phrase names
    bound: Bound
    roll: Roll
    phrase: str  # verbatim from the plan, or a paraphrase marked as such in `note`
    citation: Citation
    roll_reason: str  # why this roll: the documented default for the bound, or the row's own
    # A level the duty cannot happen without: the office it reports to, the body that publishes
    # it. When that level no longer exists (a district office after 1/7/2025), nothing is due.
    requires: Level | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.day <= _LAST_FIXED_DAY:
            raise DomainError(
                f"a fixed reporting day must be 1..{_LAST_FIXED_DAY}, got {self.day}", field="day"
            )


@dataclass(frozen=True, slots=True)
class RecurringDuty:
    """A duty that comes back every period, with its due day for each level."""

    code: str
    title_vi: str
    title_en: str
    periods: tuple[PeriodSlot, ...]
    # A periodic report under ND 09/2019 (báo cáo định kỳ) has a data cut-off window (Art. 12);
    # a publication (công khai) does not.
    periodic_report: bool
    deadlines: tuple[LevelDeadline, ...]
    citation: Citation  # where the list of periods comes from
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReportingProfile:
    """A jurisdiction's reporting calendar: the national duties merged with its plan's own."""

    code: str
    name_vi: str
    name_en: str
    source: str  # the plan the profile was written from
    plan_year: int | None
    # "trước ngày D" read as D − 1 (False, the default) or as D itself (True), and why.
    before_inclusive: bool
    before_reason: str
    duties: tuple[RecurringDuty, ...]
    note: str = ""

    @property
    def levels(self) -> tuple[Level, ...]:
        used = {d.level for duty in self.duties for d in duty.deadlines}
        return tuple(level for level in REPORTING_LEVELS if level in used)


@dataclass(frozen=True, slots=True)
class ReportingPolicy:
    """The service's own checks: not law, but data so that an operator can tune them."""

    # Working days that must lie strictly between the data cut-off and the due day.
    min_working_days_after_cutoff: int
    # An upcoming due date this many working days away or fewer is "due soon".
    due_soon_working_days: int
