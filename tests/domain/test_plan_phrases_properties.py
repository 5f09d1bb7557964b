"""Any rule draft the plans' language can express, written as its canonical phrase and read
again, is the same draft, however the phrase is typed or pasted; and any text at all, the
plans' own words in any order included, is read or reported, never an error."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.deadlines import (
    AnchorEvent,
    Bound,
    Direction,
    Frequency,
    Period,
    Recurrence,
    Shape,
    Unit,
)
from app.domain.deadlines.period import PeriodKind
from app.domain.plans.anchors import CANONICAL
from app.domain.plans.draft import Reading, RuleDraft
from app.domain.plans.phrases import parse_phrase
from app.domain.plans.render import render

YEARS = st.integers(min_value=2000, max_value=2099)
ANCHORS = st.sampled_from(sorted(CANONICAL))
BOUNDS = st.sampled_from(list(Bound))


def _period(anchor: AnchorEvent, amount: int, unit: Unit, direction: Direction) -> RuleDraft:
    return RuleDraft(Shape.PERIOD, amount=amount, unit=unit, anchor=anchor, direction=direction)


periods_ = st.builds(
    _period,
    ANCHORS,
    st.integers(min_value=0, max_value=999),
    st.sampled_from(list(Unit)),
    st.sampled_from(list(Direction)),
)
events = st.builds(
    lambda shape, anchor: RuleDraft(shape, anchor=anchor),
    st.sampled_from([Shape.ON_ANCHOR, Shape.IMMEDIATE, Shape.AFTER_EVENT]),
    ANCHORS,
)
dates = st.builds(
    lambda day, bound: RuleDraft(Shape.FIXED_DATE, fixed_date=day, bound=bound),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    BOUNDS,
)


@st.composite
def quarters(draw: st.DrawFn) -> RuleDraft:
    year = draw(YEARS)
    chosen = draw(st.sets(st.integers(min_value=1, max_value=4), min_size=1))
    periods = tuple(Period(year, PeriodKind.QUARTER, i) for i in sorted(chosen))
    return RuleDraft(Shape.PERIOD_END, periods=periods, bound=draw(BOUNDS))


@st.composite
def single_periods(draw: st.DrawFn) -> RuleDraft:
    year = draw(YEARS)
    kind = draw(st.sampled_from([PeriodKind.MONTH, PeriodKind.HALF_YEAR, PeriodKind.YEAR]))
    index = draw(st.integers(min_value=1, max_value={"month": 12, "half_year": 2}.get(kind, 1)))
    # only a month is said "trước tháng …"; the plans have no strict half-year or year
    bound = draw(BOUNDS) if kind is PeriodKind.MONTH else Bound.INCLUSIVE
    return RuleDraft(Shape.PERIOD_END, periods=(Period(year, kind, index),), bound=bound)


@st.composite
def windows(draw: st.DrawFn) -> RuleDraft:
    year = draw(YEARS)
    first = draw(st.integers(min_value=1, max_value=11))
    last = draw(st.integers(min_value=first + 1, max_value=12))
    months = (Period(year, PeriodKind.MONTH, first), Period(year, PeriodKind.MONTH, last))
    return RuleDraft(Shape.WINDOW, periods=months)


continuous = st.one_of(
    st.just(RuleDraft(Shape.CONTINUOUS)),
    YEARS.map(lambda y: RuleDraft(Shape.CONTINUOUS, periods=(Period(y, PeriodKind.YEAR),))),
)


@st.composite
def recurring(draw: st.DrawFn) -> RuleDraft:
    frequency = draw(st.sampled_from([Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY]))
    if draw(st.booleans()):
        return RuleDraft(Shape.RECURRING, recurrence=Recurrence(frequency))
    day = draw(st.integers(min_value=1, max_value=31))
    last_month = frequency is not Frequency.MONTHLY
    return RuleDraft(
        Shape.RECURRING, bound=draw(BOUNDS), recurrence=Recurrence(frequency, day, last_month)
    )


DRAFTS = st.one_of(
    periods_,
    events,
    dates,
    quarters(),
    single_periods(),
    windows(),
    continuous,
    st.just(RuleDraft(Shape.EXTERNAL)),
    recurring(),
)


@settings(max_examples=400, deadline=None)
@given(draft=DRAFTS)
def test_render_then_parse_gives_the_same_draft(draft: RuleDraft) -> None:
    phrase = render(draft)
    reading = parse_phrase(phrase)
    assert reading.drafts == (draft,), phrase
    # the canonical wording needs no interpretation
    assert reading.reading is Reading.PARSED, (phrase, reading.interpretations)


@settings(max_examples=200, deadline=None)
@given(draft=DRAFTS, year=YEARS)
def test_the_plans_year_changes_nothing_a_phrase_states(draft: RuleDraft, year: int) -> None:
    assert parse_phrase(render(draft), year).drafts == (draft,)


@st.composite
def typed_otherwise(draw: st.DrawFn, phrase: str) -> str:
    """The phrase as people type and paste it: decomposed or composed, its words broken over
    lines as from a PDF, spaces doubled, its case changed."""
    words = phrase.split(" ")
    gaps = draw(st.lists(st.sampled_from([" ", "  ", "\n", " \r\n"]), min_size=len(words)))
    text = "".join(w + g for w, g in zip(words, gaps, strict=False)).strip()
    text = draw(st.sampled_from([text, text.upper(), text.lower()]))
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), text)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), draft=DRAFTS)
def test_the_canonical_phrase_typed_otherwise_reads_the_same(
    data: st.DataObject, draft: RuleDraft
) -> None:
    phrase = data.draw(typed_otherwise(render(draft)))
    assert parse_phrase(phrase).drafts == (draft,), phrase


# The plans' words, for phrases of them in any order.
_PLAN_WORDS = """chậm nhất|là|trước|trong|trong thời hạn|trong vòng|sau|sau khi|ngay|kể từ|tính từ
|tính đến|từ|đến|ngày|ngày làm việc|ngày thông thường|tuần|tháng|quý|năm|hằng|hàng|của
|tháng cuối|thường xuyên|theo|đúng ngày|hoặc|hoàn thành|thời gian|quyết định công bố
|có hiệu lực|ký|kế hoạch này|phản ánh|hồ sơ|tiếp nhận|I|II|l|03|5|17|2024|15/3|15/3/2024
|32/1|/2024|,|;|:|-|."""
WORDS = st.sampled_from([w.strip() for w in _PLAN_WORDS.split("|")])


def _read_or_reported(phrase: str) -> None:
    reading = parse_phrase(phrase, 2024, "tiếp nhận hồ sơ")
    if reading.drafts:
        assert reading.unread is None
    else:
        assert reading.reading is Reading.NOT_UNDERSTOOD and reading.unread


@settings(max_examples=500, deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=14))
def test_the_plans_words_in_any_order_are_read_or_reported(words: list[str]) -> None:
    _read_or_reported(" ".join(words))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_read_or_reported(text: str) -> None:
    _read_or_reported(text)
