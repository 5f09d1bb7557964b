"""Publication decisions, their procedures, the procedure catalog, obligations and the record
of every due date that moved.

Revision ID: 0006_decisions
Revises: 0005_catalog
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_decisions"
down_revision: str | None = "0005_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("shortened", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("profile_code", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("ministry_list_signed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("catalog_revision", sa.BigInteger(), nullable=False),
        sa.Column("profile_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("length(btrim(number)) > 0", name=op.f("ck_decisions_number_given")),
        sa.CheckConstraint("length(btrim(issuer)) > 0", name=op.f("ck_decisions_issuer_given")),
        sa.CheckConstraint("level IN ('ministry', 'province')", name=op.f("ck_decisions_level")),
        sa.CheckConstraint(
            "kind IN ('new', 'amended', 'replaced', 'abolished', 'list', 'internal')",
            name=op.f("ck_decisions_kind"),
        ),
        sa.CheckConstraint(
            "effective_on >= signed_on", name=op.f("ck_decisions_effective_after_signing")
        ),
        sa.CheckConstraint(
            "ministry_list_signed_on IS NULL OR ministry_list_signed_on <= signed_on",
            name=op.f("ck_decisions_list_before_decision"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_decisions_version_positive")),
        sa.ForeignKeyConstraint(
            ["profile_code"],
            ["profiles.code"],
            name=op.f("fk_decisions_profile_code_profiles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("issuer", "number", name=op.f("uq_decisions_issuer")),
        sa.UniqueConstraint("id", "profile_code", name=op.f("uq_decisions_id")),
    )
    op.create_index("ix_decisions_signed_on_id", "decisions", ["signed_on", "id"])
    op.create_index("ix_decisions_profile_code", "decisions", ["profile_code"])

    op.create_table(
        "procedures",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=True),
        sa.Column("level", sa.Text(), nullable=True),
        sa.Column("processing_amount", sa.Integer(), nullable=True),
        sa.Column("processing_unit", sa.Text(), nullable=True),
        sa.Column("processing_note", sa.Text(), nullable=True),
        sa.Column("abolished_on", sa.Date(), nullable=True),
        sa.Column("abolished_by_decision_id", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("code ~ '^[0-9]\\.[0-9]{6}$'", name=op.f("ck_procedures_code_format")),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_procedures_name_given")),
        sa.CheckConstraint(
            "level IS NULL OR level IN ('central', 'province', 'district', 'commune')",
            name=op.f("ck_procedures_level"),
        ),
        sa.CheckConstraint(
            "(processing_amount IS NULL) = (processing_unit IS NULL)",
            name=op.f("ck_procedures_processing_pair"),
        ),
        sa.CheckConstraint(
            "processing_amount IS NULL OR processing_amount >= 0",
            name=op.f("ck_procedures_processing_amount"),
        ),
        sa.CheckConstraint(
            "processing_unit IS NULL OR processing_unit IN "
            "('working_days', 'calendar_days', 'hours')",
            name=op.f("ck_procedures_processing_unit"),
        ),
        sa.CheckConstraint(
            "abolished_by_decision_id IS NULL OR abolished_on IS NOT NULL",
            name=op.f("ck_procedures_abolished_by_has_date"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_procedures_version_positive")),
        sa.ForeignKeyConstraint(
            ["abolished_by_decision_id"],
            ["decisions.id"],
            name=op.f("fk_procedures_abolished_by_decision_id_decisions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_procedures")),
    )

    op.create_table(
        "procedure_versions",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        _timestamp("changed_at"),
        sa.ForeignKeyConstraint(
            ["code"],
            ["procedures.code"],
            name=op.f("fk_procedure_versions_code_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", "version", name=op.f("pk_procedure_versions")),
    )

    op.create_table(
        "decision_procedures",
        sa.Column("decision_id", sa.BigInteger(), nullable=False),
        sa.Column("procedure_code", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "action IN ('new', 'amended', 'replaced', 'abolished')",
            name=op.f("ck_decision_procedures_action"),
        ),
        sa.CheckConstraint(
            "length(btrim(name)) > 0", name=op.f("ck_decision_procedures_name_given")
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_decision_procedures_position")),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_procedures_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["procedure_code"],
            ["procedures.code"],
            name=op.f("fk_decision_procedures_procedure_code_procedures"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "decision_id", "procedure_code", name=op.f("pk_decision_procedures")
        ),
        sa.UniqueConstraint(
            "decision_id", "position", name=op.f("uq_decision_procedures_decision_id")
        ),
    )
    op.create_index(
        "ix_decision_procedures_procedure_code",
        "decision_procedures",
        ["procedure_code", "decision_id"],
    )

    op.create_table(
        "obligations",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("decision_id", sa.BigInteger(), nullable=False),
        sa.Column("profile_code", sa.Text(), nullable=False),
        sa.Column("rule_code", sa.Text(), nullable=False),
        sa.Column("chain_from", sa.Text(), nullable=True),
        sa.Column("title_vi", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("waiting_for", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("projected", sa.Boolean(), nullable=False),
        sa.Column("flags", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Text(), nullable=False),
        sa.Column("trace", postgresql.JSONB(), nullable=False),
        sa.Column("calendar_revision", sa.BigInteger(), nullable=False),
        sa.Column("catalog_revision", sa.BigInteger(), nullable=False),
        sa.Column("profile_version", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("waived_reason", sa.Text(), nullable=True),
        sa.Column("closed_by", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "status IN ('pending', 'overdue', 'done', 'done_late', 'waived')",
            name=op.f("ck_obligations_status"),
        ),
        sa.CheckConstraint(
            "(status IN ('done', 'done_late')) = (completed_on IS NOT NULL)",
            name=op.f("ck_obligations_completion"),
        ),
        sa.CheckConstraint(
            "(status = 'waived') = (waived_reason IS NOT NULL)", name=op.f("ck_obligations_waiver")
        ),
        sa.CheckConstraint(
            "status <> 'overdue' OR due_date IS NOT NULL",
            name=op.f("ck_obligations_overdue_has_date"),
        ),
        sa.CheckConstraint(
            "waiting_for IS NULL OR due_date IS NULL",
            name=op.f("ck_obligations_waiting_has_no_date"),
        ),
        sa.CheckConstraint(
            "status <> 'done_late' OR completed_on > due_date",
            name=op.f("ck_obligations_late_means_late"),
        ),
        sa.CheckConstraint(
            "status <> 'done' OR due_date IS NULL OR completed_on <= due_date",
            name=op.f("ck_obligations_done_means_in_time"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id", "profile_code"],
            ["decisions.id", "decisions.profile_code"],
            name=op.f("fk_obligations_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
        sa.UniqueConstraint("decision_id", "rule_code", name=op.f("uq_obligations_decision_id")),
    )
    op.create_index(
        "ix_obligations_due_key",
        "obligations",
        [sa.text("coalesce(due_date, 'infinity'::date)"), "id"],
    )
    op.create_index(
        "ix_obligations_profile_due_key",
        "obligations",
        ["profile_code", sa.text("coalesce(due_date, 'infinity'::date)"), "id"],
    )
    op.create_index("ix_obligations_decision_id", "obligations", ["decision_id", "id"])
    op.create_index(
        "ix_obligations_pending_due",
        "obligations",
        ["due_date"],
        postgresql_where=sa.text("status = 'pending'"),
    )

    op.create_table(
        "obligation_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("obligation_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("old_due_date", sa.Date(), nullable=True),
        sa.Column("new_due_date", sa.Date(), nullable=True),
        sa.Column("old_calendar_revision", sa.BigInteger(), nullable=False),
        sa.Column("new_calendar_revision", sa.BigInteger(), nullable=False),
        sa.Column("detail", postgresql.JSONB(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        _timestamp("at"),
        sa.CheckConstraint(
            "reason IN ('calendar_changed', 'decision_corrected', 'anchor_completed')",
            name=op.f("ck_obligation_changes_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligations.id"],
            name=op.f("fk_obligation_changes_obligation_id_obligations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_changes")),
    )
    op.create_index(
        "ix_obligation_changes_obligation_id", "obligation_changes", ["obligation_id", "id"]
    )


def downgrade() -> None:
    op.drop_table("obligation_changes")
    op.drop_table("obligations")
    op.drop_table("decision_procedures")
    op.drop_table("procedure_versions")
    op.drop_table("procedures")
    op.drop_table("decisions")
