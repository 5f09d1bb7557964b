"""Request and response bodies of the deadline endpoints.

The compute routes are the portal's hot path (app/api/kit/endpoint.py): requests and responses
are TypedDicts, validated and encoded by one TypeAdapter each, the same types that generate the
OpenAPI.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict

from app.api.wire.citation import Citation
from app.api.wire.problem import ItemProblem
from app.api.wire.trace import TraceStep
from app.domain.deadlines import (
    AnchorEvent,
    Direction,
    Flag,
    Roll,
    Shape,
    Unit,
)

MAX_BATCH = 10_000
MAX_TRACED_BATCH = 1_000  # traces are computed item by item: a smaller ceiling
MAX_AMOUNT = 100_000


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


# -- responses ----------------------------------------------------------------------------------


class InstalmentOut(TypedDict):
    label: Annotated[str, Field(examples=["Quý I/2024"])]
    due_date: dt.date


class ComputeResult(TypedDict):
    due_date: Annotated[
        dt.date | None,
        Field(
            description="The last day in time; null for shapes without one (continuous, "
            "external, after_event)."
        ),
    ]
    start_date: Annotated[
        dt.date | None,
        Field(description="When the work starts (windows, 'sau khi …', a continuous duty's span)."),
    ]
    rule: str | None
    profile: Annotated[str | None, Field(description="The profile the rule was read in.")]
    profile_version: Annotated[int | None, Field(description="That profile's data version.")]
    shape: Annotated[Shape, Field(description="The rule's shape (period for an ad-hoc question).")]
    anchor: Annotated[dt.date | None, Field(description="The anchor used (null when not used).")]
    anchor_event: Annotated[
        AnchorEvent | None, Field(description="What the anchor date is the date of.")
    ]
    roll: Annotated[Roll | None, Field(description="The roll applied to a last day off.")]
    provisional: Annotated[
        bool,
        Field(
            description="The answer depends on a year whose holiday schedule is not decided yet."
        ),
    ]
    calendar_revision: int
    catalog_revision: int
    citation: Annotated[
        Citation | None,
        Field(description="The rule's source and its confidence (null for an ad-hoc question)."),
    ]
    flags: Annotated[
        list[Flag],
        Field(
            description="rolled, due_on_day_off (a day off kept as the rule says), "
            "anchor_projected."
        ),
    ]
    notes: Annotated[
        list[str], Field(description="Every interpretation of an unsettled point used.")
    ]
    instalments: Annotated[
        list[InstalmentOut],
        Field(description="One due date per named period when the rule names several."),
    ]
    trace: list[TraceStep]


class BatchItemError(TypedDict):
    index: int
    error: ItemProblem


class BatchItemResult(TypedDict):
    due_date: dt.date | None
    provisional: bool
    flags: Annotated[list[Flag], Field(description="As for a single compute.")]
    start_date: NotRequired[Annotated[dt.date, Field(description="Only when the rule has one.")]]
    instalments: NotRequired[
        Annotated[
            list[InstalmentOut], Field(description="Only when the rule names several periods.")
        ]
    ]
    notes: NotRequired[Annotated[list[str], Field(description="Only with include_trace.")]]
    trace: NotRequired[Annotated[list[TraceStep], Field(description="Only with include_trace.")]]


class BatchRule(TypedDict):
    rule: str
    profile: str
    profile_version: int
    citation: Citation


class BatchResult(TypedDict):
    calendar_revision: int
    catalog_revision: int
    rules: Annotated[
        list[BatchRule],
        Field(
            description="Each (rule, profile) the batch used, once, with its citation: "
            "results do not repeat them."
        ),
    ]
    results: Annotated[
        list[BatchItemResult | BatchItemError],
        Field(
            description="One entry per item, in order: a result, or `{index, error}` (a "
            "problem object) for an item that could not be answered. Results carry no trace "
            "unless include_trace is true."
        ),
    ]
