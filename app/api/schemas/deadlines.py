"""Request and response bodies of the deadline endpoints.

The compute routes are the portal's hot path: they read the raw body and validate it with one
TypeAdapter pass over TypedDicts (no model instances), and build their JSON directly. The
pydantic models below document those responses in the OpenAPI; the `*_json` functions produce
the same shapes.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, NotRequired

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict

from app.api import rawbody
from app.api.rawbody import dumps, invalid_item
from app.domain.calendar import DayInfo
from app.domain.deadlines import (
    AnchorEvent,
    Citation,
    Confidence,
    Deadline,
    Direction,
    Flag,
    Profile,
    Roll,
    Rule,
    Shape,
    StepKind,
    TraceStep,
    Unit,
)
from app.domain.errors import DomainError
from app.services.compute import DUE_ON_DAY_OFF, ROLLED, Answer, BatchOutcome, RecurringRule

MAX_BATCH = 10_000
MAX_TRACED_BATCH = 1_000  # traces are computed item by item: a smaller ceiling
MAX_AMOUNT = 100_000


def _one_of(values: type[StrEnum], description: str, **extra: Any) -> Any:
    """A string whose values are the domain enum's, listed in the schema (plain strings: other
    parts of the API have enums of the same names, which would rename each other's components)."""
    return Field(
        description=description, json_schema_extra={"enum": [v.value for v in values]}, **extra
    )


# -- requests ---------------------------------------------------------------------------------


@with_config(ConfigDict(extra="forbid"))
class ComputeItem(TypedDict, total=False):
    """Either a rule (`rule`, optional `profile`) or an ad-hoc period (`amount`, `unit`,
    optional `roll`, `direction`), counted from `anchor`."""

    anchor: Annotated[
        dt.date | None,
        Field(
            strict=True,
            description="ISO date of the event counted from (the day itself is not counted, "
            "Civil Code 2015 Art. 147). Rules that name their own dates (fixed_date, "
            "period_end, window, continuous, external) need none.",
            examples=["2024-03-05"],
        ),
    ]
    rule: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=200,
            description="A rule code from GET /v1/rules.",
            examples=["quang-nam-2024.posting-counter"],
        ),
    ]
    profile: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=100,
            description="The jurisdiction profile to read the rule in; by default the profile "
            "the rule code starts with, else national.",
            examples=["quang-nam-2024"],
        ),
    ]
    amount: Annotated[
        int | None,
        Field(
            strict=True,
            ge=-MAX_AMOUNT,
            le=MAX_AMOUNT,
            description="Ad hoc: the number of units (0 or more; count back with "
            "direction = backward).",
            examples=[5],
        ),
    ]
    unit: Annotated[
        Unit | None,
        Field(description="Ad hoc: calendar_days, working_days, weeks or months."),
    ]
    roll: Annotated[
        Roll | None,
        Field(
            description="Ad hoc: what a last day off does: following (the default forward, "
            "Civil Code 2015 Art. 148(5)), preceding, or none (the default backward)."
        ),
    ]
    direction: Annotated[
        Direction | None,
        Field(description="Ad hoc: forward (the default) or backward from the anchor."),
    ]


@with_config(ConfigDict(extra="forbid"))
class BatchBody(TypedDict):
    items: Annotated[
        list[ComputeItem],
        Field(max_length=MAX_BATCH, description=f"At most {MAX_BATCH:,} questions."),
    ]
    include_trace: NotRequired[
        Annotated[
            bool,
            Field(
                strict=True,
                description="Add each result's trace and notes (computed item by item; at "
                f"most {MAX_TRACED_BATCH:,} items). Default false: due dates only.",
            ),
        ]
    ]


COMPUTE_ITEM = TypeAdapter(ComputeItem)
BATCH_BODY = TypeAdapter(BatchBody)
ITEMS = TypeAdapter(list[ComputeItem])


# -- responses (documentation of the JSON the routes build) ------------------------------------


class CitationOut(BaseModel):
    document: str = Field(description="The legal document or plan.")
    article: str | None = Field(description="Where in it, when known.")


class NotableDay(BaseModel):
    date: dt.date
    kind: str = Field(description="holiday, compensatory, swap_off or swap_working")
    working: bool
    name_vi: str | None
    name_en: str | None
    source: str | None = Field(description="The official document behind the day.")


class TraceStepOut(BaseModel):
    step: str = _one_of(StepKind, "What the step did.")
    detail: str
    date: dt.date | None = None
    legal_basis: str | None = Field(
        default=None, description="The article applied, e.g. 'Bộ luật Dân sự 2015, Điều 148(5)'."
    )
    notable_days: list[NotableDay] = Field(
        default=[], description="Holidays and swapped days the step passed over (or counted)."
    )
    weekend_days: int = Field(default=0, description="Plain Saturdays and Sundays passed over.")


