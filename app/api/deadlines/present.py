"""The deadline answers as their declared wire values (app/api/deadlines/schemas.py): typed
values, encoded by the endpoint helper with the same types that generate the OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from app.api.deadlines import schemas as s
from app.api.wire import trace as wire_trace
from app.api.wire.citation import citation
from app.api.wire.problem import invalid_item, item_problem
from app.api.wire.trace import trace_step
from app.domain.deadlines import Deadline, Profile, Rule
from app.services.compute import Answer, BatchOutcome, batch_due

COMPUTE_RESULT = TypeAdapter(s.ComputeResult)


def _instalments(deadline: Deadline) -> list[s.InstalmentOut]:
    return [{"label": i.label, "due_date": i.due_date} for i in deadline.instalments]


def _notes(found: Answer) -> list[str]:
    return [*found.deadline.notes, *found.notes]


def answer(found: Answer, catalog_revision: int) -> s.ComputeResult:
    """The answer with its trace left empty: `encoded` puts in its steps' remembered JSON (the
    route's answer), `typed` their wire values (the same value, as the property test checks)."""
    d = found.deadline
    return {
        "due_date": d.due_date,
        "start_date": d.start_date,
        "rule": d.rule,
        "profile": found.profile.code if found.profile else None,
        "profile_version": found.profile.version if found.profile else None,
        "shape": d.shape,
        "anchor": d.anchor,
        "anchor_event": d.anchor_event,
        "roll": d.roll,
        "provisional": d.provisional,
        "calendar_revision": d.calendar_revision,
        "catalog_revision": catalog_revision,
        "citation": citation(d.citation) if d.citation else None,
        "flags": sorted(d.flags),
        "notes": _notes(found),
        "instalments": _instalments(d),
        "trace": [],
    }


def encoded(found: Answer, catalog_revision: int) -> bytes:
    head = COMPUTE_RESULT.dump_json(answer(found, catalog_revision))
    return wire_trace.with_trace(head, map(wire_trace.encoded_trace_step, found.deadline.trace))


def typed(found: Answer, catalog_revision: int) -> s.ComputeResult:
    """The whole answer as its typed value, trace included (what `encoded` writes)."""
    return {
        **answer(found, catalog_revision),
        "trace": [trace_step(step) for step in found.deadline.trace],
    }


def batch_answer(found: Answer, with_trace: bool) -> s.BatchItemResult:
    d = found.deadline
    body: s.BatchItemResult = {
        "due_date": d.due_date,
        "provisional": d.provisional,
        "flags": sorted(d.flags),
    }
    if d.start_date is not None:
        body["start_date"] = d.start_date
    if d.instalments:
        body["instalments"] = _instalments(d)
    if with_trace:
        body["notes"] = _notes(found)
        body["trace"] = [trace_step(step) for step in d.trace]
    return body


def batch_rule(rule: Rule, profile: Profile) -> s.BatchRule:
    return {
        "rule": rule.code,
        "profile": profile.code,
        "profile_version": profile.version,
        "citation": citation(rule.citation),
    }


def batch(
    outcome: BatchOutcome,
    *,
    calendar_revision: int,
    catalog_revision: int,
    with_trace: bool,
    invalid: dict[int, list[dict[str, Any]]],
) -> s.BatchResult:
    """The batch answer, item by item (the typed path; app/api/deadlines/batch_encoder.py
    writes the same value faster)."""
    results: list[s.BatchItemResult | s.BatchItemError] = []
    for i in range(outcome.size):
        if outcome.vectorised[i]:
            due, provisional, flags = batch_due(outcome, i)
            results.append({"due_date": due, "provisional": provisional, "flags": flags})
        elif i in outcome.answers:
            results.append(batch_answer(outcome.answers[i], with_trace))
        elif i in outcome.errors:
            results.append({"index": i, "error": item_problem(outcome.errors[i], f"items[{i}]")})
        else:
            results.append({"index": i, "error": invalid_item(invalid[i])})
    return {
        "calendar_revision": calendar_revision,
        "catalog_revision": catalog_revision,
        "rules": [batch_rule(rule, profile) for rule, profile in outcome.rules.values()],
        "results": results,
    }
