"""Each wording the plans use for a deadline, read into the rule it means.

Expected values are the meanings the law and the plans give the words (Civil Code 2015
Arts. 147–148 for counting; "trước ngày D" a strict bound), read by hand from each phrase.
"""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from typing import Literal

import pytest

from app.domain.deadlines import AnchorEvent, Bound, Direction, Frequency, Period, Shape, Unit
from app.domain.plans.draft import Reading, RuleDraft
from app.domain.plans.phrases import MAX_PHRASE, parse_phrase


def one(phrase: str, year: int | None = 2024, context: str = "") -> RuleDraft:
    reading = parse_phrase(phrase, year, context)
    assert len(reading.drafts) == 1, reading
    return reading.drafts[0]


def periods(*texts: str) -> tuple[Period, ...]:
    return tuple(Period.parse(t) for t in texts)


@pytest.mark.parametrize(
    ("phrase", "amount", "unit"),
    [
        ("Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố", 3, Unit.WORKING_DAYS),
        ("Chậm nhất là 3 ngày làm việc kể từ ngày quyết định công bố", 3, Unit.WORKING_DAYS),
        (
            "Hoàn thành trước 10 ngày thông thường kể từ ngày quyết định công bố",
            10,
            Unit.CALENDAR_DAYS,
        ),
        ("Trong thời hạn 20 ngày làm việc, kể từ ngày quyết định công bố", 20, Unit.WORKING_DAYS),
        (
            "Trong thời gian 05 ngày thông thường tính từ ngày quyết định công bố",
            5,
            Unit.CALENDAR_DAYS,
        ),
        (
            "Chậm nhất sau 10 ngày thông thường sau khi có quyết định công bố",
            10,
            Unit.CALENDAR_DAYS,
        ),
        ("Trong 02 tuần kể từ ngày quyết định công bố", 2, Unit.WEEKS),
        ("Trong 01 tháng kể từ ngày quyết định công bố", 1, Unit.MONTHS),
    ],
)
def test_periods_and_their_units(phrase: str, amount: int, unit: Unit) -> None:
    draft = one(phrase)
    assert (draft.shape, draft.amount, draft.unit) == (Shape.PERIOD, amount, unit)
    assert draft.anchor is AnchorEvent.DECISION_SIGNED
    assert draft.direction is Direction.FORWARD
    # "trước N ngày kể từ …" is a period of N days, not a strict bound
    assert draft.bound is Bound.INCLUSIVE
    assert parse_phrase(phrase).reading is Reading.PARSED


def test_bare_day_is_calendar_days_as_an_interpretation() -> None:
    reading = parse_phrase("Chậm nhất 10 ngày kể từ ngày ban hành Quyết định công bố TTHC")
    assert reading.drafts[0].unit is Unit.CALENDAR_DAYS
    assert reading.reading is Reading.INTERPRETED
    assert any("calendar days" in note for note in reading.interpretations)


def test_backward_period() -> None:
    draft = one("Chậm nhất 05 ngày thông thường tính đến ngày văn bản QPPL có hiệu lực thi hành")
    assert draft.direction is Direction.BACKWARD
    assert draft.anchor is AnchorEvent.LEGAL_DOCUMENT_EFFECTIVE


@pytest.mark.parametrize(
    ("event", "anchor"),
    [
        ("ngày ký ban hành Quyết định công bố", AnchorEvent.DECISION_SIGNED),
        ("ngày có quyết định Công bố DM TTHC", AnchorEvent.DECISION_SIGNED),
        ("ngày Quyết định công bố có hiệu lực thi hành", AnchorEvent.DECISION_EFFECTIVE),
        (
            "ngày Bộ trưởng, Thủ trưởng cơ quan ngang bộ ký ban hành Danh mục TTHC",
            AnchorEvent.MINISTRY_LIST_SIGNED,
        ),
        (
            "thời gian Bộ trưởng, Thủ trưởng cơ quan ngang bộ ban hành Danh mục TTHC",
            AnchorEvent.MINISTRY_LIST_SIGNED,
        ),
        ("ngày ban hành Kế hoạch này", AnchorEvent.PLAN_ISSUED),
        ("ngày tiếp nhận phản ánh, kiến nghị", AnchorEvent.FEEDBACK_RECEIVED),
        ("ngày văn bản QPPL được ban hành", AnchorEvent.LEGAL_DOCUMENT_SIGNED),
    ],
)
def test_anchor_events(event: str, anchor: AnchorEvent) -> None:
    assert one(f"Chậm nhất 05 ngày làm việc kể từ {event}").anchor is anchor