class InstalmentOut(BaseModel):
    label: str = Field(examples=["Quý I/2024"])
    due_date: dt.date


class ComputeResult(BaseModel):
    due_date: dt.date | None = Field(
        description="The last day in time; null for shapes without one (continuous, external, "
        "after_event)."
    )
    start_date: dt.date | None = Field(
        description="When the work starts (windows, 'sau khi …', a continuous duty's span)."
    )
    rule: str | None
    profile: str | None = Field(description="The profile the rule was read in.")
    profile_version: int | None = Field(description="That profile's data version.")
    shape: str = _one_of(Shape, "The rule's shape (period for an ad-hoc question).")
    anchor: dt.date | None = Field(description="The anchor used (null when not used).")
    anchor_event: str | None = _one_of(AnchorEvent, "What the anchor date is the date of.")
    roll: str | None = _one_of(Roll, "The roll applied to a last day off.")
    provisional: bool = Field(
        description="The answer depends on a year whose holiday schedule is not decided yet."
    )
    calendar_revision: int
    catalog_revision: int
    citation: CitationOut | None
    confidence: str | None = _one_of(
        Confidence, "V: read in the primary text; S: secondary sources; ?: uncertain."
    )
    flags: list[str] = _one_of(
        Flag, "rolled, due_on_day_off (a day off kept as the rule says), anchor_projected."
    )
    notes: list[str] = Field(description="Every interpretation of an unsettled point used.")
    instalments: list[InstalmentOut] = Field(
        description="One due date per named period when the rule names several."
    )
    trace: list[TraceStepOut]


class FieldError(BaseModel):
    field: str = Field(examples=["items[3].anchor"])
    message: str
    type: str


class ItemProblem(BaseModel):
    type: str = Field(examples=["/problems/validation-error"])
    title: str
    status: int = Field(description="What a single compute request would have answered.")
    detail: str
    errors: list[FieldError] = []
    see: str | None = Field(
        default=None, description="Where to ask instead (recurring rules: the reporting routes)."
    )


class BatchItemError(BaseModel):
    index: int
    error: ItemProblem


class BatchItemResult(BaseModel):
    due_date: dt.date | None
    provisional: bool
    flags: list[str] = _one_of(Flag, "As for a single compute.")
    start_date: dt.date | None = Field(default=None, description="Only when the rule has one.")
    instalments: list[InstalmentOut] | None = Field(
        default=None, description="Only when the rule names several periods."
    )
    notes: list[str] | None = Field(default=None, description="Only with include_trace.")
    trace: list[TraceStepOut] | None = Field(default=None, description="Only with include_trace.")


class BatchRule(BaseModel):
    rule: str
    profile: str
    profile_version: int
    citation: CitationOut
    confidence: str = _one_of(Confidence, "As for a single compute.")


class BatchResult(BaseModel):
    calendar_revision: int
    catalog_revision: int
    rules: list[BatchRule] = Field(
        description="Each (rule, profile) the batch used, once, with its citation: results "
        "do not repeat them."
    )
    results: list[BatchItemResult | BatchItemError] = Field(
        description="One entry per item, in order: a result, or `{index, error}` (a problem "
        "object) for an item that could not be answered. Results carry no trace unless "
        "include_trace is true."
    )


# -- JSON building ------------------------------------------------------------------------------


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


@lru_cache(maxsize=4096)
def _day_json(day: DayInfo) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "kind": day.kind.value,
        "working": day.working,
        "name_vi": day.name_vi,
        "name_en": day.name_en,
        "source": day.source,
    }


@lru_cache(maxsize=16384)
def trace_json(step: TraceStep) -> dict[str, Any]:
    """A trace step as JSON-ready values, cached: the same steps (a holiday passed over, a
    roll out of Tết) recur across requests."""
    return {
        "step": step.kind.value,
        "detail": step.detail,
        "date": _iso(step.date),
        "legal_basis": step.legal_basis,
        "notable_days": [_day_json(d) for d in step.notable_days],
        "weekend_days": step.weekend_days,
    }


@lru_cache(maxsize=1024)
def citation_json(citation: Citation) -> dict[str, Any]:
    return {"document": citation.document, "article": citation.article}


def _instalments(deadline: Deadline) -> list[dict[str, Any]]:
    return [{"label": i.label, "due_date": i.due_date.isoformat()} for i in deadline.instalments]


