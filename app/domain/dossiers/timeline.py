"""Working time as a single axis, so that hours, pauses and elapsed time cost a look-up.

The position of an instant is the number of working seconds (per the office schedule) between
the calendar's first midnight and that instant. Outside the windows the position stands still:
17:00 Friday, midnight, and 07:30 the next Monday are the same position. So

- working time between two instants is a subtraction;
- "h working hours after t" is a bisection over per-day totals (O(log days)), never a walk;
- the instant of a position is ambiguous only on a boundary between windows, where the caller
  says which side it wants (the end of the earlier window for a due time, the opening of the
  later one for a receipt).

A timeline depends on one calendar snapshot and one schedule; it is built once (one pass over
the supported range) and cached for as long as the snapshot lives.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from weakref import WeakKeyDictionary

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.local_time import at_seconds, seconds_of_day, to_local
from app.domain.dossiers.schedule import OfficeSchedule, Windows
from app.domain.errors import OutOfRange


class WorkingTimeline:
    def __init__(self, calendar: CalendarSnapshot, schedule: OfficeSchedule) -> None:
        self.calendar = calendar
        self.schedule = schedule
        self._first_ordinal = calendar.first.toordinal()
        windows: list[Windows] = []
        # starts[i]: position at midnight starting day i; starts[i + 1]: at its end.
        starts = [0]
        total = 0
        for day in calendar.days(calendar.first, calendar.last):
            on_day = schedule.windows_on(day)
            windows.append(on_day)
            total += sum(w.seconds for w in on_day)
            starts.append(total)
        self._windows = windows
        self._starts = starts

    def _index(self, day: dt.date, field: str) -> int:
        return self.calendar.index(day, field)

    def windows_on(self, day: dt.date) -> Windows:
        return self._windows[self._index(day, "date")]

    def position(self, instant: dt.datetime, field: str = "at") -> int:
        local = to_local(instant, field)
        i = self._index(local.date(), field)
        seconds = seconds_of_day(local)
        worked = 0
        for w in self._windows[i]:
            if seconds <= w.start:
                break
            worked += min(seconds, w.end) - w.start
        return self._starts[i] + worked

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from start to end (negative when end is earlier)."""
        return dt.timedelta(seconds=self.position(end) - self.position(start))

    def instant(
        self, position: int, *, opening_side: bool = False, field: str = "at"
    ) -> dt.datetime:
        """The instant at a position: the earliest one (a window's end on a boundary), or with
        `opening_side` the latest one (the next window's opening)."""
        starts = self._starts
        if opening_side:
            j = bisect.bisect_right(starts, position, lo=1)
        else:
            j = bisect.bisect_left(starts, position, lo=1)
        if position < 0 or j >= len(starts):
            raise OutOfRange(
                "the working time runs past the supported calendar "
                f"{self.calendar.first.isoformat()}..{self.calendar.last.isoformat()}",
                field=field,
            )
        i = j - 1
        day = dt.date.fromordinal(self._first_ordinal + i)
        left = position - starts[i]
        for w in self._windows[i]:
            if left < w.seconds or (left == w.seconds and not opening_side):
                return at_seconds(day, w.start + left)
            left -= w.seconds
        return at_seconds(day, 0)  # position 0 on a first day that has no working hours

    def after(self, start: dt.datetime, working: dt.timedelta, field: str = "at") -> dt.datetime:
        """The earliest instant at which `working` time has elapsed since start."""
        seconds = int(working.total_seconds())
        return self.instant(self.position(start, field) + seconds, field=field)

    def shift(self, instant: dt.datetime, working: dt.timedelta, field: str = "at") -> dt.datetime:
        """Move an appointment later by some working time, keeping its side of a boundary: an
        appointment at an opening (07:30) stays at an opening rather than becoming the previous
        closing (17:00), which is the same working instant."""
        seconds = int(working.total_seconds())
        if seconds == 0:
            return instant
        local = to_local(instant, field)
        at_opening = any(w.start == seconds_of_day(local) for w in self.windows_on(local.date()))
        position = self.position(local, field) + seconds
        return self.instant(position, opening_side=at_opening, field=field)


_LOCK = threading.Lock()
_CACHE: WeakKeyDictionary[CalendarSnapshot, dict[OfficeSchedule, WorkingTimeline]] = (
    WeakKeyDictionary()
)


def timeline_for(calendar: CalendarSnapshot, schedule: OfficeSchedule) -> WorkingTimeline:
    """The cached timeline of a (snapshot, schedule) pair; a new snapshot starts a new cache."""
    with _LOCK:
        per_schedule = _CACHE.setdefault(calendar, {})
        found = per_schedule.get(schedule)
    if found is not None:
        return found
    built = WorkingTimeline(calendar, schedule)
    with _LOCK:
        return per_schedule.setdefault(schedule, built)
