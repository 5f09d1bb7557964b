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
from typing import Any

import numpy as np
import numpy.typing as npt

from app.domain.calendar.model import DayInfo, DayKind
from app.domain.errors import OutOfRange

IntArray = npt.NDArray[np.int64]
# What the batch methods accept: any integer array (converted to int64) or a single integer.
IntsLike = npt.NDArray[np.integer[Any]] | np.integer[Any]

# Items per pass of the batch methods: small enough for the temporaries to stay in the CPU
# cache, large enough for the per-chunk Python overhead not to matter.
_CHUNK = 1 << 14

# Kinds worth naming in a trace; plain weekdays and weekends are only counted.
_NOTABLE = frozenset(
    {DayKind.HOLIDAY, DayKind.COMPENSATORY, DayKind.SWAP_OFF, DayKind.SWAP_WORKING}
)


class CalendarSnapshot:
    """An immutable calendar over a contiguous, explicitly supported range of days."""

    def __init__(
        self,
        days: Sequence[DayInfo],
        *,
        revision: int,
        provisional_years: frozenset[int] = frozenset(),
    ) -> None:
        if not days:
            raise ValueError("a calendar needs at least one day")
        self.revision = revision
        # Years whose Tết / 2-9 / swap schedule is not decided (docs/legal-basis.md#calendar).
        self.provisional_years = provisional_years
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
        self._size = len(days)
        # Scalar fast path: the rank counted from for n < 0 (working days strictly before day i,
        # plus one) and the date of each rank, so an add is two list look-ups and no arithmetic
        # on dates. Dates are immutable, so handing out the shared objects is safe.
        self._rank_back = [c - day.working + 1 for c, day in zip(cum, days, strict=True)]
        self._pos_dates = [self.first, *(days[i].date for i in pos[1:])]
        self._notable = [i for i, day in enumerate(days) if day.kind in _NOTABLE]
        self.np_cum: IntArray = np.asarray(cum, dtype=np.int64)
        self.np_pos: IntArray = np.asarray(pos, dtype=np.int64)
        self.np_working: npt.NDArray[np.bool_] = np.asarray([d.working for d in days], dtype=bool)
        self.first_ordinal = self._first_ordinal
        # Batch tables, indexed directly by day offset so that a batch is a few flat passes:
        # _np_rank_base[i] is the rank the n-th working day is counted from for n <= 0 (working
        # days strictly before day i, plus one) and _np_rank_base[size + i] for n > 0 (cum[i]);
        # _np_pos_ordinal[rank] is that day's ordinal, with -1 at rank 0 for refused items.
        self._np_rank_base: IntArray = np.concatenate(
            (self.np_cum - self.np_working + 1, self.np_cum)
        ).astype(np.int64)
        self._np_pos_ordinal: IntArray = self.np_pos + self._first_ordinal
        self._np_pos_ordinal[0] = -1

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
        i = start.toordinal() - self._first_ordinal
        if not 0 <= i < self._size:
            self.index(start, "start")  # raises OutOfRange
        if n > 0:
            rank = self._cum[i] + n
        elif n < 0:
            # working days strictly before start, minus the |n|-1 nearer ones
            rank = self._rank_back[i] + n
        else:
            return start
        if 0 < rank < len(self._pos_dates):
            return self._pos_dates[rank]
        raise OutOfRange(
            f"{n} working days from {start.isoformat()} leaves the supported calendar "
            f"{self.first.isoformat()}..{self.last.isoformat()}",
            field=field,
        )

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        a = start.toordinal() - self._first_ordinal
        b = end.toordinal() - self._first_ordinal
        if 0 <= a < self._size and 0 <= b < self._size:
            return self._cum[b] - self._cum[a]
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
        self, start_ordinals: IntsLike, n: IntsLike
    ) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Vectorised add: (result ordinals, in-range mask). Out-of-range items give -1.

        Same answers as `add_working_days` item by item. Works in cache-sized chunks of flat
        passes (unsigned compares for the range checks, `take` on precomputed tables, in-place
        updates), avoiding the full-size temporaries of `np.where` and fancy indexing.
        """
        starts, steps = _flat_pair(start_ordinals, n)
        shape = np.broadcast_shapes(np.shape(start_ordinals), np.shape(n))
        result = np.empty(starts.shape, dtype=np.int64)
        ok = np.empty(starts.shape, dtype=bool)
        for lo in range(0, len(starts), _CHUNK):
            hi = lo + _CHUNK
            self._add_chunk(starts[lo:hi], steps[lo:hi], result[lo:hi], ok[lo:hi])
        return result.reshape(shape), ok.reshape(shape)

    def _add_chunk(
        self, starts: IntArray, steps: IntArray, result: IntArray, ok: npt.NDArray[np.bool_]
    ) -> None:
        size = self._size
        idx = starts - self._first_ordinal
        in_range = idx.view(np.uint64) < size  # negative offsets wrap to huge values
        idx *= in_range
        idx += (steps > 0) * size  # pick the n > 0 half of the rank table
        rank = self._np_rank_base.take(idx, mode="clip")  # indices are valid: no checks
        rank += steps
        np.less((rank - 1).view(np.uint64), len(self._pos) - 1, out=ok)  # 1 <= rank < len(pos)
        ok &= in_range
        rank *= ok  # refused items read the -1 sentinel at rank 0
        self._np_pos_ordinal.take(rank, out=result, mode="clip")
        zero = steps == 0
        zero &= in_range
        np.copyto(result, starts, where=zero)  # n == 0 is the start itself, working or not
        ok |= zero

    def count_working_days_many(
        self, start_ordinals: IntsLike, end_ordinals: IntsLike
    ) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Vectorised count over (start, end]: (counts, in-range mask); refused items count 0."""
        starts, ends = _flat_pair(start_ordinals, end_ordinals)
        shape = np.broadcast_shapes(np.shape(start_ordinals), np.shape(end_ordinals))
        counts = np.empty(starts.shape, dtype=np.int64)
        ok = np.empty(starts.shape, dtype=bool)
        size = self._size
        cum = self.np_cum
        for lo in range(0, len(starts), _CHUNK):
            hi = lo + _CHUNK
            a = starts[lo:hi] - self._first_ordinal
            b = ends[lo:hi] - self._first_ordinal
            chunk_ok = ok[lo:hi]
            np.less(a.view(np.uint64), size, out=chunk_ok)
            chunk_ok &= b.view(np.uint64) < size
            a *= chunk_ok
            b *= chunk_ok
            chunk = counts[lo:hi]
            cum.take(b, out=chunk, mode="clip")
            chunk -= cum.take(a, mode="clip")
        return counts.reshape(shape), ok.reshape(shape)


def _flat_pair(x: IntsLike, y: IntsLike) -> tuple[IntArray, IntArray]:
    """Both arguments as flat int64 arrays of their broadcast shape (no copy when possible)."""
    a = np.asarray(x, dtype=np.int64)
    b = np.asarray(y, dtype=np.int64)
    if a.shape != b.shape:
        a, b = np.broadcast_arrays(a, b)
    return a.reshape(-1), b.reshape(-1)
