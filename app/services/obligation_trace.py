"""An obligation's trace as it is kept (JSON in `obligations.trace`): how its due date was
counted, in the step shape the API answers (app/api/wire/trace.py), and the rule's citation
with its article and confidence (the `citation` column keeps the text for people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.domain.citations import Citation
from app.domain.deadlines import Deadline
from app.domain.obligations import PlannedDuty


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _citation(cited: Citation | None) -> dict[str, Any] | None:
    if cited is None:
        return None
    return {
        "document": cited.document,
        "article": cited.article,
        "confidence": cited.confidence.value,
    }


def trace_document(duty: PlannedDuty) -> dict[str, Any]:
    """The duty's explanation as JSON-ready values (kept with the obligation)."""
    if duty.deadline is None:
        return {"waiting_for": duty.waiting_for, "citation": _citation(duty.citation), "steps": []}
    return deadline_document(duty.deadline, duty.citation)


def deadline_document(deadline: Deadline, cited: Citation | None) -> dict[str, Any]:
    """A computed due date's explanation as JSON-ready values, citing the rule with `cited`."""
    return {
        "shape": deadline.shape.value,
        "anchor": _iso(deadline.anchor),
        "anchor_event": deadline.anchor_event.value if deadline.anchor_event else None,
        "roll": deadline.roll.value if deadline.roll else None,
        "calendar_revision": deadline.calendar_revision,
        "provisional": deadline.provisional,
        "notes": list(deadline.notes),
        "citation": _citation(cited),
        "steps": [
            {
                "step": step.kind.value,
                "detail": step.detail,
                "date": _iso(step.date),
                "citation": _citation(step.citation),
                "weekend_days": step.weekend_days,
                "notable_days": [
                    {
                        "date": day.date.isoformat(),
                        "kind": day.kind.value,
                        "working": day.working,
                        "name_vi": day.name_vi,
                        "name_en": day.name_en,
                        "source": day.source,
                    }
                    for day in step.notable_days
                ],
            }
            for step in deadline.trace
        ],
    }
