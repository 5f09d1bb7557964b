"""Read one deadline phrase of a plan's "Thời gian thực hiện" column into rule drafts.

The plans use a small, regular language (the shapes of deadlines.model.Shape). Counting and the
meaning of each wording follow the Civil Code 2015 Arts. 144–148 as the engine applies them:
"ngày thông thường" is a calendar day, "ngày làm việc" a working day; a bare "ngày" is read as a
calendar day (Art. 148(1) counts periods in calendar days), a reading the answer states. "Trước
ngày D" is a strict bound (the profile's `before_day` says how strict); "trước N ngày kể từ …"
is a period of N days, not a strict bound.

A cell can hold several deadlines: sub-items ("…: - A; - B") are steps, each its own draft;
"… hoặc …" gives alternatives, both kept. A part after "hoặc" that is no deadline belongs to
the one before ("… Quyết định công bố TTHC hoặc Quyết định công bố danh mục TTHC …").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from app.domain.deadlines.model import (
    Bound,
    Direction,
    Frequency,
    Recurrence,
    Shape,
    Unit,
)
from app.domain.deadlines.period import Period, PeriodKind
from app.domain.plans.anchors import event_text, map_anchor
from app.domain.plans.draft import PhraseReading, RuleDraft
from app.domain.plans.text import fold, one_line

MAX_PHRASE = 2_000  # a deadline cell is a sentence or two; longer is not a phrase

BARE_DAY = (
    "bare 'ngày' read as calendar days: the Civil Code 2015 (Art. 148(1)) counts a period in "
    "days of the calendar; the plan does not say working days"
)
_ROMAN = {"i": 1, "l": 1, "1": 1, "ii": 2, "2": 2, "iii": 3, "3": 3, "iv": 4, "4": 4}
_UNITS = {
    "ngày làm việc": Unit.WORKING_DAYS,
    "ngày thông thường": Unit.CALENDAR_DAYS,
    "ngày": Unit.CALENDAR_DAYS,
    "tuần": Unit.WEEKS,
    "tháng": Unit.MONTHS,
}
_EVERY = {"tháng": Frequency.MONTHLY, "quý": Frequency.QUARTERLY, "năm": Frequency.YEARLY}

# Words before the deadline that say nothing about it ("Thời gian thực hiện:", "Hoàn thành").
_FILLER = re.compile(
    r"^(?:-\s*|thời gian(?: thực hiện| hoàn thành)?\s*:?\s*|hoàn thành\s+|thực hiện\s+"
    r"|định kỳ\s*,?\s*|công khai\s+(?=đúng)|là\s+)"
)
_SUBITEM = re.compile(r"\s*[:;]\s*-\s*|\s+-\s+(?=hoặc\b)")
_OR = re.compile(r"[,;]?\s*\bhoặc\b\s*")
_LIMIT = (
    r"(?:(?:chậm nhất|muộn nhất|trước|trong thời hạn|trong thời gian|trong vòng|trong|sau)"
    r"\s*(?:là\s+)?)"
)

# A period: "[lead] [limits] N unit [, link event]". Read in three linear steps (the amount and
# unit found, the words after them checked, the limit words taken off the end of what comes
# before) rather than one pattern whose open lead and repeated limits backtrack quadratically.
_AMOUNT_UNIT = re.compile(
    r"(?P<amount>\d{1,4})\s+(?P<unit>ngày làm việc|ngày thông thường|ngày|tuần|tháng)\b"
)
_PERIOD_TAIL = re.compile(
    r"\s*,?\s*(?:(?P<link>kể từ|tính từ|tính đến|sau khi|sau|từ)\s+(?P<event>.+))?$"
)
_LIMITS_AT_END = re.compile(rf"{_LIMIT}*$")
_LIMITS_SPAN = 120  # characters before the amount searched for limit words (real runs: < 40)
_DATE = re.compile(
    rf"^(?P<limit>{_LIMIT}?)(?:ngày\s+)?(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
    r"(?:\s*/\s*(?P<y>\d{4}))?(?P<rest>.*)$"
)
_MONTHLY_DAY = re.compile(
    rf"^(?P<limit>{_LIMIT}?)ngày\s+(?P<d>\d{{1,2}})\s+(?:của\s+)?(?:hằng|hàng|mỗi)\s+tháng(?P<rest>.*)$"
)
_LAST_MONTH_DAY = re.compile(
    rf"^(?P<limit>{_LIMIT}?)ngày\s+(?P<d>\d{{1,2}})\s+(?:của\s+)?tháng cuối\s+"
    r"(?P<of>quý|kỳ báo cáo|năm)(?P<rest>.*)$"
)
_EVERY_PERIOD = re.compile(r"^(?:hằng|hàng|mỗi)\s+(?P<p>tháng|quý|năm)(?P<rest>.*)$")
_QUARTERS = re.compile(
    r"^(?P<limit>trước\s+)?quý\s+(?P<list>[ivl1-4]+(?:\s*(?:,|và)\s*(?:[ivl1-4]+|năm)\b)*)"
    r"(?:\s*(?:/|năm)?\s*(?P<y>\d{4}))?(?P<rest>.*)$"
)
_HALF = re.compile(r"^6 tháng (?P<which>đầu|cuối)\s+năm\s+(?P<y>\d{4})(?P<rest>.*)$")
_WINDOW = re.compile(
    r"^(?:từ\s+)?tháng\s+(?P<a>\d{1,2})\s+đến\s+tháng\s+(?P<b>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})"
    r"(?P<rest>.*)$"
)
_MONTH = re.compile(
    r"^(?P<limit>trước\s+|trong\s+)?tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})(?P<rest>.*)$"
)
_YEAR = re.compile(r"^(?:trong\s+)?năm(?:\s+(?P<y>\d{4}))?(?P<rest>(?:\W.*)?)$")
_CONTINUOUS = re.compile(r"^thường xuyên\b(?P<rest>.*)$")
_IN_YEAR = re.compile(r"^\s*(?:trong\s+)?năm\s+(?P<y>\d{4})\s*$")
_IMMEDIATE = re.compile(r"^(?P<word>ngay|ngày)\s+sau\s+khi\s+(?P<event>.+)$")
_ON_ANCHOR = re.compile(r"^(?P<lead>.*?)đúng ngày\s+(?P<event>.+)$")
_AFTER = re.compile(r"^sau(?:\s+khi)?\s+(?P<event>.+)$")
_EXTERNAL = re.compile(r"^theo\b")
_REMARK = re.compile(r"^[\s,.;:()-]*$")


@dataclass(slots=True)
class _Read:
    """One deadline read from a part of the phrase, with the choices made on the way."""

    draft: RuleDraft
    notes: list[str] = field(default_factory=list)


def parse_phrase(phrase: str, year: int | None = None, context: str = "") -> PhraseReading:
    """Read a deadline phrase. `year`: the plan's year (for "dd/mm" and a bare "Trong năm");
    `context`: the row's task, which says what an event named alone refers to."""
    verbatim = one_line(phrase)
    if not verbatim:
        return PhraseReading(verbatim, unread="(empty)")
    if len(verbatim) > MAX_PHRASE:
        return PhraseReading(verbatim[:80] + "…", unread=f"longer than {MAX_PHRASE} characters")
    text = _strip(fold(verbatim))
    if not text:  # only punctuation or filler ("-", "Thời gian thực hiện:"): nothing to read
        return PhraseReading(verbatim, unread=verbatim)
    folded_context = fold(context)
    drafts: list[RuleDraft] = []
    notes: list[str] = []
    alternatives = False
    unread: str | None = None
    for step in _steps(text):
        options = _alternatives(step, year, folded_context)
        alternatives = alternatives or (step.startswith("hoặc ") and bool(drafts))
        if options is None:
            unread = unread or step
            continue
        if len(options) > 1:
            alternatives = True
        for option in options:
            drafts.append(option.draft)
            notes.extend(option.notes)
    if not drafts:
        return PhraseReading(verbatim, unread=unread or text)
    if not alternatives:
        drafts = _chain_steps(drafts, notes)
    if unread is not None:
        notes.append(f"'{unread}' was not read as a deadline")
    if alternatives and len(drafts) > 1:
        notes.append("the phrase gives alternatives ('hoặc'): each is kept as a rule")
    return PhraseReading(verbatim, tuple(drafts), alternatives, tuple(dict.fromkeys(notes)), None)


