"""Trace steps as a Vietnamese page shows them.

The domain explains each step in English (`detail`, the API's wire text, unchanged). A
Vietnamese page shows instead the step's kind in words, its date as dd/mm/yyyy, its citation
with the confidence in words, and the names of the days off it passed; where the step's
structured fields say all the English text says, a Vietnamese sentence replaces it, and
otherwise the English text follows as the technical detail (marked lang="en").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.console.i18n import Lang, word
from app.domain.citations import Citation
from app.domain.dossiers import VIETNAM
from app.domain.dossiers.trace import TraceStep as DossierStep

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ShownCitation:
    document: str
    article: str | None
    confidence: str  # V | S | ?
    confidence_words: str


@dataclass(frozen=True)
class ShownDay:
    date: str  # dd/mm/yyyy
    kind: str
    kind_words: str
    name: str | None
    source: str | None


@dataclass(frozen=True)
class ShownStep:
    kind: str
    label: str
    when: str | None
    sentence: str | None  # in the page's language, from the structured fields
    detail: str | None  # the domain's English text, when no sentence says all of it
    citation: ShownCitation | None
    legal_basis: str | None  # steps kept before citations were structured: text only
    days: tuple[ShownDay, ...]
    weekend_days: int


def day_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def instant_text(at: dt.datetime) -> str:
    """'09:00 12/03/2024' in Vietnam's time; the end of a day reads 24:00 of that day (Civil
    Code 2015 Art. 148(6))."""
    if at.tzinfo is not None:
        at = at.astimezone(VIETNAM)
    if at.time() == dt.time(0) and at.second == 0:
        return f"24:00 {day_text(at.date() - _DAY)}"
    return f"{at:%H:%M} {day_text(at.date())}"


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _citation(lang: Lang, cited: Mapping[str, Any] | Citation | None) -> ShownCitation | None:
    if cited is None:
        return None
    if isinstance(cited, Citation):
        document, article, code = cited.document, cited.article, cited.confidence.value
    else:
        document, article = str(cited.get("document") or ""), cited.get("article")
        code = str(cited.get("confidence") or "?")
    return ShownCitation(document, article, code, word(lang, f"conf.{code}"))


def _days(lang: Lang, stored: Sequence[Mapping[str, Any]]) -> tuple[ShownDay, ...]:
    shown = []
    for d in stored:
        day = _date(d.get("date"))
        kind = str(d.get("kind") or "")
        shown.append(
            ShownDay(
                date=day_text(day) if day else str(d.get("date")),
                kind=kind,
                kind_words=word(lang, f"kind.{kind}"),
                name=d.get("name_vi") if lang == "vi" else d.get("name_en"),
                source=d.get("source"),
            )
        )
    return tuple(shown)


def _off_words(weekends: int, days: Sequence[Mapping[str, Any]]) -> str:
    off = sum(1 for d in days if not d.get("working"))
    parts = []
    if weekends:
        parts.append(f"{weekends} ngày nghỉ cuối tuần")
    if off:
        parts.append(f"{off} ngày nghỉ lễ, nghỉ bù hoặc hoán đổi")
    return " và ".join(parts)


def _rolled_from(step: Mapping[str, Any], due: dt.date, roll: object) -> dt.date | None:
    """The day off a roll step moved from: the step passed over exactly the days between it
    and the due date (all days off), so their number says where it was; None when the stored
    days do not fit that reading."""
    days = step.get("notable_days") or []
    passed = int(step.get("weekend_days") or 0) + len(days)
    if roll == "following":
        first, last = due - passed * _DAY, due - _DAY
    elif roll == "preceding":
        first, last = due + _DAY, due + passed * _DAY
    else:
        return None
    dates = [_date(d.get("date")) for d in days]
    if passed == 0 or any(d is None or not first <= d <= last for d in dates):
        return None
    return first if roll == "following" else last


def _deadline_sentence(
    kind: str, step: Mapping[str, Any], trace: Mapping[str, Any]
) -> tuple[str | None, bool]:
    """A Vietnamese sentence for a due date's step, and whether it says all the English does."""
    day = _date(step.get("date"))
    on = day_text(day) if day else ""
    days = step.get("notable_days") or []
    weekends = int(step.get("weekend_days") or 0)
    if kind == "anchor" and day:
        event = trace.get("anchor_event")
        if event:
            return f"Tính từ {word('vi', f'anchor.{event}')}: ngày {on}.", True
        return f"Tính từ ngày {on}.", True
    if kind == "chain" and day:
        return f"Tính từ việc hoàn thành (hoặc hạn) của nghĩa vụ đứng trước: ngày {on}.", False
    if kind == "count" and day:
        off = _off_words(weekends, days)
        # neutral on the unit: working days skip these days, calendar days count them
        return f"Ngày cuối của thời hạn: {on}" + (
            f"; trong khoảng có {off}." if off else "."
        ), False
    if kind == "named_day" and day:
        return f"Ngày văn bản ấn định: {on}.", False
    if kind == "bound" and day:
        return f"“Trước ngày {day_text(day + _DAY)}” được hiểu là hạn cuối ngày {on}.", True
    if kind == "roll" and day:
        make_up = [d for d in days if d.get("working") and _date(d.get("date")) == day]
        if make_up:
            name = make_up[0].get("name_vi")
            named = f" ({name})" if name else ""
            return f"Ngày {on} là ngày làm bù{named}: không dời.", True
        roll = trace.get("roll")
        if roll == "none":
            return f"Ngày {on} là ngày nghỉ; quy định giữ nguyên ngày này, không dời.", True
        raw = _rolled_from(step, day, roll)
        if raw is not None:
            where = "ngày làm việc tiếp theo" if roll == "following" else "ngày làm việc liền trước"
            return f"Ngày {day_text(raw)} là ngày nghỉ: dời sang {where}, ngày {on}.", True
        return f"Hạn rơi vào ngày nghỉ; hạn là ngày {on}.", False
    if kind == "not_dated":
        return "Quy định không đặt hạn cụ thể.", False
    return None, False


