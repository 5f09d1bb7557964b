"""The compiled working-day calendar: O(1) add and count over per-day arrays.

`cum[i]` is the number of working days in days[0..i] and `pos[k]` the index of the k-th working
day (k ≥ 1), so "the n-th working day after d" is `pos[cum[d] + n]` and "working days in (a, b]"
is `cum[b] - cum[a]`: two list look-ups whatever the span. NumPy copies of the same arrays serve
batches.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from app.domain.calendar.model import DayInfo, DayKind
from app.domain.errors import OutOfRange

IntArray = npt.NDArray[np.int64]

# Kinds worth naming in a trace; plain weekdays and weekends are only counted.
_NOTABLE = frozenset({DayKind.HOLIDAY, DayKind.COMPENSATORY, DayKind.SWAP_OFF, DayKind.SWAP_WORKING})


class CalendarSnapshot:
    """An immutable calendar over a contiguous, explicitly supported range of days."""

    def __init__(self, days: Sequence[DayInfo], *, revision: int) -> None:
        if not days:
            raise ValueError("a calendar needs at least one day")
        self.revision = revision
        self.first: dt.date = days[0].date
        self.last: dt.date = days[-1].date
        self._first_ordinal = self.first.toordinal()
        if self.last.toordinal() - self._first_ordinal + 1 != len(days):
            raise ValueError("calendar days must be contiguous")
        self._days = tuple(days)
        cum: list[int] = []
        pos: list[int] = [-1]  # pos[0] is a sentinel: there is no 0-th working day
        prov: list[int] = []
        running = running_prov = 0
        for i, day in enumerate(days):
            if day.working:
                running += 1
                pos.append(i)
            running_prov += day.provisional
            cum.append(running)
            prov.append(running_prov)
        self._cum = cum
        self._pos = pos
        self._prov = prov
        self._notable = [i for i, day in enumerate(days) if day.kind in _NOTABLE]
        self.np_cum: IntArray = np.asarray(cum, dtype=np.int64)
        self.np_pos: IntArray = np.asarray(pos, dtype=np.int64)
        self.np_working: npt.NDArray[np.bool_] = np.asarray([d.working for d in days], dtype=bool)
        self.first_ordinal = self._first_ordinal

    # -- look-ups ---------------------------------------------------------------------------

    def index(self, d: dt.date, field: str = "date") -> int:
        i = d.toordinal() - self._first_ordinal
        if i < 0 or i >= len(self._days):
            raise OutOfRange(
                f"{d.isoformat()} is outside the supported calendar "
                f"{self.first.isoformat()}..{self.last.isoformat()}",
                field=field,
            )
        return i

    def _date(self, i: int) -> dt.date:
        return dt.date.fromordinal(self._first_ordinal + i)

    def day(self, d: dt.date) -> DayInfo:
        return self._days[self.index(d)]

    def is_working(self, d: dt.date) -> bool:
        return self._days[self.index(d)].working

    def kind(self, d: dt.date) -> DayKind:
        return self._days[self.index(d)].kind

    def days(self, start: dt.date, end: dt.date) -> Sequence[DayInfo]:
        """Days in [start, end], both included."""
        return self._days[self.index(start, "from") : self.index(end, "to") + 1]

    # -- arithmetic -------------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int, field: str = "days") -> dt.date:
        """The |n|-th working day after (n > 0) or before (n < 0) start, start excluded.

        n == 0 returns start itself, working or not: no day is counted.
        """
        i = self.index(start, "start")
        if n == 0:
            return start
        if n > 0:
            rank = self._cum[i] + n
        else:
            # working days strictly before start, minus the |n|-1 nearer ones
            rank = self._cum[i] - self._days[i].working + n + 1
        if rank < 1 or rank >= len(self._pos):
            raise OutOfRange(
                f"{n} working days from {start.isoformat()} leaves the supported calendar "
                f"{self.first.isoformat()}..{self.last.isoformat()}",
                field=field,
            )
        return self._date(self._pos[rank])

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        return self._cum[self.index(end, "end")] - self._cum[self.index(start, "start")]

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after d."""
        return self.add_working_days(d, 1, field="date")

    def previous_working_day(self, d: dt.date) -> dt.date:
        """The last working day strictly before d."""
        return self.add_working_days(d, -1, field="date")

    def on_or_after(self, d: dt.date) -> dt.date:
        return d if self.is_working(d) else self.next_working_day(d)

    def on_or_before(self, d: dt.date) -> dt.date:
        return d if self.is_working(d) else self.previous_working_day(d)

    # -- explanation ------------------------------------------------------------------------

    def provisional_between(self, start: dt.date, end: dt.date) -> bool:
        """Whether any day in [min, max] of the two depends on an undecided schedule."""
        a, b = sorted((self.index(start, "start"), self.index(end, "end")))
        return self._prov[b] - (self._prov[a - 1] if a else 0) > 0

    def notable_days(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """Holidays, compensatory and swapped days in [min, max] of the two, in order."""
        a, b = sorted((self.index(start, "start"), self.index(end, "end")))
        lo = bisect.bisect_left(self._notable, a)
        hi = bisect.bisect_right(self._notable, b)
        return [self._days[i] for i in self._notable[lo:hi]]

    def weekend_days_between(self, start: dt.date, end: dt.date) -> int:
        """Plain weekend days (Saturday/Sunday not worked) in [min, max] of the two."""
        a, b = sorted((self.index(start, "start"), self.index(end, "end")))
        span = b - a + 1
        working = self._cum[b] - (self._cum[a - 1] if a else 0)
        notable_off = sum(1 for d in self.notable_days(start, end) if not d.working)
        return span - working - notable_off

    # -- batches ----------------------------------------------------------------------------

    def add_working_days_many(
        self, start_ordinals: IntArray, n: IntArray
    ) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Vectorised add: (result ordinals, in-range mask). Out-of-range items give -1."""
        idx = start_ordinals - self._first_ordinal
        size = len(self._days)
        ok = (idx >= 0) & (idx < size)
        safe = np.where(ok, idx, 0)
        base = self.np_cum[safe]
        back = base - self.np_working[safe].astype(np.int64) + n + 1
        rank = np.where(n > 0, base + n, back)
        ok &= (rank >= 1) & (rank < len(self._pos))
        result_idx = self.np_pos[np.where(ok, rank, 1)]
        result = np.where(n == 0, start_ordinals, result_idx + self._first_ordinal)
        ok |= (n == 0) & (idx >= 0) & (idx < size)
        return np.where(ok, result, -1), ok

    def count_working_days_many(
        self, start_ordinals: IntArray, end_ordinals: IntArray
    ) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Vectorised count over (start, end]: (counts, in-range mask)."""
        size = len(self._days)
        a = start_ordinals - self._first_ordinal
        b = end_ordinals - self._first_ordinal
        ok = (a >= 0) & (a < size) & (b >= 0) & (b < size)
        counts = self.np_cum[np.where(ok, b, 0)] - self.np_cum[np.where(ok, a, 0)]
        return np.where(ok, counts, 0), ok
