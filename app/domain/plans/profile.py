"""A plan's rows into a draft profile: the document the catalog admin accepts (the JSON form of
app/data/rules/*.toml), and a report of how each row was read.

Each phrase read becomes one rule per draft, titled with its row's task, keeping the verbatim
phrase, the reading chosen (as the rule's interpretation) and its row and line (as the
citation's article). A row read with no choice is confidence "V" (read in the plan itself); one
read with an interpretation is "?" until a person confirms it. A row not understood gives no
rule: it is listed in the report with the part that could not be read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.domain.citations import Confidence
from app.domain.deadlines.model import (
    DECISION_ANCHORS,
    AnchorEvent,
    DutyTrigger,
    Shape,
)
from app.domain.levels import Level
from app.domain.plans.draft import PhraseReading, Reading, RuleDraft
from app.domain.plans.phrases import parse_phrase
from app.domain.plans.rows import PlanRow, plan_rows

SCHEMA = 1  # app/data/rules.py SCHEMA: the layout of a profile document
_SLUG = re.compile(r"[^a-z0-9]+")
# Shapes with a due date counted from the anchor: the ones a record can turn into a duty.
_DUTY_SHAPES = frozenset({Shape.PERIOD, Shape.ON_ANCHOR})


@dataclass(frozen=True, slots=True)
class PlanHeader:
    """What the person importing a plan says about it (the text rarely says it reliably)."""

    code: str
    issuer: str
    level: Level
    year: int
    document: str | None = None  # e.g. "467/QĐ-UBND"
    signed: dt.date | None = None
    title: str | None = None
    name_vi: str | None = None
    jurisdiction: str | None = None
    extends: str | None = "national"


@dataclass(frozen=True, slots=True)
class RowReport:
    line: int
    number: str
    task: str
    phrase: str
    column: str  # "time" or "notes": where the phrase was found
    reading: Reading
    interpretations: tuple[str, ...]
    unread: str | None
    rules: tuple[str, ...]  # codes of the rules drawn from the phrase
    alternatives: bool
    needs_anchor: tuple[str, ...]  # the events named that map to no anchor


@dataclass(frozen=True, slots=True)
class Summary:
    rows: int
    parsed: int
    interpreted: int
    not_understood: int
    rules: int


@dataclass(frozen=True, slots=True)
class PlanDraft:
    document: dict[str, Any]
    rows: tuple[RowReport, ...]

    @property
    def summary(self) -> Summary:
        counts = {r: sum(1 for row in self.rows if row.reading is r) for r in Reading}
        return Summary(
            rows=len(self.rows),
            parsed=counts[Reading.PARSED],
            interpreted=counts[Reading.INTERPRETED],
            not_understood=counts[Reading.NOT_UNDERSTOOD],
            rules=len(self.document["rule"]),
        )


def draft_profile(text: str, header: PlanHeader) -> PlanDraft:
    """The draft profile of a plan's text (a pasted table or the document's plain text)."""
    rules: list[dict[str, Any]] = []
    reports: list[RowReport] = []
    taken: set[str] = set()
    stems: set[str] = set()  # each code's beginnings that a "-" follows: a base taken by a step
    for row in plan_rows(text):
        for column, reading in _phrases(row, header.year):
            base = _code(header.code, row, column, taken, stems)
            codes = _codes(base, reading)
            taken.update(codes)
            stems.update(code[:i] for code in codes for i, c in enumerate(code) if c == "-")
            for i, (code, draft) in enumerate(zip(codes, reading.drafts, strict=True)):
                rule = _rule(code, row, reading, draft)
                if draft.after_previous and i > 0:
                    rule["anchor"] = AnchorEvent.DUTY_COMPLETED.value
                    rule["chain_from"] = codes[i - 1]
                    if "duty_on" in rules[-1]:  # a step of a duty is tracked like it
                        rule["duty_on"] = rules[-1]["duty_on"]
                rules.append(rule)
            reports.append(
                RowReport(
                    line=row.line,
                    number=row.number,
                    task=row.task,
                    phrase=reading.phrase,
                    column=column,
                    reading=reading.reading,
                    interpretations=reading.interpretations,
                    unread=reading.unread,
                    rules=tuple(codes),
                    alternatives=reading.alternatives,
                    needs_anchor=tuple(
                        d.anchor_text or "(none named)" for d in reading.drafts if d.needs_anchor
                    ),
                )
            )
    return PlanDraft(_document(header, rules), tuple(reports))


def _phrases(row: PlanRow, year: int) -> Iterable[tuple[str, PhraseReading]]:
    """The row's time phrase (read even when empty: a row with no phrase is reported), and
    its note when the note is a deadline (some plans put the deadline there)."""
    yield "time", parse_phrase(row.phrase, year, row.task)
    if row.notes:
        note = parse_phrase(row.notes, year, row.task)
        if note.reading is not Reading.NOT_UNDERSTOOD:
            yield "notes", note


def _code(profile: str, row: PlanRow, column: str, taken: set[str], stems: set[str]) -> str:
    number = _SLUG.sub("-", row.number.lower()).strip("-") or f"line-{row.line}"
    base = f"{profile}.{number}" + ("-note" if column == "notes" else "")
    if base in taken or base in stems:
        base = f"{base}-line-{row.line}"
    return base


def _codes(base: str, reading: PhraseReading) -> list[str]:
    if len(reading.drafts) <= 1:
        return [base] if reading.drafts else []
    if reading.alternatives:
        return [f"{base}-{chr(ord('a') + i)}" for i in range(len(reading.drafts))]
    return [f"{base}-{i + 1}" for i in range(len(reading.drafts))]


def _rule(code: str, row: PlanRow, reading: PhraseReading, draft: RuleDraft) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "code": code,
        "title_vi": row.task or f"Nhiệm vụ {row.number}",
        "title_en": f"Plan task {row.number} (title to translate)",
        "shape": draft.shape.value,
        "citation": {"article": f"Kế hoạch kèm theo, nhiệm vụ {row.number} (dòng {row.line})"},
        "confidence": (
            Confidence.VERIFIED if reading.reading is Reading.PARSED else Confidence.UNCERTAIN
        ).value,
        "phrases_vi": [reading.phrase],
    }
    if draft.anchor is not None:
        rule["anchor"] = draft.anchor.value
    if draft.amount is not None and draft.unit is not None:
        rule["amount"] = draft.amount
        rule["unit"] = draft.unit.value
        rule["direction"] = draft.direction.value
    if draft.roll is not None:
        rule["roll"] = draft.roll.value
    if draft.bound.value != "inclusive":
        rule["bound"] = draft.bound.value
    if draft.fixed_date is not None:
        rule["fixed_date"] = draft.fixed_date.isoformat()
    if draft.periods:
        rule["periods"] = [str(p) for p in draft.periods]
    if draft.recurrence is not None:
        rec = draft.recurrence
        rule["recurrence"] = {"frequency": rec.frequency.value}
        if rec.day is not None:
            rule["recurrence"]["day"] = rec.day
        if rec.last_month:
            rule["recurrence"]["last_month"] = True
    if duty := _duty(draft):
        rule["duty_on"] = duty.value
    if reading.interpretations:
        rule["interpretation"] = "; ".join(reading.interpretations)
    return rule


def _duty(draft: RuleDraft) -> DutyTrigger | None:
    """The record that makes the rule a tracked duty: a publication decision for a due date
    counted from it, a citizen's feedback for one counted from its receipt."""
    if draft.shape not in _DUTY_SHAPES or draft.anchor is None:
        return None
    if draft.anchor in DECISION_ANCHORS:
        return DutyTrigger.PUBLICATION_DECISION
    if draft.anchor is AnchorEvent.FEEDBACK_RECEIVED:
        return DutyTrigger.FEEDBACK
    return None