def obligation_steps(lang: Lang, trace: Mapping[str, Any]) -> list[ShownStep]:
    """The steps an obligation keeps (JSON, app/services/obligation_trace.py). Steps kept
    before the one trace shape name the step `kind` and cite with `legal_basis` text."""
    shown = []
    for step in trace.get("steps", []):
        kind = str(step.get("step") or step.get("kind") or "")
        day = _date(step.get("date"))
        sentence, whole = _deadline_sentence(kind, step, trace) if lang == "vi" else (None, False)
        shown.append(
            ShownStep(
                kind=kind,
                label=word(lang, f"step.{kind}"),
                when=day_text(day) if day else None,
                sentence=sentence,
                detail=None if whole else step.get("detail"),
                citation=_citation(lang, step.get("citation")),
                legal_basis=step.get("legal_basis"),
                days=_days(lang, step.get("notable_days") or []),
                weekend_days=int(step.get("weekend_days") or 0),
            )
        )
    return shown


# Dossier steps whose kind and instant say all the English text does.
_DOSSIER_SENTENCES = {
    "paused": "Tạm dừng tính thời gian lúc {at}.",
    "completed": "Hoàn thành lúc {at}.",
    "period_end": "Thời hạn kết thúc lúc {at}.",
    "placed": "Ngoài giờ làm việc của ngày đó: tính từ {at}.",
    "acceptance_counted_from": "Nhận ngoài giờ làm việc: tính từ {at}.",
}


def dossier_steps(lang: Lang, trace: Sequence[DossierStep]) -> list[ShownStep]:
    """A dossier's steps (its clock and appointment), instants in the office's time."""
    shown = []
    for step in trace:
        sentence = None
        if lang == "vi" and step.at is not None and step.step in _DOSSIER_SENTENCES:
            sentence = _DOSSIER_SENTENCES[step.step].format(at=instant_text(step.at))
        shown.append(
            ShownStep(
                kind=step.step,
                label=word(lang, f"dstep.{step.step}"),
                when=instant_text(step.at) if step.at else None,
                sentence=sentence,
                detail=None if sentence else step.detail,
                citation=_citation(lang, step.citation),
                legal_basis=None,
                days=(),
                weekend_days=0,
            )
        )
    return shown
