"""Publication decisions, the procedures they publish, the procedure catalog, and the
obligations (tracked duties) each decision creates, with every change to a due date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base

# National procedure codes: one digit, a dot, six digits ("1.001234", "2.000123").
PROCEDURE_CODE_SQL = "~ '^[0-9]\\.[0-9]{6}$'"
DECISION_KINDS = ("new", "amended", "replaced", "abolished", "list", "internal")
PROCEDURE_ACTIONS = ("new", "amended", "replaced", "abolished")
PROCEDURE_LEVELS = ("central", "province", "district", "commune")

# The tables keep the spellings from before the API had one vocabulary of levels and units
# (app/domain/levels.py and app/domain/dossiers/processing.py read them back): a national
# decision is stored as "ministry", a national procedure as "central", working hours as "hours".


def stored_decision_level(level: str) -> str:
    return "ministry" if level == "national" else level


def stored_procedure_level(level: str | None) -> str | None:
    return "central" if level == "national" else level


def stored_processing_unit(unit: str | None) -> str | None:
    return "hours" if unit == "working_hours" else unit


OBLIGATION_STATUSES = ("pending", "overdue", "done", "done_late", "waived")
CHANGE_REASONS = ("calendar_changed", "decision_corrected", "anchor_completed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Decision(Base):
    """A publication decision (Quyết định công bố TTHC), e.g. 467/QĐ-UBND."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("issuer", "number"),
        # the target of obligations' (decision_id, profile_code): their copy cannot disagree
        UniqueConstraint("id", "profile_code"),
        CheckConstraint("length(btrim(number)) > 0", name="number_given"),
        CheckConstraint("length(btrim(issuer)) > 0", name="issuer_given"),
        CheckConstraint("level IN ('ministry', 'province')", name="level"),
        CheckConstraint(_in("kind", DECISION_KINDS), name="kind"),
        CheckConstraint("effective_on >= signed_on", name="effective_after_signing"),
        CheckConstraint(
            "ministry_list_signed_on IS NULL OR ministry_list_signed_on <= signed_on",
            name="list_before_decision",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_decisions_signed_on_id", "signed_on", "id"),
        Index("ix_decisions_profile_code", "profile_code"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(Text, nullable=False)
    issuer: Mapped[str] = mapped_column(Text, nullable=False)
    level: Mapped[str] = mapped_column(Text, nullable=False)
    shortened: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    profile_code: Mapped[str] = mapped_column(
        Text, ForeignKey("profiles.code", ondelete="RESTRICT"), nullable=False
    )
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    effective_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ministry_list_signed_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    catalog_revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    profile_version: Mapped[int] = mapped_column(Integer, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    created_by: Mapped[str] = mapped_column(Text, nullable=False)
    updated_by: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class Procedure(Base):
    """The procedure catalog: one row per national procedure code. `abolished_on`: from that
    day the procedure is abolished (set by an abolishing decision's effective date, or by PUT)."""

    __tablename__ = "procedures"
    __table_args__ = (
        CheckConstraint(f"code {PROCEDURE_CODE_SQL}", name="code_format"),
        CheckConstraint("length(btrim(name)) > 0", name="name_given"),
        CheckConstraint(f"level IS NULL OR {_in('level', PROCEDURE_LEVELS)}", name="level"),
        CheckConstraint(
            "(processing_amount IS NULL) = (processing_unit IS NULL)", name="processing_pair"
        ),
        CheckConstraint(
            "processing_amount IS NULL OR processing_amount >= 0", name="processing_amount"
        ),
        CheckConstraint(
            "processing_unit IS NULL OR processing_unit IN "
            "('working_days', 'calendar_days', 'hours')",
            name="processing_unit",
        ),
        CheckConstraint(
            "abolished_by_decision_id IS NULL OR abolished_on IS NOT NULL",
            name="abolished_by_has_date",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    field: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(Text)
    processing_amount: Mapped[int | None] = mapped_column(Integer)
    processing_unit: Mapped[str | None] = mapped_column(Text)
    processing_note: Mapped[str | None] = mapped_column(Text)
    abolished_on: Mapped[dt.date | None] = mapped_column(Date)
    abolished_by_decision_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("decisions.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    updated_by: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class ProcedureVersion(Base):
    """Every version a catalog entry has had, and what made it (a PUT or a decision)."""

    __tablename__ = "procedure_versions"

    code: Mapped[str] = mapped_column(
        Text, ForeignKey("procedures.code", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    cause: Mapped[str] = mapped_column(Text, nullable=False)
    changed_by: Mapped[str] = mapped_column(Text, nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class DecisionProcedure(Base):
    """A procedure as a decision publishes it: the name it gives, what it does to it."""

    __tablename__ = "decision_procedures"
    __table_args__ = (
        CheckConstraint(_in("action", PROCEDURE_ACTIONS), name="action"),
        CheckConstraint("length(btrim(name)) > 0", name="name_given"),
        CheckConstraint("position >= 0", name="position"),
        UniqueConstraint("decision_id", "position"),
        Index("ix_decision_procedures_procedure_code", "procedure_code", "decision_id"),
    )

    decision_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True
    )
    procedure_code: Mapped[str] = mapped_column(
        Text, ForeignKey("procedures.code", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    action: Mapped[str] = mapped_column(Text, nullable=False)


class Obligation(Base):
    """A duty a decision created: its due date (None while it waits for an anchor), status,
    completion, the trace that explains the date, and the data versions it was computed with."""

    __tablename__ = "obligations"
    __table_args__ = (
        UniqueConstraint("decision_id", "rule_code"),
        ForeignKeyConstraint(
            ["decision_id", "profile_code"],
            ["decisions.id", "decisions.profile_code"],
            ondelete="CASCADE",
        ),
        CheckConstraint(_in("status", OBLIGATION_STATUSES), name="status"),
        CheckConstraint(
            "(status IN ('done', 'done_late')) = (completed_on IS NOT NULL)", name="completion"
        ),
        CheckConstraint("(status = 'waived') = (waived_reason IS NOT NULL)", name="waiver"),
        CheckConstraint("status <> 'overdue' OR due_date IS NOT NULL", name="overdue_has_date"),
        CheckConstraint("waiting_for IS NULL OR due_date IS NULL", name="waiting_has_no_date"),
        CheckConstraint("status <> 'done_late' OR completed_on > due_date", name="late_means_late"),
        CheckConstraint(
            "status <> 'done' OR due_date IS NULL OR completed_on <= due_date",
            name="done_means_in_time",
        ),
        # the listing's keyset order: due date (undated last), then id
        Index("ix_obligations_due_key", text("coalesce(due_date, 'infinity'::date)"), "id"),
        Index(
            "ix_obligations_profile_due_key",
            "profile_code",
            text("coalesce(due_date, 'infinity'::date)"),
            "id",
        ),
        Index("ix_obligations_decision_id", "decision_id", "id"),
        Index(
            "ix_obligations_pending_due",
            "due_date",
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    decision_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # the decision's profile (never changes), kept here so lists filter on one table
    profile_code: Mapped[str] = mapped_column(Text, nullable=False)
    rule_code: Mapped[str] = mapped_column(Text, nullable=False)
    chain_from: Mapped[str | None] = mapped_column(Text)
    title_vi: Mapped[str] = mapped_column(Text, nullable=False)
    title_en: Mapped[str] = mapped_column(Text, nullable=False)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    waiting_for: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    projected: Mapped[bool] = mapped_column(Boolean, nullable=False)
    flags: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    provisional: Mapped[bool] = mapped_column(Boolean, nullable=False)
    citation: Mapped[str] = mapped_column(Text, nullable=False)
    confidence: Mapped[str] = mapped_column(Text, nullable=False)
    trace: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    calendar_revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    catalog_revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    profile_version: Mapped[int] = mapped_column(Integer, nullable=False)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    waived_reason: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class ObligationChange(Base):
    """A due date that moved after the obligation was created, and why: never silent."""

    __tablename__ = "obligation_changes"
    __table_args__ = (
        CheckConstraint(_in("reason", CHANGE_REASONS), name="reason"),
        Index("ix_obligation_changes_obligation_id", "obligation_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    obligation_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("obligations.id", ondelete="CASCADE"), nullable=False
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    old_due_date: Mapped[dt.date | None] = mapped_column(Date)
    new_due_date: Mapped[dt.date | None] = mapped_column(Date)
    old_calendar_revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    new_calendar_revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    actor: Mapped[str] = mapped_column(Text, nullable=False)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
