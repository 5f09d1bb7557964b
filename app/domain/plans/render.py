"""A rule draft written back as the canonical Vietnamese phrase the parser reads.

The wording is the plans' own, one form per meaning: "ngày thông thường" (never a bare "ngày",
which would need an interpretation), "kể từ ngày …" for a forward period, "tính đến ngày …" for
a backward one, Roman numerals for quarters, dates as dd/mm/yyyy.
"""

from __future__ import annotations

from app.domain.deadlines.model import AnchorEvent, Bound, Direction, Frequency, Shape, Unit
from app.domain.deadlines.period import Period, PeriodKind
from app.domain.plans.anchors import CANONICAL
from app.domain.plans.draft import RuleDraft

_UNIT = {
    Unit.CALENDAR_DAYS: "ngày thông thường",
    Unit.WORKING_DAYS: "ngày làm việc",
    Unit.WEEKS: "tuần",
    Unit.MONTHS: "tháng",
}
_ROMAN = ("I", "II", "III", "IV")
_EVERY = {
    Frequency.MONTHLY: "tháng",
    Frequency.QUARTERLY: "quý",
    Frequency.YEARLY: "năm",
}


class NotRenderable(ValueError):
    """A draft the plans' language has no canonical phrase for (e.g. a chained anchor)."""


def render(draft: RuleDraft) -> str:
    shape = draft.shape
    before = "Trước" if draft.bound is Bound.STRICT else "Chậm nhất"
    if shape is Shape.PERIOD:
        link = "tính đến" if draft.direction is Direction.BACKWARD else "kể từ"
        assert draft.unit is not None
        return f"Chậm nhất {draft.amount:02d} {_UNIT[draft.unit]} {link} ngày {_event(draft)}"
    if shape is Shape.ON_ANCHOR:
        return f"Đúng ngày {_event(draft)}"
    if shape is Shape.IMMEDIATE:
        return f"Ngay sau khi {_event(draft)}"
    if shape is Shape.AFTER_EVENT:
        return f"Sau khi {_event(draft)}"
    if shape is Shape.FIXED_DATE:
        assert draft.fixed_date is not None
        return f"{before} ngày {draft.fixed_date:%d/%m/%Y}"
    if shape is Shape.PERIOD_END:
        return _period_end(draft)
    if shape is Shape.WINDOW:
        first, last = draft.periods
        return f"Tháng {first.index} đến tháng {last.index} năm {first.year}"
    if shape is Shape.CONTINUOUS:
        return (
            f"Thường xuyên trong năm {draft.periods[0].year}" if draft.periods else "Thường xuyên"
        )
    if shape is Shape.EXTERNAL:
        return "Theo Kế hoạch"
    return _recurring(draft, before)


def _event(draft: RuleDraft) -> str:
    if draft.anchor is None or draft.anchor is AnchorEvent.DUTY_COMPLETED:
        raise NotRenderable(f"no canonical wording for the anchor {draft.anchor}")
    if draft.anchor not in CANONICAL:
        raise NotRenderable(f"no canonical wording for the anchor {draft.anchor}")
    return CANONICAL[draft.anchor]


def _period_end(draft: RuleDraft) -> str:
    kinds = {p.kind for p in draft.periods}
    years = {p.year for p in draft.periods}
    if len(kinds) != 1 or len(years) != 1:
        raise NotRenderable("periods of several kinds or years")
    kind, year = kinds.pop(), years.pop()
    strict = "Trước " if draft.bound is Bound.STRICT else ""
    if kind is PeriodKind.QUARTER:
        return f"{strict}Quý {', '.join(_ROMAN[p.index - 1] for p in draft.periods)}/{year}"
    if len(draft.periods) != 1:
        raise NotRenderable("several months, half-years or years")
    period: Period = draft.periods[0]
    if kind is PeriodKind.MONTH:
        return f"{strict}tháng {period.index:02d}/{year}".capitalize()
    if kind is PeriodKind.HALF_YEAR and not strict:
        return f"6 tháng {'đầu' if period.index == 1 else 'cuối'} năm {year}"
    if kind is PeriodKind.YEAR and not strict:
        return f"Trong năm {year}"
    raise NotRenderable(f"a strict {kind}")


def _recurring(draft: RuleDraft, before: str) -> str:
    rec = draft.recurrence
    assert rec is not None
    if rec.frequency not in _EVERY:
        raise NotRenderable(f"no canonical wording for {rec.frequency}")
    every = _EVERY[rec.frequency]
    if rec.day is None:
        return f"Hằng {every}"
    if rec.last_month:
        if rec.frequency is Frequency.MONTHLY:
            raise NotRenderable("the last month of a month")
        return f"{before} ngày {rec.day:02d} của tháng cuối {every}"
    if rec.frequency is not Frequency.MONTHLY:
        raise NotRenderable("a day of a quarter or year without its month")
    return f"{before} ngày {rec.day:02d} hằng tháng"
