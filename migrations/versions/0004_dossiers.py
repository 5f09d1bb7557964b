"""Dossiers (hồ sơ TTHC) and their clock events.

Revision ID: 0004_dossiers
Revises: 0003_feed
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_dossiers"
down_revision: str | None = "0003_feed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models: a migration must keep meaning what it meant.
_STATUSES = (
    "'on_time', 'due_soon', 'overdue', 'completed_early', 'completed_on_time', 'completed_late'"
)
_CLOCKS = "'running', 'paused', 'awaiting_supplement', 'stopped'"
_UNITS = "'working_days', 'working_hours', 'calendar_days'"
_KINDS = (
    "'received', 'supplement_requested', 'resubmitted', 'paused', 'resumed', 'completed', "
    "'reappointed'"
)
_COMPLETED = "status IN ('completed_early', 'completed_on_time', 'completed_late')"


def _code(column: str, longest: int) -> str:
    return f"length({column}) BETWEEN 1 AND {longest} AND btrim({column}) = {column}"


def _check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("office", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("procedure_code", sa.Text(), nullable=True),
        sa.Column("schedule", sa.Text(), nullable=False),
        sa.Column("processing_amount", sa.Numeric(7, 2), nullable=False),
        sa.Column("processing_unit", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("clock", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statutory_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("apology_deadline", sa.Date(), nullable=True),
        sa.Column("apology_notified_for", sa.Date(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("calendar_revision", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        _check("dossiers", "office_code", _code("office", 100)),
        _check("dossiers", "code_given", _code("code", 100)),
        _check(
            "dossiers",
            "procedure_code",
            f"procedure_code IS NULL OR ({_code('procedure_code', 50)})",
        ),
        _check("dossiers", "schedule_given", _code("schedule", 100)),
        _check("dossiers", "processing_positive", "processing_amount > 0"),
        _check("dossiers", "processing_unit", f"processing_unit IN ({_UNITS})"),
        # Sanity bounds and steps of a processing time: half a working day, one minute, one day.
        _check(
            "dossiers",
            "processing_bounds",
            "(processing_unit = 'working_days' AND processing_amount <= 365"
            " AND processing_amount * 2 = trunc(processing_amount * 2))"
            " OR (processing_unit = 'working_hours' AND processing_amount <= 2920"
            " AND processing_amount * 60 = trunc(processing_amount * 60))"
            " OR (processing_unit = 'calendar_days' AND processing_amount <= 730"
            " AND processing_amount = trunc(processing_amount))",
        ),
        _check("dossiers", "status", f"status IN ({_STATUSES})"),
        _check("dossiers", "clock", f"clock IN ({_CLOCKS})"),
        _check("dossiers", "stopped_iff_completed", f"(clock = 'stopped') = ({_COMPLETED})"),
        _check(
            "dossiers",
            "completed_at_iff_stopped",
            "(clock = 'stopped') = (completed_at IS NOT NULL)",
        ),
        _check("dossiers", "has_received", "event_count >= 1"),
        _check("dossiers", "events_after_receipt", "last_event_at >= received_at"),
        _check("dossiers", "evaluated_after_events", "status_evaluated_at >= last_event_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("office", "code", name=op.f("uq_dossiers_office")),
    )
    op.create_index("ix_dossiers_status_id", "dossiers", ["status", "id"])
    op.create_index("ix_dossiers_office_id", "dossiers", ["office", "id"])
    op.create_index("ix_dossiers_office_status_id", "dossiers", ["office", "status", "id"])
    op.create_index(
        "ix_dossiers_next_check_at",
        "dossiers",
        ["next_check_at"],
        postgresql_where=sa.text("next_check_at IS NOT NULL"),
    )
    op.create_index(
        "ix_dossiers_open_calendar_revision",
        "dossiers",
        ["calendar_revision"],
        postgresql_where=sa.text("clock <> 'stopped'"),
    )
    op.create_table(
        "dossier_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("dossier_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("new_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        _check("dossier_events", "seq_positive", "seq >= 0"),
        _check("dossier_events", "kind", f"kind IN ({_KINDS})"),
        _check("dossier_events", "received_first_and_once", "(seq = 0) = (kind = 'received')"),
        _check(
            "dossier_events",
            "new_due_iff_reappointed",
            "(kind = 'reappointed') = (new_due_at IS NOT NULL)",
        ),
        _check("dossier_events", "note_length", "note IS NULL OR length(note) <= 1000"),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_dossier_events_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_events")),
        sa.UniqueConstraint("dossier_id", "seq", name=op.f("uq_dossier_events_dossier_id")),
    )


def downgrade() -> None:
    op.drop_table("dossier_events")
    op.drop_index("ix_dossiers_open_calendar_revision", table_name="dossiers")
    op.drop_index("ix_dossiers_next_check_at", table_name="dossiers")
    op.drop_index("ix_dossiers_office_status_id", table_name="dossiers")
    op.drop_index("ix_dossiers_office_id", table_name="dossiers")
    op.drop_index("ix_dossiers_status_id", table_name="dossiers")
    op.drop_table("dossiers")