def test_an_unknown_event_stays_text_and_needs_an_anchor() -> None:
    reading = parse_phrase("Chậm nhất sau 10 ngày sau khi có Quyết định phê duyệt")
    draft = reading.drafts[0]
    assert draft.anchor is None and draft.needs_anchor
    assert draft.anchor_text == "quyết định phê duyệt"
    assert any("needs an anchor" in note for note in reading.interpretations)


def test_receipt_named_alone_takes_its_object_from_the_row() -> None:
    phrase = "Trong thời gian 10 ngày kể từ ngày tiếp nhận"
    feedback = one(phrase, context="Tiếp nhận và xử lý phản ánh, kiến nghị")
    assert feedback.anchor is AnchorEvent.FEEDBACK_RECEIVED
    assert one(phrase, context="Giải quyết hồ sơ").anchor is AnchorEvent.DOSSIER_RECEIVED
    assert one(phrase).needs_anchor


@pytest.mark.parametrize(
    ("phrase", "day", "bound"),
    [
        ("Trước ngày 15/3/2024", dt.date(2024, 3, 15), Bound.STRICT),
        ("Trước ngày 05/03/2024", dt.date(2024, 3, 5), Bound.STRICT),
        ("15/02/2024", dt.date(2024, 2, 15), Bound.INCLUSIVE),
        ("Chậm nhất ngày 31/12/2024", dt.date(2024, 12, 31), Bound.INCLUSIVE),
    ],
)
def test_named_dates(phrase: str, day: dt.date, bound: Bound) -> None:
    draft = one(phrase)
    assert (draft.shape, draft.fixed_date, draft.bound) == (Shape.FIXED_DATE, day, bound)


def test_day_and_month_take_the_plans_year() -> None:
    reading = parse_phrase("Trước ngày 15/3", 2024)
    assert reading.drafts[0].fixed_date == dt.date(2024, 3, 15)
    assert reading.reading is Reading.INTERPRETED
    assert parse_phrase("Trước ngày 15/3", None).reading is Reading.NOT_UNDERSTOOD
    assert parse_phrase("Trước ngày 31/02/2024").reading is Reading.NOT_UNDERSTOOD


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Quý I/2024", periods("2024-Q1")),
        ("Quý 1/2024", periods("2024-Q1")),
        ("Quý IV năm 2022", periods("2022-Q4")),
        ("Quý I, II/2024", periods("2024-Q1", "2024-Q2")),
        ("Quý I, II, III, IV/2024", periods("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4")),
        ("Tháng 03 năm 2022", periods("2022-03")),
        ("Tháng 02/2023", periods("2023-02")),
        ("Tháng 8 năm 2022", periods("2022-08")),
        ("Năm 2023", periods("2023")),
        ("Trong năm 2023", periods("2023")),
        ("6 tháng đầu năm 2023", periods("2023-H1")),
    ],
)
def test_named_periods(phrase: str, expected: tuple[Period, ...]) -> None:
    draft = one(phrase)
    assert (draft.shape, draft.periods) == (Shape.PERIOD_END, expected)
    assert parse_phrase(phrase).reading is Reading.PARSED


def test_quarters_and_the_year() -> None:
    reading = parse_phrase("Quý I, II, III và năm 2023")
    # the yearly item is due at the year's end, which is the fourth quarter's end
    assert reading.drafts[0].periods == periods("2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4")
    assert reading.reading is Reading.INTERPRETED


def test_a_mistyped_roman_one() -> None:
    reading = parse_phrase("Quý l, II năm 2022")
    assert reading.drafts[0].periods == periods("2022-Q1", "2022-Q2")
    assert reading.reading is Reading.INTERPRETED


def test_trong_nam_without_a_year_is_the_plans_year() -> None:
    reading = parse_phrase("Trong năm", 2023)
    assert reading.drafts[0].periods == periods("2023")
    assert reading.reading is Reading.INTERPRETED


def test_window_of_months() -> None:
    draft = one("Tháng 3 đến tháng 7 năm 2022")
    assert (draft.shape, draft.periods) == (Shape.WINDOW, periods("2022-03", "2022-07"))


def test_before_a_month_is_strict() -> None:
    draft = one("trước tháng 02/2021")
    assert (draft.shape, draft.bound, draft.periods) == (
        Shape.PERIOD_END,
        Bound.STRICT,
        periods("2021-02"),
    )


