"""The hot answers written from their steps' encoded JSON (app/api/wire/trace.py: calendar add
and count, compute) are the typed answers: for any question, the bytes decode to the same value
as `dump_json` of the declared type built whole, and are valid JSON of that type."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from app.api.calendar import router as calendar_routes
from app.api.calendar import schemas as cs
from app.api.deadlines import present
from app.api.deadlines import schemas as ds
from app.api.wire.trace import calendar_step, with_trace
from app.data.calendar import seed_adjustments, seed_years
from app.data.rules import load_catalog
from app.domain.calendar import CalendarSnapshot, build_snapshot
from app.domain.deadlines import Catalog
from app.domain.errors import DomainError
from app.services import compute
from app.services.compute import RecurringRule

ADD = TypeAdapter(cs.AddResult)
COUNT = TypeAdapter(cs.CountResult)
COMPUTE = TypeAdapter(ds.ComputeResult)
# Over the supported years (2019–2030), Tết and the swapped days included, far enough from
# their ends that 40 working days or 60 days either way stay inside.
_DAYS = st.dates(dt.date(2019, 4, 1), dt.date(2030, 10, 15))


@pytest.fixture(scope="module")
def calendar() -> CalendarSnapshot:
    return build_snapshot(seed_adjustments(), seed_years(), revision=3)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@settings(max_examples=150, deadline=None)
@given(start=_DAYS, days=st.integers(-40, 40))
def test_add_is_the_typed_answer(calendar: CalendarSnapshot, start: dt.date, days: int) -> None:
    encoded = calendar_routes.add_working_days(calendar, {"start": start, "days": days}).body
    answer, steps = calendar_routes.add_answer(calendar, start, days)
    whole = ADD.dump_json({**answer, "trace": [calendar_step(step) for step in steps]})
    assert json.loads(encoded) == json.loads(whole)
    assert ADD.validate_json(encoded)["result"] == calendar.add_working_days(start, days)


@settings(max_examples=150, deadline=None)
@given(start=_DAYS, span=st.integers(-60, 60))
def test_count_is_the_typed_answer(calendar: CalendarSnapshot, start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    encoded = calendar_routes.count_working_days(calendar, {"start": start, "end": end}).body
    answer, steps = calendar_routes.count_answer(calendar, start, end)
    whole = COUNT.dump_json({**answer, "trace": [calendar_step(step) for step in steps]})
    assert json.loads(encoded) == json.loads(whole)


_QUESTIONS = st.one_of(
    st.fixed_dictionaries(
        {
            "anchor": _DAYS.map(dt.date.isoformat),
            "amount": st.integers(0, 400),
            "unit": st.sampled_from(["calendar_days", "working_days", "weeks", "months"]),
        },
        optional={
            "direction": st.sampled_from(["forward", "backward"]),
            "roll": st.sampled_from(["following", "preceding", "none"]),
        },
    ),
    st.fixed_dictionaries(
        {
            "rule": st.sampled_from(
                [
                    "quang-nam-2024.posting-counter",
                    "quang-nam-2024.by-31-03",
                    "quang-nam-2024.q1-q2-2024",
                    "ha-tinh-2022.review-window",
                    "national.dossier-apology",
                    "national.feedback-forward",
                ]
            )
        },
        optional={"anchor": st.dates(dt.date(2024, 3, 5), dt.date(2026, 12, 31)).map(str)},
    ),
)


@settings(max_examples=150, deadline=None)
@given(asked=_QUESTIONS)
def test_compute_is_the_typed_answer(
    calendar: CalendarSnapshot, catalog: Catalog, asked: dict[str, object]
) -> None:
    item = ds.COMPUTE_ITEM.validate_json(json.dumps(asked))
    try:
        found = compute.answer(catalog, calendar, compute.question(item))
    except (RecurringRule, DomainError):
        return  # refused questions have no answer to encode (their problems are tested apart)
    encoded = present.encoded(found, 9)
    assert json.loads(encoded) == json.loads(COMPUTE.dump_json(present.typed(found, 9)))


def test_a_head_without_an_empty_trace_last_is_refused() -> None:
    with pytest.raises(ValueError, match="empty trace"):
        with_trace(b'{"trace":[],"start":"2024-01-01"}', [b"{}"])
