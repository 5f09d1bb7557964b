"""Citizen dossiers (hồ sơ TTHC) and their clock events.

The events are the record; the clock columns of `dossiers` (status, due, next check) are what
the domain derived from them at the last write or scanner pass, kept so that lists filter by
status and the scanner finds what is due without folding every dossier.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base

STATUSES = (
    "on_time",
    "due_soon",
    "overdue",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "closed",
)
CLOCKS = ("running", "paused", "awaiting_supplement", "stopped", "closed")
UNITS = ("working_days", "working_hours", "calendar_days")
EVENT_KINDS = (
    "received",
    "supplement_requested",
    "resubmitted",
    "paused",
    "resumed",
    "completed",
    "reappointed",
    "closed",
    "received_by_competent_agency",
    "accepted",
)
CHANNELS = ("counter", "online", "post")
FLAGS = (
    "supplement_breach",
    "late_supplement_request",
    "acceptance_missed",
    "reappointment_late",
    "closed_early",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _code(column: str, longest: int) -> str:
    """A code: 1..longest characters, no leading or trailing blanks."""
    return f"length({column}) BETWEEN 1 AND {longest} AND btrim({column}) = {column}"


# Sanity bounds of a processing time (app.domain.dossiers.processing.MAX_AMOUNT): an amount past
# them is a typing error, refused by the domain and, should a buggy writer bypass it, here.
PROCESSING_BOUNDS = (
    "(processing_unit = 'working_days' AND processing_amount <= 365"
    " AND processing_amount * 2 = trunc(processing_amount * 2))"
    " OR (processing_unit = 'working_hours' AND processing_amount <= 2920"
    " AND processing_amount * 60 = trunc(processing_amount * 60))"
    " OR (processing_unit = 'calendar_days' AND processing_amount <= 730"
    " AND processing_amount = trunc(processing_amount))"
)
TRACKING = ("tracked", "beyond_calendar", "unevaluable")
COMPLETED = "status IN ('completed_early', 'completed_on_time', 'completed_late')"


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint("office", "code"),
        CheckConstraint(_code("office", 100), name="office_code"),
        CheckConstraint(_code("code", 100), name="code_given"),
        CheckConstraint(
            f"procedure_code IS NULL OR ({_code('procedure_code', 50)})", name="procedure_code"
        ),
        CheckConstraint(_code("schedule", 100), name="schedule_given"),
        CheckConstraint("processing_amount > 0", name="processing_positive"),
        CheckConstraint(_in("processing_unit", UNITS), name="processing_unit"),
        CheckConstraint(PROCESSING_BOUNDS, name="processing_bounds"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("clock", CLOCKS), name="clock"),
        CheckConstraint(_in("tracking", TRACKING), name="tracking"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(
            f"flags <@ ARRAY[{', '.join(repr(f) for f in FLAGS)}]::text[]", name="flags"
        ),
        CheckConstraint(f"(clock = 'stopped') = ({COMPLETED})", name="stopped_iff_completed"),
        CheckConstraint(
            "(clock = 'stopped') = (completed_at IS NOT NULL)", name="completed_at_iff_stopped"
        ),
        CheckConstraint("event_count >= 1", name="has_received"),
        CheckConstraint("last_event_at >= received_at", name="events_after_receipt"),
        CheckConstraint("status_evaluated_at >= last_event_at", name="evaluated_after_events"),
        Index("ix_dossiers_status_id", "status", "id"),
        Index("ix_dossiers_office_id", "office", "id"),
        Index("ix_dossiers_office_status_id", "office", "status", "id"),
        Index("ix_dossiers_flags", "flags", postgresql_using="gin"),
        Index(
            "ix_dossiers_next_check_at",
            "next_check_at",
            postgresql_where=text("next_check_at IS NOT NULL"),
        ),
        Index("ix_dossiers_untracked", "id", postgresql_where=text("tracking <> 'tracked'")),
        Index(
            "ix_dossiers_open_calendar_revision",
            "calendar_revision",
            postgresql_where=text("clock <> 'stopped'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    office: Mapped[str] = mapped_column(Text, nullable=False)
    code: Mapped[str] = mapped_column(Text, nullable=False)
    procedure_code: Mapped[str | None] = mapped_column(Text)
    schedule: Mapped[str] = mapped_column(Text, nullable=False)
    processing_amount: Mapped[Decimal] = mapped_column(Numeric(7, 2), nullable=False)
    processing_unit: Mapped[str] = mapped_column(Text, nullable=False)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # How it came in: counter | online | post (ND 118/2025 Art. 17(2), 18(2)).
    channel: Mapped[str] = mapped_column(Text, nullable=False, server_default="counter")
    rules: Mapped[str] = mapped_column(Text, nullable=False)
    # Derived from the events at the last write or scanner pass (as of status_evaluated_at).
    status: Mapped[str] = mapped_column(Text, nullable=False)
    clock: Mapped[str] = mapped_column(Text, nullable=False)
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    statutory_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    apology_deadline: Mapped[dt.date | None] = mapped_column(Date)
    apology_notified_for: Mapped[dt.date | None] = mapped_column(Date)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Online dossiers: the acceptance deadline (Art. 17(2)(c)); the breaches the list filters on.
    acceptance_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    flags: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default=text("'{}'")
    )
    event_count: Mapped[int] = mapped_column(Integer, nullable=False)
    last_event_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status_evaluated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False
    )
    next_check_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # 'beyond_calendar' while the scanner cannot evaluate the clock because it runs past the
    # supported calendar, 'unevaluable' when its data no longer supports it (no next_check_at
    # either way); 'tracked' again after the first scan that can.
    tracking: Mapped[str] = mapped_column(Text, nullable=False, server_default="tracked")
    calendar_revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    created_by: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class DossierEvent(Base):
    """One clock event, in order (`seq` 0 is the receipt). Append-only."""

    __tablename__ = "dossier_events"
    __table_args__ = (
        UniqueConstraint("dossier_id", "seq"),
        CheckConstraint("seq >= 0", name="seq_positive"),
        CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),
        CheckConstraint("(seq = 0) = (kind = 'received')", name="received_first_and_once"),
        CheckConstraint(
            "(kind = 'reappointed') = (new_due_at IS NOT NULL)", name="new_due_iff_reappointed"
        ),
        CheckConstraint("note IS NULL OR length(note) <= 1000", name="note_length"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("dossiers.id", ondelete="CASCADE"), nullable=False
    )
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    new_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