@pytest.mark.parametrize(
    ("phrase", "frequency", "day", "last_month", "bound"),
    [
        ("Hằng tháng", Frequency.MONTHLY, None, False, Bound.INCLUSIVE),
        ("Hàng tháng", Frequency.MONTHLY, None, False, Bound.INCLUSIVE),
        ("Định kỳ hằng quý", Frequency.QUARTERLY, None, False, Bound.INCLUSIVE),
        ("Định kỳ trước ngày 10 hằng tháng", Frequency.MONTHLY, 10, False, Bound.STRICT),
        ("Ngày 05 hàng tháng", Frequency.MONTHLY, 5, False, Bound.INCLUSIVE),
        (
            "- Thời gian chậm nhất là ngày 17 của tháng cuối quý.",
            Frequency.QUARTERLY,
            17,
            True,
            Bound.INCLUSIVE,
        ),
    ],
)
def test_recurring(
    phrase: str, frequency: Frequency, day: int | None, last_month: bool, bound: Bound
) -> None:
    draft = one(phrase)
    assert draft.shape is Shape.RECURRING and draft.recurrence is not None
    rec = draft.recurrence
    assert (rec.frequency, rec.day, rec.last_month, draft.bound) == (
        frequency,
        day,
        last_month,
        bound,
    )


@pytest.mark.parametrize(
    ("phrase", "shape", "anchor"),
    [
        (
            "Ngay sau khi văn bản QPPL được ban hành.",
            Shape.IMMEDIATE,
            AnchorEvent.LEGAL_DOCUMENT_SIGNED,
        ),
        (
            "Ngay sau khi có Quyết định công bố TTHC của Chủ tịch UBND tỉnh",
            Shape.IMMEDIATE,
            AnchorEvent.DECISION_SIGNED,
        ),
        (
            "Công khai đúng ngày Quyết định công bố có hiệu lực thi hành",
            Shape.ON_ANCHOR,
            AnchorEvent.DECISION_EFFECTIVE,
        ),
        ("Sau khi có Báo cáo kết quả giải quyết", Shape.AFTER_EVENT, AnchorEvent.FEEDBACK_RESOLVED),
        ("Sau kiểm tra", Shape.AFTER_EVENT, AnchorEvent.INSPECTION_DONE),
        (
            "Sau khi VPCP ban hành thông tư hướng dẫn",
            Shape.AFTER_EVENT,
            AnchorEvent.GUIDANCE_ISSUED,
        ),
    ],
)
def test_events(phrase: str, shape: Shape, anchor: AnchorEvent) -> None:
    draft = one(phrase)
    assert (draft.shape, draft.anchor) == (shape, anchor)


@pytest.mark.parametrize(
    ("phrase", "shape"),
    [
        ("Thường xuyên", Shape.CONTINUOUS),
        ("Thường xuyên trong năm 2022", Shape.CONTINUOUS),
        ("Theo Kế hoạch số 1080/KH-UBND ngày 17/02/2024 của UBND tỉnh", Shape.EXTERNAL),
        ("Theo yêu cầu", Shape.EXTERNAL),
        ("Theo lộ trình Thủ tướng Chính phủ, Chủ tịch UBND tỉnh giao", Shape.EXTERNAL),
    ],
)
def test_continuous_and_external(phrase: str, shape: Shape) -> None:
    assert one(phrase).shape is shape
    assert parse_phrase(phrase).reading is Reading.PARSED


def test_continuous_within_a_year() -> None:
    assert one("Thường xuyên trong năm 2022").periods == periods("2022")


def test_alternatives_are_both_kept() -> None:
    reading = parse_phrase("Quý I/2024 hoặc theo Quyết định phê duyệt của Bộ, ngành")
    assert reading.alternatives
    assert [d.shape for d in reading.drafts] == [Shape.PERIOD_END, Shape.EXTERNAL]


def test_alternative_on_its_own_line() -> None:
    reading = parse_phrase(
        "- Trước 05 ngày thông thường kể từ ngày Quyết định công bố thừa ủy quyền của Chủ tịch "
        "UBND tỉnh;\n- Hoặc trước 15 ngày thông thường tính từ thời gian Bộ trưởng, Thủ trưởng "
        "cơ quan ngang bộ ban hành Danh mục TTHC."
    )
    assert reading.alternatives
    assert [(d.amount, d.anchor) for d in reading.drafts] == [
        (5, AnchorEvent.DECISION_SIGNED),
        (15, AnchorEvent.MINISTRY_LIST_SIGNED),
    ]