def _notes(found: Answer) -> list[str]:
    return [*found.deadline.notes, *found.notes]


def answer_json(found: Answer, catalog_revision: int) -> dict[str, Any]:
    d = found.deadline
    return {
        "due_date": _iso(d.due_date),
        "start_date": _iso(d.start_date),
        "rule": d.rule,
        "profile": found.profile.code if found.profile else None,
        "profile_version": found.profile.version if found.profile else None,
        "shape": d.shape.value,
        "anchor": _iso(d.anchor),
        "anchor_event": d.anchor_event.value if d.anchor_event else None,
        "roll": d.roll.value if d.roll else None,
        "provisional": d.provisional,
        "calendar_revision": d.calendar_revision,
        "catalog_revision": catalog_revision,
        "citation": citation_json(d.citation) if d.citation else None,
        "confidence": d.confidence.value if d.confidence else None,
        "flags": sorted(f.value for f in d.flags),
        "notes": _notes(found),
        "instalments": _instalments(d),
        "trace": [trace_json(s) for s in d.trace],
    }


def item_problem(error: DomainError, prefix: str) -> dict[str, Any]:
    """A batch item's error as a single request would get it, with the reporting link of a
    recurring rule."""
    body = rawbody.item_problem(error, prefix)
    if isinstance(error, RecurringRule):
        body["see"] = error.see
    return body


_FLAG_NAMES = {ROLLED: '["rolled"]', DUE_ON_DAY_OFF: '["due_on_day_off"]'}


def _fragment(key: int) -> str:
    """The JSON of a vectorised result from its key (ordinal·6 + flag·2 + provisional)."""
    ordinal, rest = divmod(key, 6)
    flag, provisional = divmod(rest, 2)
    return (
        f'{{"due_date":"{dt.date.fromordinal(ordinal).isoformat()}",'
        f'"provisional":{"true" if provisional else "false"},'
        f'"flags":{_FLAG_NAMES.get(flag, "[]")}}}'
    )


def _batch_answer(found: Answer, with_trace: bool) -> dict[str, Any]:
    d = found.deadline
    body: dict[str, Any] = {
        "due_date": _iso(d.due_date),
        "provisional": d.provisional,
        "flags": sorted(f.value for f in d.flags),
    }
    if d.start_date is not None:
        body["start_date"] = d.start_date.isoformat()
    if d.instalments:
        body["instalments"] = _instalments(d)
    if with_trace:
        body["notes"] = _notes(found)
        body["trace"] = [trace_json(s) for s in d.trace]
    return body


def _batch_rule(rule: Rule, profile: Profile) -> dict[str, Any]:
    return {
        "rule": rule.code,
        "profile": profile.code,
        "profile_version": profile.version,
        "citation": citation_json(rule.citation),
        "confidence": rule.confidence.value,
    }


def batch_json(
    outcome: BatchOutcome,
    *,
    calendar_revision: int,
    catalog_revision: int,
    with_trace: bool,
    invalid: dict[int, list[dict[str, Any]]],
) -> bytes:
    """The batch response. Vectorised results are written from a few hundred distinct JSON
    fragments (one per due date, flag and provisional mark) picked by index, not one dict per
    item; the other entries are dumped one by one."""
    entries = np.empty(outcome.size, dtype=object)
    where = np.flatnonzero(outcome.vectorised)
    if where.size:
        keys = outcome.due[where] * 6 + outcome.flag[where].astype(np.int64) * 2
        keys += outcome.provisional[where]
        unique, inverse = np.unique(keys, return_inverse=True)
        fragments = np.array([_fragment(int(k)) for k in unique.tolist()], dtype=object)
        entries[where] = fragments[inverse]
    written: dict[int, str] = {}  # items of one rule and anchor share one Answer
    for i, found in outcome.answers.items():
        text = written.get(id(found))
        if text is None:
            text = written[id(found)] = dumps(_batch_answer(found, with_trace)).decode()
        entries[i] = text
    for i, error in outcome.errors.items():
        problem = item_problem(error, f"items[{i}]")
        entries[i] = dumps({"index": i, "error": problem}).decode()
    for i, errors in invalid.items():
        entries[i] = dumps({"index": i, "error": invalid_item(errors)}).decode()
    head = dumps(
        {
            "calendar_revision": calendar_revision,
            "catalog_revision": catalog_revision,
            "rules": [_batch_rule(rule, profile) for rule, profile in outcome.rules.values()],
        }
    )
    return head[:-1] + b',"results":[' + ",".join(entries.tolist()).encode() + b"]}"
