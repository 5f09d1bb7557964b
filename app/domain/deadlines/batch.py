"""Vectorised due dates for many anchors at once (the batch endpoint), without traces.

Same counting as the engine (Civil Code 2015 Arts. 147–148, docs/legal-basis.md#counting), on the
calendar's
per-day arrays: `cum[i]` working days in days[0..i], `pos[k]` the index of the k-th working day.
Dates are proleptic Gregorian ordinals (date.toordinal()). Items that cannot be computed get
due = -1 and an error code instead of raising, so one bad item never fails a batch.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from app.domain.calendar.snapshot import CalendarSnapshot
from app.domain.deadlines.model import Direction, Roll, Shape, Unit
from app.domain.deadlines.rule import Rule, default_roll

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_EPOCH = dt.date(1970, 1, 1).toordinal()  # numpy datetime64 day 0


class BatchError(IntEnum):
    NONE = 0
    OUT_OF_RANGE = 1  # anchor or result outside the supported calendar
    NEGATIVE_AMOUNT = 2
    NOT_IN_FORCE = 3  # the rule was not in force on the anchor date


@dataclass(frozen=True, slots=True)
class BatchDueDates:
    """Per item: due ordinal (-1 on error), error code, whether the last day was rolled, and
    whether the answer depends on a provisional year (docs/legal-basis.md#calendar)."""

    due: IntArray
    error: npt.NDArray[np.int8]
    rolled: BoolArray
    provisional: BoolArray


_provisional_cache: weakref.WeakKeyDictionary[CalendarSnapshot, IntArray] = (
    weakref.WeakKeyDictionary()
)


def _provisional_cum(calendar: CalendarSnapshot) -> IntArray:
    """Running count of provisional days, built once per snapshot."""
    cached = _provisional_cache.get(calendar)
    if cached is None:
        days = calendar.days(calendar.first, calendar.last)
        cached = np.cumsum(
            np.fromiter((d.provisional for d in days), dtype=np.int64, count=len(days))
        )
        _provisional_cache[calendar] = cached
    return cached


def due_dates_many(
    anchor_ordinals: IntArray,
    amounts: IntArray,
    unit: Unit,
    calendar: CalendarSnapshot,
    *,
    direction: Direction = Direction.FORWARD,
    roll: Roll | None = None,
) -> BatchDueDates:
    """Ad-hoc periods for many anchors: the vectorised `compute_ad_hoc` (same defaults)."""
    anchors = np.asarray(anchor_ordinals, dtype=np.int64)
    n = np.asarray(amounts, dtype=np.int64)
    used = roll or default_roll(Shape.PERIOD, direction)
    first = calendar.first_ordinal
    size = calendar.last.toordinal() - first + 1
    error = np.zeros(anchors.shape, dtype=np.int8)
    error[(anchors < first) | (anchors >= first + size)] = BatchError.OUT_OF_RANGE
    # No period longer than the calendar itself can end inside it; capping keeps the arithmetic
    # far from integer and datetime64 limits.
    error[n > size] = BatchError.OUT_OF_RANGE
    error[n < 0] = BatchError.NEGATIVE_AMOUNT
    signed = np.where(error == 0, n, 0) * (1 if direction is Direction.FORWARD else -1)
    # refused items are computed from a harmless date and masked afterwards
    raw = _last_day(np.where(error == 0, anchors, first), signed, unit, calendar)
    out = (raw < first) | (raw >= first + size)
    error[(error == 0) & out] = BatchError.OUT_OF_RANGE
    ok = error == 0
    idx = np.where(ok, raw - first, 0)
    due_idx, ok_roll = _roll(idx, used, calendar)
    error[ok & ~ok_roll] = BatchError.OUT_OF_RANGE
    ok &= ok_roll
    prov = _provisional_cum(calendar)
    a = np.where(ok, anchors - first, 0)
    lo, hi = np.minimum(a, due_idx), np.maximum(a, due_idx)
    provisional = ok & (prov[hi] - np.where(lo > 0, prov[np.maximum(lo - 1, 0)], 0) > 0)
    return BatchDueDates(
        due=np.where(ok, due_idx + first, -1),
        error=error,
        rolled=ok & (due_idx != idx),
        provisional=provisional,
    )


def rule_due_dates_many(
    rule: Rule, anchor_ordinals: IntArray, calendar: CalendarSnapshot
) -> BatchDueDates:
    """A period rule for many anchors. Other shapes are not batched: use compute_rule."""
    if rule.shape is not Shape.PERIOD or rule.amount is None or rule.unit is None:
        raise ValueError(f"rule {rule.code} is not a period rule; compute it with compute_rule")
    anchors = np.asarray(anchor_ordinals, dtype=np.int64)
    result = due_dates_many(
        anchors,
        np.full(anchors.shape, rule.amount, dtype=np.int64),
        rule.unit,
        calendar,
        direction=rule.direction,
        roll=rule.effective_roll,
    )
    lo = rule.effective_from.toordinal() if rule.effective_from else np.iinfo(np.int64).min
    hi = rule.effective_to.toordinal() if rule.effective_to else np.iinfo(np.int64).max
    outside = (anchors < lo) | (anchors > hi)
    if outside.any():
        result.error[outside & (result.error == 0)] = BatchError.NOT_IN_FORCE
        bad = result.error != 0
        result.due[bad] = -1
        result.rolled[bad] = False
        result.provisional[bad] = False
    return result


def _last_day(
    anchors: IntArray, signed: IntArray, unit: Unit, calendar: CalendarSnapshot
) -> IntArray:
    """Last day of each period before any roll (ordinals; out-of-range values are caught later)."""
    if unit is Unit.CALENDAR_DAYS:
        return anchors + signed
    if unit is Unit.WEEKS:
        return anchors + 7 * signed
    if unit is Unit.WORKING_DAYS:
        added, ok = calendar.add_working_days_many(anchors, signed)
        return np.where(ok, added, -1)
    # Months: the corresponding day, or the month's last day (Civil Code 2015 Art. 148(3)).
    days = (anchors - _EPOCH).astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    day_in_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + signed.astype("timedelta64[M]")
    next_month = target + np.timedelta64(1, "M")  # a bare `+ 1` is deprecated in numpy 2.5
    month_length = (next_month.astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    result: IntArray = target.astype("datetime64[D]").astype(np.int64)
    result += np.minimum(day_in_month, month_length - 1) + _EPOCH
    return result


def _roll(idx: IntArray, roll: Roll, calendar: CalendarSnapshot) -> tuple[IntArray, BoolArray]:
    """Roll day indexes that are days off; (rolled indexes, in-range mask)."""
    working = calendar.np_working[idx]
    if roll is Roll.NONE:
        return idx, np.ones(idx.shape, dtype=bool)
    cum = calendar.np_cum[idx]
    # a day off at idx: the next working day has rank cum + 1, the previous one rank cum
    rank = cum + 1 if roll is Roll.FOLLOWING else cum
    ok = working | ((rank >= 1) & (rank < len(calendar.np_pos)))
    moved = calendar.np_pos[np.where(ok & ~working, rank, 1)]
    return np.where(working, idx, np.where(ok, moved, idx)), ok