def _chain_steps(drafts: list[RuleDraft], notes: list[str]) -> list[RuleDraft]:
    """Steps of one cell that name no event of their own ("…: - Phê duyệt quy trình nội bộ
    trước 07 ngày; - Thiết lập quy trình điện tử chậm nhất là 03 ngày"): the first counts from
    the cell's event, each next one from the completion of the step before it."""
    head = drafts[0]
    if len(drafts) < 2 or head.anchor is None:
        return drafts
    chained = [head]
    for i, step in enumerate(drafts[1:]):
        if step.shape is not Shape.PERIOD or step.anchor or step.anchor_text:
            chained.append(step)
            continue
        if i == 0:
            chained.append(replace(step, anchor=head.anchor))
        else:
            chained.append(replace(step, after_previous=True))
    if chained != drafts:
        notes[:] = [n for n in notes if "needs an anchor" not in n]
        notes.append(
            "the steps name no event: the first counts from the cell's event, each next one "
            "from the completion of the step before it"
        )
    return chained


def _strip(text: str) -> str:
    text = text.strip(" .;,")
    while (stripped := _FILLER.sub("", text, count=1)) != text:
        text = stripped.strip(" .;,")
    return text


def _steps(text: str) -> list[str]:
    """Sub-items of one cell ("…: - A; - B"); "- Hoặc …" stays with the item before it."""
    return [s for s in (_strip(p) for p in _SUBITEM.split(text)) if s]


