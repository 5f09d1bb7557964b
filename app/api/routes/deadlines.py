"""When is it due? One question with its full trace, or up to 10 000 at once.

Both routes read their body themselves (one TypeAdapter pass, no model instances) and build
their JSON directly: they are the portal's hot path. The request schemas are documented through
`openapi_extra`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from app.api import deps, rawbody
from app.api.deps import current_calendar
from app.api.problems import ApiProblem, validation_errors
from app.api.schemas import JSONBody
from app.api.schemas import deadlines as s
from app.domain.deadlines import Catalog
from app.services import compute
from app.services.compute import RecurringRule
from app.services.memo import ReferenceMemo

router = APIRouter(prefix="/v1/deadlines", tags=["deadlines"])

MAX_COMPUTE_BODY = 64 * 1024
MAX_REMEMBERED_BODY = 1024  # a question is a few dozen bytes; longer bodies are not kept

# Answers by request body for the calendar and catalog in force.
_answers = ReferenceMemo(size=8192)
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


def _catalog(request: Request) -> tuple[Catalog, int]:
    """The rule catalog in force and its revision, read together (no await between)."""
    state = request.app.state.runtime.catalog
    catalog = state.catalog if state is not None else None
    if catalog is None:
        raise deps.not_loaded("The rule catalog is")
    return catalog, int(state.revision)


@router.post(
    "/compute",
    response_model=s.ComputeResult,
    summary="The due date of a rule or an ad-hoc period, with its trace and citation",
    description="Give `{anchor, rule, profile?}` or `{anchor, amount, unit, roll?, "
    "direction?}`. Counting follows the Civil Code 2015 Arts. 147–148: the anchor day is not "
    "counted; a calendar-day period ending on a day off ends on the next working day. Rules "
    "that name their own dates need no anchor; recurring rules are dated by the reporting "
    "routes (422 with `see`).",
    responses=PROBLEMS,
    openapi_extra=rawbody.request_body_doc(rawbody.inline_schema(s.COMPUTE_ITEM), _EXAMPLES),
)
async def compute_one(request: Request) -> Response:
    # deps.current_calendar, called directly rather than as CalendarDep: the same read-access
    # check and snapshot, without FastAPI's dependency resolution on the hot path.
    calendar = await current_calendar(request)
    body = await rawbody.read_once(request, MAX_COMPUTE_BODY)
    catalog, revision = _catalog(request)
    remembered = _answers.get((calendar, catalog), body)
    if remembered is not None:
        return JSONBody(remembered)
    try:
        item = s.COMPUTE_ITEM.validate_json(body)
    except ValidationError as exc:
        raise rawbody.invalid(validation_errors(exc.errors())) from None
    try:
        found = compute.answer(catalog, calendar, compute.question(item))
    except RecurringRule as error:
        raise ApiProblem(
            422,
            error.detail,
            code=error.code,
            errors=s.item_problem(error, "")["errors"],
            see=error.see,
        ) from None
    answered = rawbody.dumps(s.answer_json(found, revision))
    if len(body) <= MAX_REMEMBERED_BODY:
        _answers.put((calendar, catalog), body, answered)
    return JSONBody(answered)


@router.post(
    "/compute-batch",
    response_model=s.BatchResult,
    summary=f"Up to {s.MAX_BATCH:,} questions at once; results in order, bad items isolated",
    description="Each item is a compute request. Results come in the order of the items; an "
    "item that cannot be answered gets `{index, error}` with the problem a single request "
    "would get (`errors[].field` like `items[3].anchor`) and never fails the batch. Results "
    "carry due dates, flags and the provisional mark; `include_trace` adds traces and notes. "
    "The citations of the rules used are listed once in `rules`.",
    responses=PROBLEMS | {413: {"description": "Body over 8 MiB", "content": _PROBLEM}},
    openapi_extra=rawbody.request_body_doc(
        rawbody.inline_schema(s.BATCH_BODY),
        {
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
    ),
)
async def compute_batch(request: Request) -> Response:
    calendar = await current_calendar(request)
    body = await rawbody.read_once(request, MAX_BATCH_BODY)
    invalid: dict[int, list[dict[str, Any]]] = {}
    items: list[Any]
    try:
        parsed = s.BATCH_BODY.validate_json(body)
        items, with_trace = list(parsed["items"]), parsed.get("include_trace", False)
    except ValidationError as exc:
        items, with_trace, invalid = _salvage(body, exc)
    if with_trace and len(items) > s.MAX_TRACED_BATCH:
        raise rawbody.invalid(
            [
                {
                    "field": "include_trace",
                    "message": f"traces are given for batches of at most "
                    f"{s.MAX_TRACED_BATCH:,} items; this one has {len(items):,}",
                    "type": "too_long",
                }
            ]
        )
    catalog, revision = _catalog(request)
    outcome = compute.compute_batch(catalog, calendar, items, with_trace=with_trace)
    return JSONBody(
        s.batch_json(
            outcome,
            calendar_revision=calendar.revision,
            catalog_revision=revision,
            with_trace=with_trace,
            invalid=invalid,
        )
    )


def _salvage(
    body: bytes, exc: ValidationError
) -> tuple[list[Any], bool, dict[int, list[dict[str, Any]]]]:
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
        raise rawbody.invalid(whole)
    raw = json.loads(body)  # valid JSON: only items were refused
    good = [item for i, item in enumerate(raw["items"]) if i not in per_item]
    try:
        checked = iter(s.ITEMS.validate_json(rawbody.dumps(good)))
        items = [None if i in per_item else next(checked) for i in range(len(raw["items"]))]
    except ValidationError:  # not expected: then one item at a time
        items = []
        for i, item in enumerate(raw["items"]):
            try:
                items.append(s.COMPUTE_ITEM.validate_json(rawbody.dumps(item)))
            except ValidationError as error:
                items.append(None)
                per_item[i] = validation_errors(
                    [e | {"loc": ("items", i, *e["loc"])} for e in error.errors()]
                )
    return items, bool(raw.get("include_trace", False)), per_item