def test_or_inside_the_event_is_no_alternative() -> None:
    reading = parse_phrase(
        "Chậm nhất 10 ngày kể từ ngày ban hành Quyết định công bố TTHC hoặc Quyết định công bố "
        "danh mục TTHC của Chủ tịch UBND tỉnh."
    )
    assert not reading.alternatives
    assert [d.anchor for d in reading.drafts] == [AnchorEvent.DECISION_SIGNED]


def test_sub_items_are_steps() -> None:
    reading = parse_phrase(
        "Hoàn thành trước 10 ngày thông thường kể từ ngày ký ban hành Quyết định công bố: "
        "- Phê duyệt quy trình nội bộ trước 07 ngày; - Thiết lập quy trình điện tử chậm nhất là "
        "03 ngày."
    )
    assert not reading.alternatives
    assert [d.amount for d in reading.drafts] == [10, 7, 3]
    # the first step counts from the cell's event, the next from the step before it
    assert [(d.anchor, d.after_previous) for d in reading.drafts] == [
        (AnchorEvent.DECISION_SIGNED, False),
        (AnchorEvent.DECISION_SIGNED, False),
        (None, True),
    ]
    assert not any(d.needs_anchor for d in reading.drafts)
    assert reading.reading is Reading.INTERPRETED


def test_split_over_lines_as_pasted_from_a_pdf() -> None:
    pasted = "Chậm nhất là 03\nngày làm việc kể từ ngày\r\nquyết định công bố"
    assert one(pasted) == one("Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố")


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_unicode_forms(form: Literal["NFC", "NFD"]) -> None:
    text = "Hoàn thành trước 10 ngày thông thường kể từ ngày quyết định công bố"
    phrase = unicodedata.normalize(form, text)
    assert one(phrase).amount == 10


def test_tone_mark_placement() -> None:
    # "hoà"/"hòa", "uỷ"/"ủy": both placements are in use
    old = "Trước 05 ngày thông thường kể từ ngày Quyết định công bố thừa ủy quyền"
    new = "Trước 05 ngày thông thường kể từ ngày Quyết định công bố thừa uỷ quyền"
    assert one(old) == one(new)
    assert one("Ngày sau khi văn bản QPPL được ban hành").shape is Shape.IMMEDIATE
    # an event kept as text reads the same whichever vowel carries the tone
    before = one("Trong 05 ngày làm việc kể từ ngày hòa giải thành")
    after = one("Trong 05 ngày làm việc kể từ ngày hoà giải thành")
    assert before == after and before.anchor_text == "hoà giải thành"


@pytest.mark.parametrize(
    ("phrase", "unread"),
    [
        ("", "(empty)"),
        ("   \n ", "(empty)"),
        ("Tham dự Hội nghị, Hội thảo, tọa đàm, ...", "tham dự hội nghị, hội thảo, toạ đàm"),
        ("Tháng 13/2024", "tháng 13/2024"),
        ("Ngày 30/02/2024", "ngày 30/02/2024"),
        ("Quý V/2024", "quý v/2024"),
        # a cell holding only the word that joins alternatives
        ("Hoặc", "hoặc"),
        ("- Hoặc ;", "hoặc"),
    ],
)
def test_not_understood_names_the_unread_part(phrase: str, unread: str) -> None:
    reading = parse_phrase(phrase)
    assert reading.reading is Reading.NOT_UNDERSTOOD and reading.drafts == ()
    assert reading.unread == unread


def test_an_overlong_phrase_is_not_read() -> None:
    reading = parse_phrase("Thường xuyên " + "x" * MAX_PHRASE)
    assert reading.reading is Reading.NOT_UNDERSTOOD


def test_long_runs_of_the_plans_words_read_in_linear_time() -> None:
    """A cell of a pasted plan is at most MAX_PHRASE characters, but a plan has many cells:
    reading one must cost time in proportion to its length. Runs of limit words before no
    amount ("sau sau sau …") and of anchor words with no end ("ký danh mục TTHC …") once
    took 0.03–0.2 s a cell (a quadratic backtrack), so a 1 MB paste held a worker a minute;
    read in linear time these fifty cells take a few milliseconds, well under the bound."""
    cells = [
        "sau " * 490,
        "trong " * 330,
        "Trước " * 330,
        "Sau khi " + "ký danh mục TTHC " * 115,
        "05 ngày kể từ ngày " + "ký danh mục TTHC " * 115,
    ]
    assert all(1_800 < len(c) <= MAX_PHRASE for c in cells)
    start = time.perf_counter()
    for _ in range(10):
        for cell in cells:
            parse_phrase(cell, 2024)
    assert time.perf_counter() - start < 1.0