def _alternatives(text: str, year: int | None, context: str) -> list[_Read] | None:
    """The deadlines "hoặc" joins, or None when the first part is no deadline."""
    if text.startswith("hoặc "):
        read = _one(_strip(text[len("hoặc ") :]), year, context)
        if read is not None:
            read.notes.append("given as an alternative ('hoặc') to the deadline before it")
        return None if read is None else [read]
    groups: list[str] = []
    for part in (p for p in _OR.split(text) if p):
        if groups and _one(_strip(part), year, context) is None:
            groups[-1] = f"{groups[-1]} hoặc {part}"  # no deadline: it continues the one before
        else:
            groups.append(part)
    reads = [_one(_strip(g), year, context) for g in groups]
    if not reads or reads[0] is None:  # no part at all: the cell is only "hoặc"
        return None
    return [r for r in reads if r is not None]


def _one(text: str, year: int | None, context: str) -> _Read | None:
    """One deadline, or None when the text is none of the shapes."""
    for reader in _READERS:
        read = reader(text, year, context)
        if read is not None:
            return read
    return None


def _remark(read: _Read, rest: str | None) -> _Read:
    rest = (rest or "").strip(" ,.;:")
    if rest:
        read.notes.append(f"'{rest}' read as a remark, not part of the deadline")
    return read


def _plan_year(read_year: str | None, year: int | None, notes: list[str], what: str) -> int | None:
    if read_year is not None:
        return int(read_year)
    if year is not None:
        notes.append(f"{what} names no year: the plan's year, {year}")
    return year


