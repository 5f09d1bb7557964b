"""The event ingest's answer is encoded without building its model (app/api/dossiers/present.py,
appended_json): for any appended events and state, the bytes are those of
DossierEventsAppended.model_dump_json, the declared response model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.dossiers import present
from app.api.dossiers import schemas as s
from app.data.calendar import seed_adjustments, seed_years
from app.data.dossiers import dossier_rule_book, office_schedule
from app.db.repositories.dossiers import StoredEvent
from app.domain.calendar import CalendarSnapshot, build_snapshot
from app.domain.dossiers import (
    DossierEvent,
    DossierState,
    DossierStatus,
    EventKind,
    ProcessingTime,
    TimeUnit,
    derive_state,
)
from app.services.dossiers import Appended

ICT = dt.timezone(dt.timedelta(hours=7))
RECEIVED = dt.datetime(2025, 3, 3, 8, 0, tzinfo=ICT)
# Histories ending in each clock state: running, paused, awaiting a supplement, stopped
# (completed), and re-appointed (a due date later than the statutory one).
HISTORIES = (
    (),
    ((EventKind.PAUSED, 1, None),),
    ((EventKind.SUPPLEMENT_REQUESTED, 1, None),),
    ((EventKind.COMPLETED, 50, None),),
    ((EventKind.REAPPOINTED, 100, dt.datetime(2025, 5, 5, 9, 0, tzinfo=ICT)),),
)

instants = st.datetimes(
    dt.datetime(2024, 1, 1), dt.datetime(2030, 12, 31), timezones=st.sampled_from([dt.UTC, ICT])
)


@pytest.fixture(scope="module")
def states() -> list[DossierState]:
    calendar: CalendarSnapshot = build_snapshot(seed_adjustments(), seed_years(), revision=1)
    found = []
    for history in HISTORIES:
        events = [DossierEvent(EventKind.RECEIVED, RECEIVED)] + [
            DossierEvent(kind, RECEIVED + dt.timedelta(hours=hours), new_due)
            for kind, hours, new_due in history
        ]
        found.append(
            derive_state(
                events,
                ProcessingTime(Decimal(15), TimeUnit.WORKING_DAYS),
                office_schedule("default"),
                calendar,
                dossier_rule_book(),
                as_of=events[-1].at + dt.timedelta(hours=1),
            )
        )
    return found


@settings(max_examples=200, deadline=None)
@given(
    which=st.integers(0, len(HISTORIES) - 1),
    events=st.lists(
        st.tuples(
            st.sampled_from(list(EventKind)),
            instants,
            st.none() | instants,
            st.none() | st.text(max_size=40),
            instants,
        ),
        min_size=1,
        max_size=4,
    ),
    previous=st.sampled_from(list(DossierStatus)),
    dossier_id=st.integers(1, 2**53),
)
def test_the_ingest_answer_is_the_models_json(
    states: list[DossierState],
    which: int,
    events: list[tuple[EventKind, dt.datetime, dt.datetime | None, str | None, dt.datetime]],
    previous: DossierStatus,
    dossier_id: int,
) -> None:
    appended = Appended(
        dossier_id,
        tuple(
            StoredEvent(seq, kind.value, at, new_due, note, recorded)
            for seq, (kind, at, new_due, note, recorded) in enumerate(events, start=1)
        ),
        previous,
        states[which],
    )
    model = s.DossierEventsAppended.model_validate(present.appended_value(appended))
    assert present.appended_json(appended) == model.model_dump_json().encode()
