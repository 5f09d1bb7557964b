"""Proof on the five plans the shipped profiles were written from: reading each plan's text
gives the rules the hand-written profile (app/data/rules/) holds.

Two checks. Every phrase of a hand profile, read alone, gives its rule (same shape, amount,
unit, anchor, direction, bound, roll, date, periods, recurrence). And every hand phrase is
found among the rows read from the plan's text. Where either is not so, EXPECTED_DIFFERENCES
or NOT_IN_ROWS says why; each entry is checked to be still needed, so the tables cannot rot.
The plans' texts are in tests/fixtures/plans/, each with its source on the first line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.data.documents import from_json
from app.data.rules import load_profiles, parse_profile
from app.domain.deadlines import AnchorEvent, Catalog, Profile, Rule, default_roll
from app.domain.plans.draft import RuleDraft
from app.domain.plans.phrases import parse_phrase
from app.domain.plans.profile import PlanHeader, draft_profile
from app.domain.plans.text import fold

PLANS = Path(__file__).parent.parent / "fixtures" / "plans"
HAND = {p.code: p for p in load_profiles() if p.code != "national"}

# (profile, phrase) → why the phrase read alone is not the hand rule.
EXPECTED_DIFFERENCES: dict[tuple[str, str], str] = {
    ("an-giang-construction-2023", "Tham dự Hội nghị, Hội thảo, tọa đàm, ..."): (
        "the cell names an activity, not a time; the hand profile takes the row's timing from "
        "its results column ('Theo Kế hoạch của Cơ quan Trung ương'): not understood, reported"
    ),
    ("an-giang-construction-2023", "Chậm nhất sau 10 ngày sau khi có Quyết định phê duyệt"): (
        "'Quyết định phê duyệt' is the approval of the internal process, the duty of the row "
        "before: a chain across rows, which the phrase alone does not name; the draft keeps "
        "the event as text and the rule needs an anchor (duty_completed) before publishing"
    ),
    ("an-giang-construction-2023", "Hàng quý (Theo Kế hoạch số 712/KH-UBND ngày 18/11/2020)"): (
        "the hand rule joins this row with the reporting day the plan states in another row's "
        "task ('chậm nhất là ngày 19 của tháng cuối quý'); the row alone names no day"
    ),
    ("quang-nam-2024", "Phê duyệt quy trình nội bộ trước 07 ngày;"): (
        "a step of the cell 'Hoàn thành trước 10 ngày … kể từ ngày ký ban hành Quyết định công "
        "bố …: - …; - …': alone it names no event; read in its cell it counts from the decision "
        "(test_steps_chain_and_alternatives_get_their_own_codes)"
    ),
    ("quang-nam-2024", "Thiết lập quy trình điện tử chậm nhất là 03 ngày."): (
        "the next step of the same cell: alone it names no event; read in its cell it follows "
        "the step before it (duty_completed), as the hand profile chains it"
    ),
}

# (profile, phrase) → why the phrase is not among the rows read from the plan's text.
_PROSE = (
    "in the plan's running text, not in a 'Thời gian thực hiện:' line: the rows read are the "
    "numbered tasks with their time lines; the phrase itself reads as its rule (test above)"
)
NOT_IN_ROWS: dict[tuple[str, str], str] = {
    ("an-giang-construction-2023", "Theo Kế hoạch của Cơ quan Trung ương"): (
        "in the row's results column ('Kết quả thực hiện'), not its time column"
    ),
    ("an-giang-construction-2023", "chậm nhất là ngày 19 của tháng cuối quý"): (
        "inside the task text of the reporting row ('Nội dung'), not its time column"
    ),
    ("thanh-hoa-district-2021", "trước tháng 02/2021"): _PROSE,
    (
        "thanh-hoa-district-2021",
        "ngày sau khi Quyết định công bố của các Sở được đăng tải công khai",
    ): _PROSE,
    ("thanh-hoa-district-2021", "ngay sau khi quyết định được công bố"): _PROSE,
    (
        "thanh-hoa-district-2021",
        "trong thời hạn 20 ngày làm việc, kể từ ngày ban hành Kế hoạch này",
    ): _PROSE,
    ("thanh-hoa-district-2021", "trước ngày 17 của tháng cuối kỳ báo cáo"): _PROSE,
}

# Rows read per plan: (rows, parsed, interpreted, not understood), counted by hand from the
# reports (a row's note column read as a deadline counts as a row of its own).
SUMMARIES: dict[str, tuple[int, int, int, int]] = {
    # 50 table rows + 1 note ("Chậm nhất sau 10 ngày kể từ ngày có quyết định …"); not
    # understood: "Tham dự Hội nghị …"
    "an-giang-construction-2023": (51, 46, 4, 1),
    # interpreted: "Quý l, II năm 2022" (a mistyped Roman I)
    "ha-tinh-2022": (33, 32, 1, 0),
    # interpreted: the bare "10 ngày", two "Trong năm", two remarks after the deadline
    "nghe-an-2023": (46, 41, 5, 0),
    # not understood: tasks X.2–X.4, whose time cell is merged with X.1's in the source
    "quang-nam-2024": (56, 48, 5, 3),
    # running text: the eight "Thời gian thực hiện:" lines
    "thanh-hoa-district-2021": (8, 6, 2, 0),
}


def _fields(
    shape: Any, amount: Any, unit: Any, anchor: Any, direction: Any, bound: Any, roll: Any,
    fixed_date: Any, periods: Any, recurrence: Any,
) -> dict[str, Any]:  # fmt: skip
    rec = (recurrence.frequency, recurrence.day, recurrence.last_month) if recurrence else None
    return {
        "shape": shape, "amount": amount, "unit": unit, "anchor": anchor,
        "direction": direction, "bound": bound, "roll": roll, "fixed_date": fixed_date,
        "periods": tuple(periods), "recurrence": rec,
    }  # fmt: skip


def of_rule(rule: Rule) -> dict[str, Any]:
    return _fields(
        rule.shape, rule.amount, rule.unit, rule.anchor, rule.direction, rule.bound,
        rule.effective_roll, rule.fixed_date, rule.periods, rule.recurrence,
    )  # fmt: skip


def of_draft(draft: RuleDraft) -> dict[str, Any]:
    anchor = AnchorEvent.DUTY_COMPLETED if draft.after_previous else draft.anchor
    roll = draft.roll or default_roll(draft.shape, draft.direction, draft.bound)
    return _fields(
        draft.shape, draft.amount, draft.unit, anchor, draft.direction, draft.bound, roll,
        draft.fixed_date, draft.periods, draft.recurrence,
    )  # fmt: skip


def _year(profile: Profile) -> int:
    assert profile.year is not None
    return profile.year


HAND_PHRASES = [
    (profile.code, phrase, rule)
    for profile in HAND.values()
    for rule in profile.rules
    for phrase in rule.phrases_vi
]


def _header(profile: Profile) -> PlanHeader:
    source = profile.source
    return PlanHeader(
        code=profile.code,
        issuer=profile.issuer,
        level=profile.level,
        year=_year(profile),
        document=source.document if source else None,
        signed=source.signed if source else None,
    )


@pytest.mark.parametrize(
    ("profile", "phrase", "rule"), HAND_PHRASES, ids=[f"{p}:{r.code}" for p, _, r in HAND_PHRASES]
)
def test_each_hand_phrase_reads_as_its_rule(profile: str, phrase: str, rule: Rule) -> None:
    reading = parse_phrase(phrase, _year(HAND[profile]), rule.title_vi)
    got = of_draft(reading.drafts[0]) if reading.drafts else None
    same = got == of_rule(rule)
    if (profile, phrase) in EXPECTED_DIFFERENCES:
        assert not same, f"no longer differs: drop it from EXPECTED_DIFFERENCES: {phrase!r}"
    else:
        assert same, (phrase, got, of_rule(rule), reading.interpretations, reading.unread)


@pytest.mark.parametrize("code", sorted(HAND))
def test_each_plan_reads_into_the_hand_profiles_phrases(code: str) -> None:
    profile = HAND[code]
    draft = draft_profile((PLANS / f"{code}.txt").read_text(encoding="utf-8"), _header(profile))
    read = [fold(row.phrase) for row in draft.rows]
    for rule in profile.rules:
        for phrase in rule.phrases_vi:
            wanted = fold(phrase).strip(" .;:")
            found = any(wanted in r for r in read)
            if (code, phrase) in NOT_IN_ROWS:
                assert not found, f"now found: drop it from NOT_IN_ROWS: {phrase!r}"
            else:
                assert found, phrase
    s = draft.summary
    assert (s.rows, s.parsed, s.interpreted, s.not_understood) == SUMMARIES[code]


def test_the_fixtures_cite_their_source() -> None:
    for code in HAND:
        first = (PLANS / f"{code}.txt").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Nguồn: "), code


@pytest.mark.parametrize("code", sorted(HAND))
def test_each_draft_loads_once_its_anchors_are_known(code: str) -> None:
    profile = HAND[code]
    draft = draft_profile((PLANS / f"{code}.txt").read_text(encoding="utf-8"), _header(profile))
    document = from_json({**draft.document, "version": 1})
    waiting = [rule for row in draft.rows if row.needs_anchor for rule in row.rules]
    if not waiting:
        others = [p for p in load_profiles() if p.code != code]
        Catalog([*others, parse_profile(document, code)])
        return
    # a rule whose event maps to no anchor is refused until someone names it
    with pytest.raises(ValueError, match=f"rule {waiting[0]}: a period rule needs anchor"):
        parse_profile(document, code)


def test_the_steps_of_a_cell_read_as_the_hand_profiles_chain() -> None:
    """Quảng Nam II.3: "… trước 10 ngày …: - Phê duyệt quy trình nội bộ trước 07 ngày; - Thiết
    lập quy trình điện tử chậm nhất là 03 ngày" — the hand profile's processes-total,
    internal-process (from the decision) and electronic-process (after the internal one)."""
    profile = HAND["quang-nam-2024"]
    text = (PLANS / "quang-nam-2024.txt").read_text(encoding="utf-8")
    document = from_json({**draft_profile(text, _header(profile)).document, "version": 1})
    drafted = {r.code: r for r in parse_profile(document, "draft").rules}
    hand = {r.code.split(".", 1)[1]: r for r in profile.rules}
    pairs = [("ii-3-1", "processes-total"), ("ii-3-2", "internal-process")]
    pairs.append(("ii-3-3", "electronic-process"))
    for code, name in pairs:
        assert of_rule(drafted[f"quang-nam-2024.{code}"]) == of_rule(hand[name]), name
    assert drafted["quang-nam-2024.ii-3-3"].chain_from == "quang-nam-2024.ii-3-2"
