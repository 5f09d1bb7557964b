"""The dossier-clock answers as their wire values (app/api/dossiers/schemas.py): the appointment's
typed for the endpoint helper, the records' validated by their response models (but the event
ingest's, encoded directly: a test checks it against its model's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import to_json

from app.api.dossiers import schemas as s
from app.api.kit import cursor as pager
from app.api.wire.citation import citation
from app.api.wire.dates import utc_text
from app.db.repositories.dossiers import StoredDossier, StoredEvent
from app.domain.dossiers import VIETNAM, Appointment, ClockState, DossierState, TraceStep
from app.services.dossier_clock import amount_number
from app.services.dossiers import Appended, DossierView, Page


def _at(value: dt.datetime | None) -> dt.datetime | None:
    """An instant in office time (+07:00); stored ones come back from the database in UTC."""
    if value is None or value.tzinfo is VIETNAM:
        return value
    return value.astimezone(VIETNAM)


def _day(value: dt.date | None) -> dt.date | None:
    return value


def iso_duration(value: dt.timedelta) -> str:
    """Working time as an ISO 8601 duration in hours and minutes (a working day is not 24 h):
    PT8H30M, PT0S, -PT6H."""
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    text = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return f"{sign}PT{text or '0S'}"


def minutes(value: dt.timedelta) -> int:
    return int(value.total_seconds() / 60)


def trace_value(step: TraceStep) -> s.AppointmentTraceStep:
    # Instants and dates go to the serializer as they are (ISO 8601, +07:00): no isoformat here.
    cited = step.citation
    return {
        "step": step.step,
        "detail": step.detail,
        "at": step.at,
        "citation": citation(cited) if cited else None,
    }


def appointment_value(found: Appointment) -> s.AppointmentResult:
    return {
        "received_at": found.received_at,
        "counted_from": found.counted_from,
        "receipt_timing": found.receipt_timing,
        "processing": {
            "amount": amount_number(found.processing_time.amount),
            "unit": found.processing_time.unit,
        },
        "schedule": found.schedule,
        "due_at": found.due_at,
        "due_day": found.due_day,
        "provisional": found.provisional,
        "calendar_revision": found.calendar_revision,
        "trace": [trace_value(step) for step in found.trace],
    }


def batch_item_value(index: int, found: Appointment, with_trace: bool) -> s.AppointmentBatchItem:
    body: s.AppointmentBatchItem = {
        "index": index,
        "counted_from": found.counted_from,
        "receipt_timing": found.receipt_timing,
        "due_at": found.due_at,
        "due_day": found.due_day,
        "provisional": found.provisional,
    }
    if with_trace:
        body["trace"] = [trace_value(step) for step in found.trace]
    return body


def _processing(dossier: StoredDossier) -> dict[str, Any]:
    return {"amount": amount_number(dossier.processing_amount), "unit": dossier.processing_unit}


def event_value(event: StoredEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "kind": event.kind,
        "at": _at(event.at),
        "new_due_at": _at(event.new_due_at),
        "note": event.note,
        "recorded_at": event.recorded_at,
    }


def state_value(state: DossierState) -> dict[str, Any]:
    remaining = state.remaining
    return {
        "as_of": _at(state.as_of),
        "status": state.status.value,
        "clock": state.clock.value,
        "rules": state.rules,
        "counted_from": _at(state.counted_from),
        "due_at": _at(state.due_at),
        "due_day": _day(state.due_day),
        "statutory_due_at": _at(state.statutory_due_at),
        "reappointed_due_at": _at(state.reappointed_due_at),
        "elapsed": iso_duration(state.elapsed),
        "elapsed_minutes": minutes(state.elapsed),
        "remaining": iso_duration(remaining) if remaining is not None else None,
        "remaining_minutes": minutes(remaining) if remaining is not None else None,
        "supplement_request_deadline": _at(state.supplement_request_deadline),
        "apology_deadline": _day(state.apology_deadline),
        "completed_at": _at(state.completed_at),
        # the closing is due the day after the applicant's last day (app/domain/dossiers/clock.py)
        "supplement_due_on": (
            state.closing_due_on - dt.timedelta(days=1) if state.closing_due_on else None
        ),
        "closing_due_on": _day(state.closing_due_on),
        "closed_at": _at(state.closed_at),
        "channel": state.channel.value,
        "acceptance": (
            {
                "due_at": _at(state.acceptance_due_at),
                "answered_at": _at(state.accepted_at),
                "status": state.acceptance_status.value,
            }
            if state.acceptance_status is not None
            else None
        ),
        "forward_on": _day(state.forward_on),
        "flags": {
            "paused": state.paused,
            "awaiting_supplement": state.clock is ClockState.AWAITING_SUPPLEMENT,
            "provisional": state.provisional,
            "reappointed": state.reappointed_due_at is not None,
            "reappointment_late": state.reappointment_late,
            "late_supplement_requests": list(state.late_supplement_requests),
            "supplement_breaches": list(state.supplement_breaches),
            "closed_early": state.closed_early,
            "raised": [flag.value for flag in state.raised_flags],
        },
        "calendar_revision": state.calendar_revision,
        "trace": [trace_value(step) for step in state.trace],
    }


def dossier_value(view: DossierView) -> dict[str, Any]:
    d = view.dossier
    return {
        "id": d.id,
        "office": d.office,
        "code": d.code,
        "procedure_code": d.procedure_code,
        "schedule": d.schedule,
        "processing": _processing(d),
        "received_at": _at(d.received_at),
        "channel": d.channel,
        "created_at": d.created_at,
        "state": state_value(view.state),
        "persisted": {
            "status": d.status,
            "tracking": d.tracking,
            "evaluated_at": d.status_evaluated_at,
            "next_check_at": _at(d.next_check_at),
        },
        "events": [event_value(e) for e in view.events],
    }


def appended_json(appended: Appended) -> bytes:
    """`appended_value` encoded as DossierEventsAppended, without building the model: the
    event ingest's answer (the bytes of model_dump_json, which a test checks)."""
    value = appended_value(appended)
    for event in value["events"]:
        event["recorded_at"] = utc_text(event["recorded_at"])  # the model's UtcDateTime
    return to_json(value)


def appended_value(appended: Appended) -> dict[str, Any]:
    state = appended.state
    return {
        "dossier_id": appended.dossier_id,
        "events": [event_value(e) for e in appended.events],
        "previous_status": appended.previous_status.value,
        "status": state.status.value,
        "clock": state.clock.value,
        "due_at": _at(state.due_at),
        "statutory_due_at": _at(state.statutory_due_at),
        "as_of": _at(state.as_of),
    }


def summary_value(d: StoredDossier) -> dict[str, Any]:
    return {
        "id": d.id,
        "office": d.office,
        "code": d.code,
        "procedure_code": d.procedure_code,
        "schedule": d.schedule,
        "processing": _processing(d),
        "received_at": _at(d.received_at),
        "status": d.status,
        "clock": d.clock,
        "due_at": _at(d.due_at),
        "statutory_due_at": _at(d.statutory_due_at),
        "apology_deadline": _day(d.apology_deadline),
        "completed_at": _at(d.completed_at),
        "status_evaluated_at": d.status_evaluated_at,
        "channel": d.channel,
        "acceptance_due_at": _at(d.acceptance_due_at),
        "flags": list(d.flags),
        "tracking": d.tracking,
    }


def page_value(page: Page) -> dict[str, Any]:
    after = page.next_cursor
    return {
        "items": [summary_value(d) for d in page.items],
        "next_cursor": pager.encode("dossiers", after) if after is not None else None,
    }