def _anchored(draft: RuleDraft, event: str | None, context: str, notes: list[str]) -> RuleDraft:
    """The draft with the anchor its event names, or the event kept as text."""
    if event is None:
        notes.append("the phrase names no event to count from: the rule needs an anchor")
        return draft
    anchor, why = map_anchor(event, context)
    if why:
        notes.append(why)
    if anchor is None:
        text = event_text(event)
        notes.append(f"the event '{text}' is none the engine knows: the rule needs an anchor")
        return replace(draft, anchor_text=text)
    return replace(draft, anchor=anchor)


def _continuous(text: str, year: int | None, context: str) -> _Read | None:
    match = _CONTINUOUS.match(text)
    if match is None:
        return None
    within = _IN_YEAR.match(match["rest"])
    if within:
        return _Read(
            RuleDraft(Shape.CONTINUOUS, periods=(Period(int(within["y"]), PeriodKind.YEAR),))
        )
    return _remark(_Read(RuleDraft(Shape.CONTINUOUS)), match["rest"])


def _external(text: str, year: int | None, context: str) -> _Read | None:
    return _Read(RuleDraft(Shape.EXTERNAL)) if _EXTERNAL.match(text) else None


def _immediate(text: str, year: int | None, context: str) -> _Read | None:
    match = _IMMEDIATE.match(text)
    if match is None:
        return None
    read = _Read(RuleDraft(Shape.IMMEDIATE))
    if match["word"] == "ngày":
        read.notes.append("'ngày sau khi' read as 'ngay sau khi' (immediately after)")
    read.draft = _anchored(read.draft, match["event"], context, read.notes)
    return read


def _on_anchor(text: str, year: int | None, context: str) -> _Read | None:
    match = _ON_ANCHOR.match(text)
    if match is None:
        return None
    read = _remark(_Read(RuleDraft(Shape.ON_ANCHOR)), match["lead"])
    read.draft = _anchored(read.draft, match["event"], context, read.notes)
    return read


def _after(text: str, year: int | None, context: str) -> _Read | None:
    match = _AFTER.match(text)
    if match is None:
        return None
    read = _Read(RuleDraft(Shape.AFTER_EVENT))
    read.draft = _anchored(read.draft, match["event"], context, read.notes)
    return read


def _strict(limit: str | None) -> Bound:
    return Bound.STRICT if (limit or "").startswith("trước") else Bound.INCLUSIVE


def _recurring(text: str, year: int | None, context: str) -> _Read | None:
    if match := _LAST_MONTH_DAY.match(text):
        of = match["of"]
        frequency = Frequency.YEARLY if of == "năm" else Frequency.QUARTERLY
        read = _Read(
            RuleDraft(
                Shape.RECURRING,
                bound=_strict(match["limit"]),
                recurrence=Recurrence(frequency, int(match["d"]), last_month=True),
            )
        )
        if of == "kỳ báo cáo":
            read.notes.append("'kỳ báo cáo' read as the quarter, the period of the plan's reports")
        return _remark(read, match["rest"])
    if match := _MONTHLY_DAY.match(text):
        draft = RuleDraft(
            Shape.RECURRING,
            bound=_strict(match["limit"]),
            recurrence=Recurrence(Frequency.MONTHLY, int(match["d"])),
        )
        return _remark(_Read(draft), match["rest"])
    if match := _EVERY_PERIOD.match(text):
        draft = RuleDraft(Shape.RECURRING, recurrence=Recurrence(_EVERY[match["p"]]))
        return _remark(_Read(draft), match["rest"])
    return None


def _quarters(text: str, year: int | None, context: str) -> _Read | None:
    match = _QUARTERS.match(text)
    if match is None:
        return None
    read = _Read(RuleDraft(Shape.PERIOD_END, bound=_strict(match["limit"])))
    y = _plan_year(match["y"], year, read.notes, "the quarter")
    if y is None:
        return None
    indexes: set[int] = set()
    for item in re.split(r"\s*(?:,|và)\s*", match["list"]):
        if item == "năm":
            read.notes.append("'và năm' (and the year) read as the year's end, the last quarter's")
            indexes.add(4)
            continue
        if item == "l":
            read.notes.append("'l' read as the Roman numeral I")
        if item not in _ROMAN:
            return None
        indexes.add(_ROMAN[item])
    periods = tuple(Period(y, PeriodKind.QUARTER, i) for i in sorted(indexes))
    read.draft = replace(read.draft, periods=periods)
    return _remark(read, match["rest"])


