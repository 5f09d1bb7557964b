"""Request and response bodies of the dossier-clock API.

The appointment (the portal's hottest route) reads and answers TypedDicts through the endpoint
helper (app/api/kit/endpoint.py); the other routes are plain FastAPI with these types. Model names
start with Dossier/Appointment so that they never collide with other routers' components.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, NotRequired

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict

from app.api.wire.citation import Citation
from app.api.wire.dates import UtcDateTime
from app.api.wire.page import Page
from app.api.wire.problem import ItemProblem
from app.domain.dossiers import (
    AcceptanceStatus,
    Channel,
    ClockState,
    DossierFlag,
    DossierStatus,
    EventKind,
    ReceiptTiming,
    TimeUnit,
)

MAX_BATCH = 10_000
MAX_EVENTS_PER_REQUEST = 100

_NO_BLANK_ENDS = r"^\S(?:.*\S)?$"
_AWARE = (
    "Date-time WITH a UTC offset (e.g. 2024-03-05T09:00:00+07:00 or …Z); a date-time "
    "without an offset is refused with 422: read in the wrong zone it could move a receipt "
    "across closing time."
)


def _one_of(values: type[StrEnum], description: str, **extra: Any) -> Any:
    """A string whose values are the domain enum's, listed in the schema (no enum component:
    other routers have enums of the same names)."""
    return Field(
        description=description, json_schema_extra={"enum": [v.value for v in values]}, **extra
    )


# -- requests -------------------------------------------------------------------------------


@with_config(ConfigDict(extra="forbid"))
class ProcessingIn(TypedDict):
    """The procedure's processing time (thời hạn giải quyết)."""

    amount: Annotated[
        Decimal,
        Field(
            gt=0,
            allow_inf_nan=False,
            description="Working days in steps of half a day (≤ 365), working hours in steps "
            "of a minute (≤ 2 920) or calendar days, whole (≤ 730). Larger amounts are taken "
            "for typing errors and refused.",
            examples=[3],
        ),
    ]
    unit: Annotated[
        TimeUnit,
        Field(description="working_days, working_hours or calendar_days (ngày thông thường)."),
    ]


Schedule = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="The office schedule (hours, after-hours policy, appointments by session): "
        "default, saturday-morning-reception, by-session (nhận sáng trả sáng, nhận chiều trả "
        "chiều: the AM/PM option).",
        examples=["default"],
    ),
]


@with_config(ConfigDict(extra="forbid"))
class AppointmentIn(TypedDict):
    received_at: Annotated[AwareDatetime, Field(description=_AWARE)]
    processing: ProcessingIn
    schedule: NotRequired[Schedule]


@with_config(ConfigDict(extra="forbid"))
class AppointmentBatchIn(TypedDict):
    items: Annotated[
        list[Any],
        Field(
            max_length=MAX_BATCH,
            description=f"At most {MAX_BATCH:,} appointment requests, each validated alone.",
        ),
    ]
    include_trace: NotRequired[
        Annotated[bool, Field(strict=True, description="Add each result's trace (default false).")]
    ]


Code = Annotated[str, Field(min_length=1, max_length=100, pattern=_NO_BLANK_ENDS)]
Note = Annotated[str, Field(min_length=1, max_length=1000)]


@with_config(ConfigDict(extra="forbid"))
class DossierIn(TypedDict):
    office: Annotated[
        Code, Field(description="The receiving office's code.", examples=["ubnd-phuong-1"])
    ]
    code: Annotated[
        Code,
        Field(
            description="The dossier's code (mã hồ sơ), unique within its office.",
            examples=["H12.34-240305-0001"],
        ),
    ]
    procedure_code: NotRequired[
        Annotated[
            str | None,
            Field(
                min_length=1,
                max_length=50,
                pattern=_NO_BLANK_ENDS,
                description="The national procedure code (mã TTHC), when known.",
                examples=["1.001234"],
            ),
        ]
    ]
    schedule: NotRequired[Schedule]
    processing: NotRequired[
        Annotated[
            ProcessingIn,
            Field(
                description="The processing time. May be left out when `procedure_code` names "
                "a catalog entry with one (PUT /v1/procedures/{code}): that one is used (the "
                "catalog's `hours` are working hours)."
            ),
        ]
    ]
    received_at: Annotated[
        AwareDatetime,
        Field(
            description="When the complete dossier was received: the clock starts. For an "
            "online dossier, the system's receipt. " + _AWARE
        ),
    ]
    channel: NotRequired[
        Annotated[
            Channel,
            Field(
                description="counter (default), online or post. From 1/7/2025 an online "
                "dossier must be accepted, or a supplement requested, within 8 working hours "
                "(Nghị định 118/2025/NĐ-CP Điều 17 khoản 2 điểm c); a paper one received after "
                "15:00 is forwarded the next working day (Điều 18 khoản 2)."
            ),
        ]
    ]
    note: NotRequired[Note | None]


