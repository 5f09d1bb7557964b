"""When is it due? One question with its full trace, or up to 10 000 at once: the portal's
hot path, declared with the endpoint helper (app/api/kit/endpoint.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from pydantic_core import to_json

from app.api.deadlines import batch_encoder, present
from app.api.deadlines import schemas as s
from app.api.kit import deps
from app.api.kit.deps import current_calendar
from app.api.kit.endpoint import Encoded, fast_endpoint, invalid
from app.api.kit.problems import ApiProblem, validation_errors
from app.api.wire.problem import item_problem
from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import Catalog
from app.runtime.memo import ReferenceMemo
from app.services import compute
from app.services.compute import RecurringRule

router = APIRouter(prefix="/v1/deadlines", tags=["deadlines"])

MAX_COMPUTE_BODY = 64 * 1024
MAX_BATCH_BODY = 8 * 1024 * 1024  # 10 000 items of a few hundred bytes each, with room

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown rule or profile", "content": _PROBLEM},
    422: {
        "description": "Bad input: an impossible date, an unknown unit, a missing anchor, both "
        "forms or neither, a date outside the supported calendar, a rule not in force on the "
        "anchor, a recurring rule (asked through /v1/reporting/…, see `see`); `errors[].field` "
        "names the input.",
        "content": _PROBLEM,
    },
    503: {"description": "The calendar or the rule catalog is not loaded yet", "content": _PROBLEM},
}

_EXAMPLES = {
    "rule": {
        "summary": "A catalog rule",
        "value": {"anchor": "2024-03-05", "rule": "quang-nam-2024.posting-counter"},
    },
    "ad_hoc": {
        "summary": "An ad-hoc period",
        "value": {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days"},
    },
    "backward": {
        "summary": "Counting back from an effective date",
        "value": {
            "anchor": "2024-07-01",
            "amount": 5,
            "unit": "calendar_days",
            "direction": "backward",
        },
    },
}


@dataclass(frozen=True)
class Reference:
    """The calendar snapshot and the rule catalog in force, read together (no await between
    the catalog and its revision)."""

    calendar: CalendarSnapshot
    catalog: Catalog
    catalog_revision: int


async def reference(request: Request) -> Reference:
    # The read-access check and the snapshot (deps.current_calendar), then the catalog.
    calendar = await current_calendar(request)
    state = request.app.state.runtime.catalog
    catalog = state.catalog if state is not None else None
    if catalog is None:
        raise deps.not_loaded("The rule catalog is")
    return Reference(calendar, catalog, int(state.revision))


@fast_endpoint(
    router,
    "POST",
    "/compute",
    context=reference,
    body=s.ComputeItem,
    response=s.ComputeResult,
    max_body=MAX_COMPUTE_BODY,
    memo=ReferenceMemo(size=8192),
    memo_key=lambda ref: (ref.calendar, ref.catalog),
    examples=_EXAMPLES,
    summary="The due date of a rule or an ad-hoc period, with its trace and citation",
    description="Give `{anchor, rule, profile?}` or `{anchor, amount, unit, roll?, "
    "direction?}`. Counting follows the Civil Code 2015 Arts. 147–148: the anchor day is not "
    "counted; a calendar-day period ending on a day off ends on the next working day. Rules "
    "that name their own dates need no anchor; recurring rules are dated by the reporting "
    "routes (422 with `see`).",
    responses=PROBLEMS,
)
def compute_one(ref: Reference, item: s.ComputeItem) -> Encoded:
    try:
        found = compute.answer(ref.catalog, ref.calendar, compute.question(item))
    except RecurringRule as error:
        raise ApiProblem(
            422,
            error.detail,
            code=error.code,
            errors=item_problem(error, "")["errors"],
            see=error.see,
        ) from None
    return Encoded(present.encoded(found, ref.catalog_revision))


@dataclass(frozen=True)
class Batch:
    """A batch read: its items (None where refused), the trace wish, the refusals."""

    items: list[Any]
    with_trace: bool
    invalid: dict[int, list[dict[str, Any]]]


def _read_batch(parsed: s.BatchBody) -> Batch:
    return Batch(list(parsed["items"]), parsed.get("include_trace", False), {})


@fast_endpoint(
    router,
    "POST",
    "/compute-batch",
    context=reference,
    body=s.BatchBody,
    response=s.BatchResult,
    max_body=MAX_BATCH_BODY,
    salvage=lambda body, exc: _salvage(body, exc),
    examples={
        "mixed": {
            "summary": "A rule and an ad-hoc period",
            "value": {
                "items": [
                    {"anchor": "2024-03-05", "rule": "quang-nam-2024.posting-counter"},
                    {"anchor": "2024-04-25", "amount": 5, "unit": "calendar_days"},
                ]
            },
        }
    },
    summary=f"Up to {s.MAX_BATCH:,} questions at once; results in order, bad items isolated",
    description="Each item is a compute request. Results come in the order of the items; an "
    "item that cannot be answered gets `{index, error}` with the problem a single request "
    "would get (`errors[].field` like `items[3].anchor`) and never fails the batch. Results "
    "carry due dates, flags and the provisional mark; `include_trace` adds traces and notes. "
    "The citations of the rules used are listed once in `rules`.",
    responses=PROBLEMS | {413: {"description": "Body over 8 MiB", "content": _PROBLEM}},
)
def compute_batch(ref: Reference, asked: s.BatchBody | Batch) -> Encoded:
    batch = asked if isinstance(asked, Batch) else _read_batch(asked)
    if batch.with_trace and len(batch.items) > s.MAX_TRACED_BATCH:
        raise invalid(
            [
                {
                    "field": "include_trace",
                    "message": f"traces are given for batches of at most "
                    f"{s.MAX_TRACED_BATCH:,} items; this one has {len(batch.items):,}",
                    "type": "too_long",
                }
            ]
        )
    outcome = compute.compute_batch(
        ref.catalog, ref.calendar, batch.items, with_trace=batch.with_trace
    )
    return Encoded(
        batch_encoder.encode(
            outcome,
            calendar_revision=ref.calendar.revision,
            catalog_revision=ref.catalog_revision,
            with_trace=batch.with_trace,
            invalid=batch.invalid,
        )
    )


def _salvage(body: bytes, exc: ValidationError) -> Batch:
    """The slow path, when the one-pass validation failed: a problem with the batch itself
    (not JSON, too many items, a bad `include_trace`) refuses it; bad items are set aside
    with their own errors and the others validated again, in one pass."""
    per_item: dict[int, list[dict[str, Any]]] = {}
    whole: list[dict[str, Any]] = []
    for error, described in zip(exc.errors(), validation_errors(exc.errors()), strict=True):
        loc = error["loc"]
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            per_item.setdefault(loc[1], []).append(described)
        else:
            whole.append(described)
    if whole:
        raise invalid(whole)
    raw = json.loads(body)  # valid JSON: only items were refused
    good = [item for i, item in enumerate(raw["items"]) if i not in per_item]
    try:
        checked = iter(s.ITEMS.validate_json(to_json(good)))  # JSON mode: strict dates
        items = [None if i in per_item else next(checked) for i in range(len(raw["items"]))]
    except ValidationError:  # not expected: then one item at a time
        items = []
        for i, item in enumerate(raw["items"]):
            try:
                items.append(s.COMPUTE_ITEM.validate_json(to_json(item)))
            except ValidationError as error:
                items.append(None)
                per_item[i] = validation_errors(
                    [e | {"loc": ("items", i, *e["loc"])} for e in error.errors()]
                )
    return Batch(items, bool(raw.get("include_trace", False)), per_item)
