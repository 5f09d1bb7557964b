"""The one trace-step shape: how a due date (a compute answer, a batch item with its trace, an
obligation's due date), a working-day answer of the calendar or a reporting due date was
counted, step by step. The dossier appointment's trace is another concept (the moments of a
clock, `AppointmentTraceStep`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field, TypeAdapter
from typing_extensions import TypedDict

from app.api.wire.citation import Citation, citation, stored_citation
from app.domain.calendar import DayInfo, DayKind
from app.domain.calendar.explain import CalendarStepKind, SpanStep
from app.domain.citations import Citation as Cited
from app.domain.citations import Confidence
from app.domain.deadlines import StepKind
from app.domain.deadlines import TraceStep as Step
from app.domain.reporting import ReportStepKind
from app.domain.reporting import TraceStep as ReportStep

STEP_DESCRIPTION = (
    "What the step did. Due dates (compute, batch, obligations): "
    + ", ".join(k.value for k in StepKind)
    + ". Working-day answers (calendar add and count): "
    + ", ".join(k.value for k in CalendarStepKind)
    + ". Reporting due dates: "
    + ", ".join(k.value for k in ReportStepKind)
    + "."
)


class NotableDay(TypedDict):
    date: dt.date
    kind: Annotated[DayKind, Field(description="holiday, compensatory, swap_off or swap_working")]
    working: bool
    name_vi: str | None
    name_en: str | None
    source: Annotated[str | None, Field(description="The official document behind the day.")]


class TraceStep(TypedDict):
    """One step of how a due date, a working-day answer or a reporting due date was counted."""

    step: Annotated[
        StepKind | CalendarStepKind | ReportStepKind, Field(description=STEP_DESCRIPTION)
    ]
    detail: str
    date: Annotated[dt.date | None, Field(description="The day the step reached, if any.")]
    citation: Annotated[
        Citation | None,
        Field(
            description="The law or document the step applies (Bộ luật Dân sự 2015, Điều "
            "148(5)…; the official source of a holiday or swapped day), if any."
        ),
    ]
    notable_days: Annotated[
        list[NotableDay],
        Field(
            description="Holidays and swapped days the step passed over (or counted); a "
            "calendar step 'skipped' or 'counted' has its one day here."
        ),
    ]
    weekend_days: Annotated[int, Field(description="Plain Saturdays and Sundays passed over.")]


@lru_cache(maxsize=4096)
def _day(day: DayInfo) -> NotableDay:
    return {
        "date": day.date,
        "kind": day.kind,
        "working": day.working,
        "name_vi": day.name_vi,
        "name_en": day.name_en,
        "source": day.source,
    }


def _step(
    step: StepKind | CalendarStepKind | ReportStepKind,
    detail: str,
    date: dt.date | None,
    cited: Cited | None,
    days: list[NotableDay],
    weekend_days: int,
) -> TraceStep:
    return {
        "step": step,
        "detail": detail,
        "date": date,
        "citation": citation(cited) if cited else None,
        "notable_days": days,
        "weekend_days": weekend_days,
    }


@lru_cache(maxsize=16384)
def trace_step(step: Step) -> TraceStep:
    """A domain step as its wire value (shared between answers, never mutated)."""
    days = [_day(d) for d in step.notable_days]
    return _step(step.kind, step.detail, step.date, step.citation, days, step.weekend_days)


@lru_cache(maxsize=16384)
def calendar_step(step: SpanStep) -> TraceStep:
    """A working-day answer's step as its wire value (shared between answers, never mutated)."""
    days = [_day(step.day)] if step.day else []
    return _step(step.step, step.detail, step.date, step.citation, days, step.weekend_days)


@lru_cache(maxsize=4096)
def report_step(step: ReportStep) -> TraceStep:
    """A reporting due date's step as its wire value (shared between answers, never mutated)."""
    return _step(step.step, step.detail, step.date, step.citation, [], 0)


# -- encoded steps: the hot answers (calendar add and count, compute) are written from their
# steps' JSON, each step encoded once by the declared step type and remembered like its wire
# value; tests/api/test_trace_encoding.py checks the bytes against the typed answer's.

_TRACE_STEP = TypeAdapter(TraceStep)
_EMPTY_TRACE_LAST = b'"trace":[]}'


@lru_cache(maxsize=16384)
def encoded_trace_step(step: Step) -> bytes:
    return _TRACE_STEP.dump_json(trace_step(step))


@lru_cache(maxsize=16384)
def encoded_calendar_step(step: SpanStep) -> bytes:
    return _TRACE_STEP.dump_json(calendar_step(step))


def with_trace(head: bytes, steps: Iterable[bytes]) -> bytes:
    """An answer encoded with an empty `trace` as its last member (`head`), the encoded steps
    put in that list."""
    if not head.endswith(_EMPTY_TRACE_LAST):
        raise ValueError("the answer must end with an empty trace")
    return head[:-2] + b",".join(steps) + b"]}"


def stored_step(stored: dict[str, Any]) -> TraceStep:
    """A step as an obligation keeps it (app/services/obligation_trace.py). Rows written before
    the one trace shape name the step `kind` and give the law as `legal_basis` text (always a
    Civil Code article, read in the primary text); both read as today's shape."""
    cited = stored.get("citation")
    basis = stored.get("legal_basis")
    found: Citation | None
    if isinstance(cited, dict):
        found = stored_citation(cited)
    elif basis:
        found = {"document": basis, "article": None, "confidence": Confidence.VERIFIED}
    else:
        found = None
    return {
        "step": StepKind(stored.get("step") or stored["kind"]),
        "detail": stored["detail"],
        "date": dt.date.fromisoformat(stored["date"]) if stored.get("date") else None,
        "citation": found,
        "notable_days": [
            {
                "date": dt.date.fromisoformat(d["date"]),
                "kind": DayKind(d["kind"]),
                "working": d.get("working", d["kind"] == DayKind.SWAP_WORKING.value),
                "name_vi": d.get("name_vi"),
                "name_en": d.get("name_en"),
                "source": d.get("source"),
            }
            for d in stored.get("notable_days", [])
        ],
        "weekend_days": stored.get("weekend_days", 0),
    }