@with_config(ConfigDict(extra="forbid"))
class EventIn(TypedDict):
    kind: Annotated[
        EventKind,
        Field(
            description="supplement_requested (the clock stops; ND 61/2018 Art. 19(4)), "
            "resubmitted (it restarts from zero), paused / resumed (the time between does "
            "not count), reappointed (apology and new appointment, once; Art. 19(9)), "
            "completed (nothing may follow), closed (a returned dossier not completed, from "
            "1/7/2025), received_by_competent_agency (a cross-boundary dossier; from 5/8/2026 "
            "its clock starts there), accepted (an online dossier's official acceptance, once, "
            "before any supplement request). `received` is recorded at creation."
        ),
    ]
    at: Annotated[AwareDatetime, Field(description="When it happened. " + _AWARE)]
    new_due_at: NotRequired[
        Annotated[
            AwareDatetime | None,
            Field(description="The new appointment: required for `reappointed`, only there."),
        ]
    ]
    note: NotRequired[Note | None]


@with_config(ConfigDict(extra="forbid"))
class EventsIn(TypedDict):
    events: Annotated[
        list[EventIn],
        Field(
            min_length=1,
            max_length=MAX_EVENTS_PER_REQUEST,
            description="Appended in order after the recorded ones, all or none.",
        ),
    ]


APPOINTMENT_IN = TypeAdapter(AppointmentIn)
APPOINTMENT_BATCH_IN = TypeAdapter(AppointmentBatchIn)
DOSSIER_IN = TypeAdapter(DossierIn)
EVENTS_IN = TypeAdapter(EventsIn)


# -- responses ------------------------------------------------------------------------------


class AppointmentTraceStep(TypedDict):
    step: Annotated[str, Field(description="received, counted, placed, half_day, hours, rolled, …")]
    detail: str
    at: Annotated[dt.datetime | None, Field(description="The instant the step reached.")]
    citation: Annotated[
        Citation | None,
        Field(description="The rule applied: the legal document, its article, the confidence."),
    ]


class DossierProcessing(TypedDict):
    amount: Annotated[int | float, Field(examples=[3])]
    unit: Annotated[TimeUnit, Field(description="The unit.")]


class AppointmentResult(TypedDict):
    received_at: Annotated[dt.datetime, Field(description="As received, in office time (+07:00).")]
    counted_from: Annotated[
        dt.datetime,
        Field(
            description="Where the clock starts: the receipt, or the next opening for a receipt "
            "after hours, before opening, between sessions or on a day off."
        ),
    ]
    receipt_timing: Annotated[ReceiptTiming, Field(description="How the receipt time was read.")]
    processing: DossierProcessing
    schedule: str
    due_at: Annotated[dt.datetime, Field(description="The appointment (giờ hẹn trả), +07:00.")]
    due_day: Annotated[
        dt.date,
        Field(
            description="The day to print on the slip (a calendar-day period ending at 24:00 "
            "has due_at at 00:00 of the next day)."
        ),
    ]
    provisional: Annotated[
        bool,
        Field(description="The answer rests on a day whose holiday schedule is not decided yet."),
    ]
    calendar_revision: int
    trace: list[AppointmentTraceStep]


class AppointmentBatchError(TypedDict):
    index: int
    error: ItemProblem


class AppointmentBatchItem(TypedDict):
    index: int
    counted_from: dt.datetime
    receipt_timing: Annotated[ReceiptTiming, Field(description="How the receipt time was read.")]
    due_at: dt.datetime
    due_day: dt.date
    provisional: bool
    trace: NotRequired[
        Annotated[list[AppointmentTraceStep], Field(description="Only with include_trace.")]
    ]


