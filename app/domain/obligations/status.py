"""The status of an obligation, on record and as of a given day."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class ObligationStatus(StrEnum):
    PENDING = "pending"  # open, not yet past its due date
    OVERDUE = "overdue"  # open, past its due date ("chậm nhất" is inclusive: due day + 1)
    DONE = "done"  # completed on or before the due date
    DONE_LATE = "done_late"  # completed after the due date
    WAIVED = "waived"  # no longer required, with the reason given


OPEN = frozenset({ObligationStatus.PENDING, ObligationStatus.OVERDUE})
CLOSED = frozenset({ObligationStatus.DONE, ObligationStatus.DONE_LATE, ObligationStatus.WAIVED})


def status_as_of(stored: ObligationStatus, due_date: dt.date | None, as_of: dt.date) -> str:
    """Open duties are evaluated on `as_of`: overdue from the day after the due date (the due
    day itself is still in time, "chậm nhất ngày D" is inclusive,
    docs/legal-basis.md#counting-before);
    closed ones keep their recorded status."""
    if stored not in OPEN:
        return stored.value
    if due_date is not None and due_date < as_of:
        return ObligationStatus.OVERDUE.value
    return ObligationStatus.PENDING.value


def completion_status(due_date: dt.date | None, completed_on: dt.date) -> ObligationStatus:
    """Done in time when completed on or before the due date; a duty with no due date yet
    (waiting for an anchor) cannot be late."""
    if due_date is not None and completed_on > due_date:
        return ObligationStatus.DONE_LATE
    return ObligationStatus.DONE


def procedure_status(abolished_on: dt.date | None, as_of: dt.date) -> str:
    """A catalog procedure is abolished from the day its abolition takes effect."""
    return "abolished" if abolished_on is not None and abolished_on <= as_of else "active"
