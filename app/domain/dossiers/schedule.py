"""Office schedules: which hours of a counting day count, and when a dossier counts as received.

The calendar says which DAYS count; the schedule says which HOURS of those days count. Hours are
set locally (docs/legal-basis.md#office-hours: "often 7:30–11:30 and 13:30–17:00; some open
Saturday morning"), so the values are reference documents per office or profile (shipped in
app/data/dossiers.toml, kept in the database, app/data/office_schedules.py), never here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.calendar import DayInfo, DayKind
from app.domain.dossiers.local_time import seconds_of_day
from app.domain.errors import DomainError

_SATURDAY = 5
_FRIDAY = 4

# The two sessions (buổi) of a working day, for appointments by session.
SESSIONS = ("morning", "afternoon")


class AfterHoursPolicy(StrEnum):
    """Where the clock starts for a receipt after closing (or after the cut-off).

    Counting from the next working day is common practice, not a found rule
    (docs/legal-basis.md#national-rules).
    The two policies are the same instant of working time (nothing counts overnight); they differ
    in how a period of whole working days reads: 17:30 Tuesday + 3 working days is Monday 07:30
    under NEXT_OPENING and Friday 17:00 under SAME_DAY_CLOSING.
    """

    NEXT_OPENING = "next_opening"  # treated as received at the next working day's opening
    SAME_DAY_CLOSING = "same_day_closing"  # treated as received at that day's closing


class CalendarDayEnd(StrEnum):
    """When a period of calendar days ends on its last day."""

    MIDNIGHT = "midnight"  # 24:00 of the last day, Civil Code 2015 Art. 148(6)
    CLOSING = "closing"  # the office's closing time that day (results are handed over in hours)


@dataclass(frozen=True, slots=True)
class Window:
    """One opening of the office on a day, [opens, closes), local time."""

    opens: dt.time
    closes: dt.time
    # Seconds after midnight, and the window's length, worked out once: the working timeline
    # reads them for every instant it places.
    start: int = field(init=False, repr=False, compare=False)
    end: int = field(init=False, repr=False, compare=False)
    seconds: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("opens", "closes"):
            value = getattr(self, name)
            if not isinstance(value, dt.time) or value.tzinfo is not None or value.microsecond:
                raise DomainError(
                    f"window {name} must be a local time of day in whole seconds", field=name
                )
        if self.opens >= self.closes:
            raise DomainError(
                f"a window must open before it closes: {self.opens}–{self.closes}", field="closes"
            )
        object.__setattr__(self, "start", seconds_of_day(self.opens))
        object.__setattr__(self, "end", seconds_of_day(self.closes))
        object.__setattr__(self, "seconds", self.end - self.start)

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"


Windows = tuple[Window, ...]


def _check_windows(windows: Windows, field: str, *, allow_empty: bool) -> None:
    if not isinstance(windows, tuple) or not all(isinstance(w, Window) for w in windows):
        raise DomainError(f"{field} must be a tuple of windows", field=field)
    if not windows and not allow_empty:
        raise DomainError(f"{field} needs at least one window", field=field)
    for before, after in itertools.pairwise(windows):
        if after.opens < before.closes:
            raise DomainError(
                f"{field} must be in order and must not overlap: {before} then {after}",
                field=field,
            )


@dataclass(frozen=True, slots=True)
class OfficeSchedule:
    """The hours of one office (or of a profile shared by many offices).

    `windows`: the counting hours of an ordinary working day. They also apply to a make-up
    working Saturday (DayKind.SWAP_WORKING): a làm bù day is worked as a normal weekday.
    `weekday_windows`: overrides for some of Monday..Friday (0..4), e.g. a shorter Friday.
    `saturday_reception`: hours on an ordinary (weekend) Saturday when the counter receives
    dossiers. Reception does not make Saturday a counting day: such a receipt counts from the
    next working day's opening.
    `receipt_cutoff`: receipts at or after this time on a working day are treated as after hours
    (some centres stop counting receipts as "today" before closing).
    `return_by_session`: "nhận sáng trả sáng, nhận chiều trả chiều": periods of working days
    are counted in sessions (buổi) and the appointment is the end of a session. It needs exactly
    two windows (morning, afternoon) on every working day.
    """

    code: str
    windows: Windows
    weekday_windows: tuple[tuple[int, Windows], ...] = ()
    saturday_reception: Windows = ()
    after_hours: AfterHoursPolicy = AfterHoursPolicy.NEXT_OPENING
    receipt_cutoff: dt.time | None = None
    return_by_session: bool = False
    calendar_days_end: CalendarDayEnd = CalendarDayEnd.MIDNIGHT
    source: str = ""

    def __post_init__(self) -> None:
        if not self.code:
            raise DomainError("a schedule needs a code", field="code")
        _check_windows(self.windows, "windows", allow_empty=False)
        _check_windows(self.saturday_reception, "saturday_reception", allow_empty=True)
        seen: set[int] = set()
        for weekday, windows in self.weekday_windows:
            if not isinstance(weekday, int) or not 0 <= weekday <= _FRIDAY or weekday in seen:
                raise DomainError(
                    f"weekday overrides are for Monday..Friday (0..4), once each: {weekday!r}",
                    field="weekday_windows",
                )
            seen.add(weekday)
            _check_windows(windows, f"weekday_windows[{weekday}]", allow_empty=False)
        if self.return_by_session:
            for windows in (self.windows, *(w for _, w in self.weekday_windows)):
                if len(windows) != len(SESSIONS):
                    raise DomainError(
                        "appointments by session need exactly two windows (morning, afternoon) "
                        "on every working day",
                        field="return_by_session",
                    )
        cutoff = self.receipt_cutoff
        if cutoff is not None and (not isinstance(cutoff, dt.time) or cutoff.tzinfo is not None):
            raise DomainError("receipt_cutoff must be a local time of day", field="receipt_cutoff")
        if not isinstance(self.after_hours, AfterHoursPolicy):
            raise DomainError("unknown after-hours policy", field="after_hours")
        if not isinstance(self.calendar_days_end, CalendarDayEnd):
            raise DomainError("unknown calendar_days_end", field="calendar_days_end")

    def windows_on(self, day: DayInfo) -> Windows:
        """Counting hours of a day: none on a day off, the ordinary ones on a make-up day."""
        if not day.working:
            return ()
        weekday = day.date.weekday()
        for overridden, windows in self.weekday_windows:
            if overridden == weekday:
                return windows
        return self.windows

    def receives_on(self, day: DayInfo, seconds: int) -> bool:
        """Whether the counter is open for receipt at that time (counting or not)."""
        if day.working:
            windows = self.windows_on(day)
        elif day.kind is DayKind.WEEKEND and day.date.weekday() == _SATURDAY:
            windows = self.saturday_reception  # not on a Saturday that is a holiday
        else:
            return False
        return any(w.start <= seconds < w.end for w in windows)

    @property
    def standard_day(self) -> dt.timedelta:
        """Working time of an ordinary working day; half of it is a half-day procedure."""
        return dt.timedelta(seconds=sum(w.seconds for w in self.windows))


def counted_plainly(schedule: OfficeSchedule) -> OfficeSchedule:
    """The schedule an internal deadline (a supplement request, an online acceptance) is
    counted on: its hours, never rounded to a session."""
    return _without_sessions(schedule) if schedule.return_by_session else schedule


@functools.lru_cache(maxsize=64)
def _without_sessions(schedule: OfficeSchedule) -> OfficeSchedule:
    # Made once per schedule: a copy checks its hours again (__post_init__), which cost more
    # than the deadline it is counted for.
    return dataclasses.replace(schedule, return_by_session=False)