class AppointmentBatchResult(TypedDict):
    calendar_revision: int
    results: Annotated[
        list[AppointmentBatchItem | AppointmentBatchError],
        Field(
            description="One entry per item, in order: a result, or `{index, error}` with the "
            "problem a single request would get (`errors[].field` like "
            "`items[3].received_at`)."
        ),
    ]


class DossierEventOut(BaseModel):
    seq: int = Field(description="Position in the dossier's history; 0 is the receipt.")
    kind: str = _one_of(EventKind, "The event.")
    at: dt.datetime
    new_due_at: dt.datetime | None
    note: str | None
    recorded_at: UtcDateTime


class DossierFlags(BaseModel):
    paused: bool = Field(description="The clock is stopped (pause or supplement wait).")
    awaiting_supplement: bool
    provisional: bool
    reappointed: bool
    reappointment_late: bool | None = Field(
        description="The apology went out after its deadline; null without re-appointment."
    )
    late_supplement_requests: list[int] = Field(
        description="Seqs of supplement requests made after their 3-working-day deadline."
    )
    supplement_breaches: list[int] = Field(
        default_factory=list,
        description="Seqs of supplement requests beyond the number the law allows: recorded, "
        "and flagged as a breach (from 1/7/2025 one request per dossier, Nghị định "
        "118/2025/NĐ-CP Điều 11 khoản 2 điểm c).",
    )
    closed_early: bool | None = Field(
        default=None,
        description="The dossier was closed before `closing_due_on`; null when not closed.",
    )
    raised: list[str] = Field(
        default_factory=list,
        description="The breaches, by name, as the list filters on them (`flag`).",
        json_schema_extra={"items": {"enum": [f.value for f in DossierFlag]}},
    )


class DossierAcceptance(BaseModel):
    """Online dossiers from 1/7/2025 (Nghị định 118/2025/NĐ-CP Điều 17 khoản 2 điểm c)."""

    due_at: dt.datetime = Field(
        description="8 working hours after the system's receipt in the office's hours; a "
        "receipt outside them counts from the next opening (practice, confidence ?)."
    )
    answered_at: dt.datetime | None = Field(
        description="The first `accepted` or `supplement_requested` (or `completed`)."
    )
    status: str = _one_of(AcceptanceStatus, "pending, met or missed.")


class DossierClock(BaseModel):
    as_of: dt.datetime
    status: str = _one_of(
        DossierStatus,
        "Open: on_time, due_soon (at most one working day left), overdue; completed: early "
        "(before the due day), on_time, late; closed: closed without a result (the returned "
        "dossier was not completed, Nghị định 118/2025/NĐ-CP Điều 19 khoản 5).",
    )
    clock: str = _one_of(
        ClockState, "running, paused, awaiting_supplement, stopped (completed), closed."
    )
    rules: str = Field(description="The rules version in force at receipt, e.g. nd-61-2018.")
    counted_from: dt.datetime = Field(description="Start of the current clock.")
    due_at: dt.datetime | None = Field(
        description="The appointment the citizen holds (the re-appointment when later); null "
        "while a supplement is awaited (the processing time restarts on resubmission)."
    )
    due_day: dt.date | None
    statutory_due_at: dt.datetime | None = Field(
        description="The end of the processing time; the status is measured against it."
    )
    reappointed_due_at: dt.datetime | None
    elapsed: str = Field(
        description="Working time counted, ISO 8601 duration.", examples=["PT8H30M"]
    )
    elapsed_minutes: int
    remaining: str | None = Field(
        description="Working time left before statutory_due_at, ISO 8601; negative "
        "(e.g. -PT6H) when late.",
        examples=["PT2H"],
    )
    remaining_minutes: int | None = Field(description="Whole minutes, rounded toward zero.")
    supplement_request_deadline: dt.datetime
    apology_deadline: dt.date | None = Field(
        description="Last day to send the apology and new appointment (Nghị định 61/2018/NĐ-CP "
        "Điều 19 khoản 9; from 1/7/2025 Nghị định 118/2025/NĐ-CP Điều 19 khoản 6)."
    )
    completed_at: dt.datetime | None
    supplement_due_on: dt.date | None = Field(
        default=None,
        description="While a returned dossier awaits its supplement (from 1/7/2025): the last "
        "day the applicant may complete it, the 15th day after the notice (its day not "
        "counted), moved to the next working day when that day is off (Nghị định "
        "118/2025/NĐ-CP Điều 19 khoản 5; Bộ luật Dân sự 2015 Điều 147, 148).",
    )
    closing_due_on: dt.date | None = Field(
        default=None,
        description="While a returned dossier awaits its supplement (from 1/7/2025): the day "
        "it becomes due for closing, the day after the 15 days from the notice end (Nghị định "
        "118/2025/NĐ-CP Điều 19 khoản 5; the notice day not counted and a last day off moved "
        "to the next working day, Bộ luật Dân sự 2015 Điều 147, 148).",
    )
    closed_at: dt.datetime | None = Field(
        default=None, description="When the office closed the dossier without a result."
    )
    channel: str = _one_of(Channel, "counter, online or post.", default="counter")
    acceptance: DossierAcceptance | None = Field(
        default=None, description="Online dossiers from 1/7/2025; null otherwise."
    )
    forward_on: dt.date | None = Field(
        default=None,
        description="Paper dossiers from 1/7/2025: the day the one-stop section forwards it "
        "(the next working day when received at or after 15:00, Nghị định 118/2025/NĐ-CP Điều "
        "18 khoản 2).",
    )
    flags: DossierFlags
    calendar_revision: int
    trace: list[AppointmentTraceStep]