def _named_period(text: str, year: int | None, context: str) -> _Read | None:
    if match := _HALF.match(text):
        index = 1 if match["which"] == "đầu" else 2
        draft = RuleDraft(
            Shape.PERIOD_END, periods=(Period(int(match["y"]), PeriodKind.HALF_YEAR, index),)
        )
        return _remark(_Read(draft), match["rest"])
    if match := _WINDOW.match(text):
        y, first, last = int(match["y"]), int(match["a"]), int(match["b"])
        if not (1 <= first < last <= 12):
            return None
        periods = (Period(y, PeriodKind.MONTH, first), Period(y, PeriodKind.MONTH, last))
        return _remark(_Read(RuleDraft(Shape.WINDOW, periods=periods)), match["rest"])
    if match := _MONTH.match(text):
        month = int(match["m"])
        if not 1 <= month <= 12:
            return None
        draft = RuleDraft(
            Shape.PERIOD_END,
            bound=_strict(match["limit"]),
            periods=(Period(int(match["y"]), PeriodKind.MONTH, month),),
        )
        return _remark(_Read(draft), match["rest"])
    if match := _YEAR.match(text):
        read = _Read(RuleDraft(Shape.PERIOD_END))
        named = _plan_year(match["y"], year, read.notes, "'trong năm'")
        if named is None:
            return None
        read.draft = replace(read.draft, periods=(Period(named, PeriodKind.YEAR),))
        return _remark(read, match["rest"])
    return None


def _date(text: str, year: int | None, context: str) -> _Read | None:
    match = _DATE.match(text)
    if match is None:
        return None
    read = _Read(RuleDraft(Shape.FIXED_DATE, bound=_strict(match["limit"])))
    y = _plan_year(match["y"], year, read.notes, "the date")
    if y is None:
        return None
    try:
        day = dt.date(y, int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    read.draft = replace(read.draft, fixed_date=day)
    return _remark(read, match["rest"])


def _period_parts(text: str) -> tuple[str, re.Match[str], re.Match[str]] | None:
    """The first amount and unit followed by nothing or by a link and its event, with the
    text before them less the limit words that end it (the lead)."""
    position = 0
    while (found := _AMOUNT_UNIT.search(text, position)) is not None:
        tail = _PERIOD_TAIL.match(text, found.end())
        if tail is not None:
            before = text[: found.start()]
            window = max(0, len(before) - _LIMITS_SPAN)
            limits = _LIMITS_AT_END.search(before, window)
            return before[: limits.start() if limits else len(before)], found, tail
        position = found.start() + 1
    return None


def _period(text: str, year: int | None, context: str) -> _Read | None:
    parts = _period_parts(text)
    if parts is None:
        return None
    lead, amount, match = parts
    unit_word = amount["unit"]
    read = _remark(_Read(RuleDraft(Shape.PERIOD)), lead)
    if read.notes:
        read.notes[-1] = read.notes[-1].replace("a remark", "the task")
    if unit_word == "ngày":
        read.notes.append(BARE_DAY)
    backward = match["link"] == "tính đến"
    draft = replace(
        read.draft,
        amount=int(amount["amount"]),
        unit=_UNITS[unit_word],
        direction=Direction.BACKWARD if backward else Direction.FORWARD,
    )
    read.draft = _anchored(draft, match["event"], context, read.notes)
    return read


_READERS = (
    _continuous,
    _external,
    _immediate,
    _on_anchor,
    _recurring,
    _quarters,
    _named_period,
    _date,
    _period,
    _after,
)
