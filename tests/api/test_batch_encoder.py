"""The compute-batch encoder (app/api/deadlines/batch_encoder.py), the API's one specialised
encoder, writes exactly what the typed path writes: for any batch, its bytes decode to the
same value as `dump_json` of the declared BatchResult built item by item."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from app.api.deadlines import batch_encoder, present
from app.api.deadlines import schemas as s
from app.data.calendar import seed_adjustments, seed_years
from app.data.rules import load_catalog
from app.domain.calendar import CalendarSnapshot, build_snapshot
from app.domain.deadlines import Catalog
from app.services import compute

TYPED = TypeAdapter(s.BatchResult)


@pytest.fixture(scope="module")
def calendar() -> CalendarSnapshot:
    return build_snapshot(seed_adjustments(), seed_years(), revision=1)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


_ANCHORS = st.dates(dt.date(2018, 6, 1), dt.date(2031, 1, 31)).map(dt.date.isoformat)
_AD_HOC = st.fixed_dictionaries(
    {
        "anchor": _ANCHORS,
        "amount": st.integers(-3, 400),
        "unit": st.sampled_from(["calendar_days", "working_days", "weeks", "months", "eons"]),
    },
    optional={
        "direction": st.sampled_from(["forward", "backward"]),
        "roll": st.sampled_from(["following", "preceding", "none"]),
    },
)
_RULES = st.fixed_dictionaries(
    {
        "rule": st.sampled_from(
            [
                "quang-nam-2024.posting-counter",
                "quang-nam-2024.by-31-03",
                "quang-nam-2024.report-commune",
                "ha-tinh-2022.review-window",
                "national.dossier-apology",
                "no-such.rule",
            ]
        )
    },
    optional={"anchor": _ANCHORS},
)
# None: an item refused by validation before computing (its errors are given apart).
_ITEMS = st.lists(st.one_of(_AD_HOC, _RULES, st.none()), max_size=40)


@settings(max_examples=60, deadline=None)
@given(raw=_ITEMS, with_trace=st.booleans())
def test_the_encoder_writes_what_the_typed_path_writes(
    calendar: CalendarSnapshot, catalog: Catalog, raw: list[Any], with_trace: bool
) -> None:
    items: list[Any] = []
    invalid: dict[int, list[dict[str, Any]]] = {}
    for i, item in enumerate(raw):
        if item is None:
            items.append(None)
            invalid[i] = [{"field": f"items[{i}]", "message": "refused", "type": "dict_type"}]
            continue
        try:
            items.append(s.COMPUTE_ITEM.validate_json(json.dumps(item)))
        except ValueError:
            items.append(None)
            invalid[i] = [{"field": f"items[{i}].unit", "message": "bad", "type": "enum"}]
    outcome = compute.compute_batch(catalog, calendar, items, with_trace=with_trace)
    asked: dict[str, Any] = {
        "calendar_revision": calendar.revision,
        "catalog_revision": 7,
        "with_trace": with_trace,
        "invalid": invalid,
    }
    fast = batch_encoder.encode(outcome, **asked)
    typed = TYPED.dump_json(present.batch(outcome, **asked))
    assert json.loads(fast) == json.loads(typed)