Tracking = Annotated[
    Literal["tracked", "beyond_calendar", "unevaluable"],
    Field(
        description="`tracked`, or why the scanner cannot follow the dossier: its clock runs "
        "past the supported calendar (`beyond_calendar`) or its data no longer supports it "
        "(`unevaluable`); announced by `dossier.tracking_suspended`, followed again once a scan "
        "can evaluate it."
    ),
]


class DossierPersisted(BaseModel):
    status: str = _one_of(DossierStatus, "The status the list filters on.")
    tracking: Tracking = "tracked"
    evaluated_at: UtcDateTime = Field(
        description="When it was derived (last write or scanner pass)."
    )
    next_check_at: dt.datetime | None = Field(
        description="When the scanner looks again (next status change or apology deadline)."
    )


class DossierOut(BaseModel):
    id: int
    office: str
    code: str
    procedure_code: str | None
    schedule: str
    processing: DossierProcessing
    received_at: dt.datetime
    channel: str = _one_of(Channel, "counter, online or post.", default="counter")
    created_at: UtcDateTime
    state: DossierClock = Field(description="Derived from the events as of `as_of`.")
    persisted: DossierPersisted
    events: list[DossierEventOut] = Field(description="The timeline, in order.")


class DossierEventsAppended(BaseModel):
    dossier_id: int
    events: list[DossierEventOut] = Field(description="The events appended, with their seqs.")
    previous_status: str = _one_of(DossierStatus, "Before these events.")
    status: str = _one_of(DossierStatus, "After them, as of `as_of`.")
    clock: str = _one_of(ClockState, "After them.")
    due_at: dt.datetime | None
    statutory_due_at: dt.datetime | None
    as_of: dt.datetime


class DossierSummary(BaseModel):
    id: int
    office: str
    code: str
    procedure_code: str | None
    schedule: str
    processing: DossierProcessing
    received_at: dt.datetime
    status: str = _one_of(DossierStatus, "As of status_evaluated_at.")
    clock: str = _one_of(ClockState, "The clock.")
    due_at: dt.datetime | None
    statutory_due_at: dt.datetime | None
    apology_deadline: dt.date | None
    completed_at: dt.datetime | None
    status_evaluated_at: UtcDateTime
    channel: str = _one_of(Channel, "counter, online or post.", default="counter")
    acceptance_due_at: dt.datetime | None = Field(
        default=None, description="Online dossiers from 1/7/2025."
    )
    flags: list[str] = Field(
        default_factory=list,
        description="The breaches as of status_evaluated_at (filter with `flag`).",
        json_schema_extra={"items": {"enum": [f.value for f in DossierFlag]}},
    )
    tracking: Tracking = "tracked"


class DossierPage(Page[DossierSummary]):
    pass