def _document(header: PlanHeader, rules: list[dict[str, Any]]) -> dict[str, Any]:
    title = header.title or f"Kế hoạch kiểm soát thủ tục hành chính năm {header.year}"
    profile: dict[str, Any] = {
        "code": header.code,
        "name_vi": header.name_vi or f"{header.issuer}, {title}",
        "name_en": f"{header.issuer}, procedure-control plan {header.year}",
        "issuer": header.issuer,
        "jurisdiction": header.jurisdiction or header.issuer,
        "level": header.level.value,
        "year": header.year,
        "before_day": "strict",
        # the plan's span: from its signing (plans take effect when signed) to the year's end
        "effective_from": (header.signed or dt.date(header.year, 1, 1)).isoformat(),
        "effective_to": dt.date(header.year, 12, 31).isoformat(),
    }
    if header.extends:
        profile["extends"] = header.extends
    signed = f" ngày {header.signed:%d/%m/%Y}" if header.signed else ""
    named = f"Văn bản số {header.document}" if header.document else title
    profile["source"] = {"title": title, "citation": f"{named}{signed} của {header.issuer}"}
    if header.document:
        profile["source"]["document"] = header.document
    if header.signed:
        profile["source"]["signed"] = header.signed.isoformat()
    return {"schema": SCHEMA, "profile": profile, "rule": rules}
