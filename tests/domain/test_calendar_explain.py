"""The steps of a working-day answer: each day passed over with the document behind it, the
weekend days counted, the start day cited (Civil Code 2015 Art. 147)."""

from __future__ import annotations

import datetime as dt

from app.domain.calendar import (
    Adjustment,
    AdjustmentKind,
    CalendarSnapshot,
    DayKind,
    YearStatus,
    build_snapshot,
)
from app.domain.calendar.explain import CalendarStepKind, add_trace, count_trace
from app.domain.citations import Citation, Confidence, cited

D = dt.date
K = CalendarStepKind


def test_add_over_the_2024_swap(calendar: CalendarSnapshot) -> None:
    # Fri 26/4/2024 + 3 → Sat 4/5: Sat 27, Sun 28 weekly rest; Mon 29/4 off under Công văn
    # 2450/VPCP-KGVX (its make-up day Sat 4/5 counted); 30/4 and 1/5 holidays (BLLĐ 2019
    # Art. 112(1)); Thu 2 (1), Fri 3 (2), Sat 4 (3).
    steps = add_trace(calendar, D(2024, 4, 26), 3, D(2024, 5, 4))
    assert [s.step for s in steps] == [
        K.START,
        K.SKIPPED,
        K.SKIPPED,
        K.SKIPPED,
        K.COUNTED,
        K.WEEKENDS,
        K.RESULT,
    ]
    start, swap, holiday, _, make_up, weekends, result = steps
    assert start.citation == Citation("Bộ luật Dân sự 2015", "Điều 147", Confidence.VERIFIED)
    assert swap.day is not None and swap.day.kind is DayKind.SWAP_OFF
    assert swap.citation is not None
    assert "2450/VPCP-KGVX" in swap.citation.document
    assert (swap.citation.article, swap.citation.confidence) == (None, Confidence.VERIFIED)
    assert holiday.citation == Citation("Bộ luật Lao động 2019", "Điều 112(1)", Confidence.VERIFIED)
    assert make_up.day is not None and make_up.day.working
    assert (weekends.weekend_days, weekends.day, weekends.date) == (2, None, None)
    assert weekends.citation is not None
    assert weekends.citation.document == "Quyết định 188/1999/QĐ-TTg"
    assert (result.date, result.citation, result.day) == (D(2024, 5, 4), None, None)


def test_count_without_days_off_has_only_weekends(calendar: CalendarSnapshot) -> None:
    # (Fri 1/3, Fri 15/3] 2024: two weeks, no holiday: 10 working days, 4 weekend days.
    steps = count_trace(calendar, D(2024, 3, 1), D(2024, 3, 15), 10)
    assert [(s.step, s.weekend_days) for s in steps] == [
        (K.SPAN, 0),
        (K.WEEKENDS, 4),
        (K.RESULT, 0),
    ]


def test_a_source_without_a_confidence_mark_is_cited_as_uncertain() -> None:
    # An operator's adjustment whose source carries no [V]/[S] mark: nobody said it was read in
    # the text, so its citation is '?' (docs/legal-basis.md#confidence).
    off = Adjustment(D(2024, 3, 5), AdjustmentKind.DAY_OFF, "Nghỉ", "Day off", "Thông báo 1/TB")
    calendar = build_snapshot(
        [off],
        [YearStatus(2024, provisional=False, note="decided")],
        revision=1,
        first=D(2024, 1, 1),
        last=D(2024, 12, 31),
    )
    steps = add_trace(calendar, D(2024, 3, 4), 1, D(2024, 3, 6))
    (skipped,) = [s for s in steps if s.step is K.SKIPPED]
    assert skipped.citation == Citation("Thông báo 1/TB", None, Confidence.UNCERTAIN)


def test_a_source_line_is_read_as_document_and_article() -> None:
    # The calendar data names a day's source on one line; the article starts at the first
    # comma followed by Điều/Khoản/Điểm/Mục/Chương, and a notice without one is all document.
    assert cited("Bộ luật Lao động 2019, Điều 112(1)", Confidence.VERIFIED) == Citation(
        "Bộ luật Lao động 2019", "Điều 112(1)", Confidence.VERIFIED
    )
    assert cited("Nghị quyết 28/2026/QH16, Điều 1, Khoản 2", Confidence.SECONDARY) == Citation(
        "Nghị quyết 28/2026/QH16", "Điều 1, Khoản 2", Confidence.SECONDARY
    )
    assert cited("Công văn 2450/VPCP-KGVX (2024)", Confidence.VERIFIED) == Citation(
        "Công văn 2450/VPCP-KGVX (2024)", None, Confidence.VERIFIED
    )
