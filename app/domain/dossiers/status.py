"""The status of a dossier from its clock (definitions in state.DossierStatus)."""

from __future__ import annotations

import datetime as dt

from app.domain.dossiers.state import DossierStatus


def open_status(
    reference: dt.datetime,
    due_at: dt.datetime,
    remaining: dt.timedelta,
    due_soon_within: dt.timedelta,
) -> DossierStatus:
    """`reference` is now for a running clock, or the instant a stopped clock stopped: a stopped
    clock keeps the status it had when it stopped."""
    if reference > due_at:
        return DossierStatus.OVERDUE
    if remaining <= due_soon_within:
        return DossierStatus.DUE_SOON
    return DossierStatus.ON_TIME


def completed_status(
    completed_at: dt.datetime, due_at: dt.datetime, due_day: dt.date
) -> DossierStatus:
    if completed_at > due_at:
        return DossierStatus.COMPLETED_LATE
    if completed_at.date() < due_day:
        return DossierStatus.COMPLETED_EARLY
    return DossierStatus.COMPLETED_ON_TIME
