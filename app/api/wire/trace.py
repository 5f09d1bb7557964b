"""The one trace-step shape of due dates: how a compute answer, a batch item with its trace and
an obligation's due date were counted, step by step."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field
from typing_extensions import TypedDict

from app.api.wire.citation import Citation, citation
from app.domain.calendar import DayInfo, DayKind
from app.domain.citations import Confidence
from app.domain.deadlines import StepKind
from app.domain.deadlines import TraceStep as Step


class NotableDay(TypedDict):
    date: dt.date
    kind: Annotated[DayKind, Field(description="holiday, compensatory, swap_off or swap_working")]
    working: bool
    name_vi: str | None
    name_en: str | None
    source: Annotated[str | None, Field(description="The official document behind the day.")]


class TraceStep(TypedDict):
    """One step of how a due date was counted."""

    step: Annotated[StepKind, Field(description="What the step did.")]
    detail: str
    date: Annotated[dt.date | None, Field(description="The day the step reached, if any.")]
    citation: Annotated[
        Citation | None,
        Field(description="The law the step applies (Bộ luật Dân sự 2015, Điều 148(5)…)."),
    ]
    notable_days: Annotated[
        list[NotableDay],
        Field(description="Holidays and swapped days the step passed over (or counted)."),
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


@lru_cache(maxsize=16384)
def trace_step(step: Step) -> TraceStep:
    """A domain step as its wire value (shared between answers, never mutated)."""
    return {
        "step": step.kind,
        "detail": step.detail,
        "date": step.date,
        "citation": citation(step.citation) if step.citation else None,
        "notable_days": [_day(d) for d in step.notable_days],
        "weekend_days": step.weekend_days,
    }


def stored_step(stored: dict[str, Any]) -> TraceStep:
    """A step as an obligation keeps it (app/services/obligation_trace.py). Rows written before
    the one trace shape name the step `kind` and give the law as `legal_basis` text (always a
    Civil Code article, read in the primary text); both read as today's shape."""
    cited = stored.get("citation")
    basis = stored.get("legal_basis")
    found: Citation | None
    if isinstance(cited, dict):
        found = {
            "document": cited["document"],
            "article": cited.get("article"),
            "confidence": Confidence(cited["confidence"]),
        }
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
