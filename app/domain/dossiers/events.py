"""What happens to a dossier, as an append-only list of timed events."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from app.domain.dossiers.local_time import to_local
from app.domain.errors import DomainError
from app.domain.values import value


class EventKind(StrEnum):
    RECEIVED = "received"  # the dossier is complete and accepted: the clock starts
    SUPPLEMENT_REQUESTED = (
        "supplement_requested"  # incomplete: the clock stops (ND 61/2018 Art. 19(4))
    )
    RESUBMITTED = "resubmitted"  # the supplemented dossier is back: the clock restarts
    PAUSED = "paused"  # any other stop the procedure allows (inspection, fees...)
    RESUMED = "resumed"
    COMPLETED = "completed"  # the result is ready / returned
    REAPPOINTED = "reappointed"  # apology and new appointment (ND 61/2018 Art. 19(9))
    # The applicant did not complete a returned dossier: the office closes it (ND 118/2025
    # Art. 19(5)). Terminal, like `completed`.
    CLOSED = "closed"
    # A dossier accepted regardless of administrative boundary reaches the competent agency:
    # from 5/8/2026 its clock starts then (ND 118/2025 Art. 17(3) as replaced by ND 309/2026).
    RECEIVED_BY_COMPETENT_AGENCY = "received_by_competent_agency"
    # An online dossier officially accepted after the system's receipt (ND 118/2025 Art.
    # 17(2)(c)): answers the acceptance deadline; the processing clock is not moved.
    ACCEPTED = "accepted"


@value
class DossierEvent:
    kind: EventKind
    at: dt.datetime  # aware
    new_due_at: dt.datetime | None = None  # the new appointment, for REAPPOINTED only


def checked_event(
    index: int, event: DossierEvent, *, previous_at: dt.datetime | None, completed: bool
) -> dt.datetime:
    """The checks that need no clock: kind, offset, time order, first and last events. Returns
    the event's instant in office time."""
    where = f"events[{index}]"
    if not isinstance(event.kind, EventKind):
        raise DomainError(f"{where}: unknown event kind {event.kind!r}", field=f"{where}.kind")
    at = to_local(event.at, f"{where}.at")
    if previous_at is not None and at < previous_at:
        raise DomainError(
            f"{where} ({event.kind.value}) at {at.isoformat()} is before the previous event "
            f"at {previous_at.isoformat()}: events must be in time order",
            field=f"{where}.at",
        )
    if (event.new_due_at is not None) != (event.kind is EventKind.REAPPOINTED):
        raise DomainError(
            f"{where}: new_due_at is required for `reappointed` and only there",
            field=f"{where}.new_due_at",
        )
    if (index == 0) != (event.kind is EventKind.RECEIVED):
        why = (
            "a dossier's events start with `received`"
            if index == 0
            else "a dossier is received once; a supplemented one is `resubmitted`"
        )
        raise DomainError(f"{where} is `{event.kind.value}`: {why}", field=f"{where}.kind")
    if completed:
        raise DomainError(
            f"{where} ({event.kind.value}) comes after `completed` or `closed`: nothing may "
            "follow them",
            field=f"{where}.kind",
        )
    return at
