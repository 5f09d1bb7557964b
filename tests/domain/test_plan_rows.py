"""A plan's rows as pasted, and the draft profile drawn from them."""

from __future__ import annotations

import datetime as dt

from app.data.documents import from_json
from app.data.rules import load_profiles, parse_profile
from app.domain.deadlines import AnchorEvent, Catalog, Level, Shape
from app.domain.plans.draft import Reading
from app.domain.plans.profile import PlanHeader, draft_profile
from app.domain.plans.rows import plan_rows

HEADER = PlanHeader(
    code="tinh-x-2025",
    issuer="UBND tỉnh X",
    level=Level.PROVINCE,
    year=2025,
    document="12/QĐ-UBND",
    signed=dt.date(2025, 1, 10),
)

TABS = (
    "STT\tNội dung công việc\tCơ quan chủ trì\tThời gian thực hiện\n"
    "I\tCông bố, công khai TTHC\t\t\n"
    "1\tNiêm yết TTHC\tVăn phòng\tChậm nhất là 03 ngày làm việc kể từ ngày\n"
    "\n"
    "STT\tNội dung công việc\tCơ quan chủ trì\tThời gian thực hiện\n"
    "\tcác cấp\t\tquyết định công bố\n"
    "2\tBáo cáo\tVăn phòng\tQuý I, II/2025\n"
    "3\tKiểm tra\tVăn phòng\t\n"
)
PIPES = (
    "TT | Nội dung thực hiện | Cơ quan chủ trì | Thời gian thực hiện |\n"
    "1 | Xây dựng kế hoạch | Sở | Tháng 03 năm 2025 |\n"
    "2 | Rà soát | Sở | Tham dự hội nghị |\n"
)
PROSE = (
    "1. Công tác chỉ đạo điều hành\n\n"
    "a) Cơ quan thực hiện: Các cơ quan\n"
    "b) Thời gian: Tháng 01/2025\n"
    "3.2. Công khai TTHC\n"
    "c) Thời gian thực hiện: Thường xuyên\n"
)


def test_table_rows_continue_over_lines_and_page_breaks() -> None:
    rows = plan_rows(TABS)
    assert [(r.line, r.number) for r in rows] == [(3, "I.1"), (7, "I.2"), (8, "I.3")]
    # the cell goes on after a blank line and a repeated header (a page break)
    assert rows[0].phrase == "Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố"
    assert rows[0].task == "Niêm yết TTHC các cấp"
    assert rows[2].phrase == ""


def test_pipe_rows() -> None:
    rows = plan_rows(PIPES)
    assert [(r.number, r.task, r.phrase) for r in rows] == [
        ("1", "Xây dựng kế hoạch", "Tháng 03 năm 2025"),
        ("2", "Rà soát", "Tham dự hội nghị"),
    ]


def test_running_text_rows() -> None:
    rows = plan_rows(PROSE)
    assert [(r.line, r.number, r.task, r.phrase) for r in rows] == [
        (4, "1", "Công tác chỉ đạo điều hành", "Tháng 01/2025"),
        (6, "3.2", "Công khai TTHC", "Thường xuyên"),
    ]


def test_draft_profile_loads_and_reports_every_row() -> None:
    draft = draft_profile(TABS, HEADER)
    summary = draft.summary
    assert (summary.rows, summary.parsed, summary.interpreted, summary.not_understood) == (
        3,
        2,
        0,
        1,
    )
    document = {**draft.document, "version": 1}
    profile = parse_profile(from_json(document), "draft")
    Catalog([*load_profiles(), profile])  # resolves against national
    first = profile.rules[0]
    assert (first.code, first.shape, first.amount, first.anchor) == (
        "tinh-x-2025.i-1",
        Shape.PERIOD,
        3,
        AnchorEvent.DECISION_SIGNED,
    )
    assert first.phrases_vi == ("Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố",)
    assert first.title_vi == "Niêm yết TTHC các cấp"
    assert first.citation.article == "Kế hoạch kèm theo, nhiệm vụ I.1 (dòng 3)"
    missing = draft.rows[2]
    assert (missing.reading, missing.unread, missing.rules) == (
        Reading.NOT_UNDERSTOOD,
        "(empty)",
        (),
    )
    assert profile.source is not None and profile.source.document == "12/QĐ-UBND"
    assert profile.effective_from == dt.date(2025, 1, 10)


def test_steps_chain_and_alternatives_get_their_own_codes() -> None:
    text = (
        "STT\tNội dung\tThời gian thực hiện\n"
        "1\tQuy trình\tHoàn thành trước 10 ngày thông thường kể từ ngày ký ban hành Quyết định "
        "công bố: - Phê duyệt quy trình nội bộ trước 07 ngày; - Thiết lập quy trình điện tử chậm "
        "nhất là 03 ngày.\n"
        "2\tCơ sở dữ liệu\tQuý I/2025 hoặc theo Quyết định phê duyệt của Bộ\n"
    )
    draft = draft_profile(text, HEADER)
    profile = parse_profile(from_json({**draft.document, "version": 1}), "draft")
    by_code = {r.code: r for r in profile.rules}
    assert sorted(by_code) == [
        "tinh-x-2025.1-1",
        "tinh-x-2025.1-2",
        "tinh-x-2025.1-3",
        "tinh-x-2025.2-a",
        "tinh-x-2025.2-b",
    ]
    assert by_code["tinh-x-2025.1-2"].anchor is AnchorEvent.DECISION_SIGNED
    assert by_code["tinh-x-2025.1-3"].chain_from == "tinh-x-2025.1-2"
    Catalog([*load_profiles(), profile])


def test_a_phrase_starting_with_thoi_gian_is_no_header() -> None:
    text = (
        "STT\tNội dung\tThời gian thực hiện\n"
        "1\tBáo cáo quý\tThời gian chậm nhất là ngày 17 của tháng cuối quý.\n"
        "2\tKế hoạch\tTháng 02/2025\n"
    )
    rows = plan_rows(text)
    assert [(r.number, r.phrase) for r in rows] == [
        ("1", "Thời gian chậm nhất là ngày 17 của tháng cuối quý."),
        ("2", "Tháng 02/2025"),
    ]
