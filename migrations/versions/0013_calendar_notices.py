"""Calendar notices: the official document behind each adjustment, kept in versions.

Revision ID: 0013_calendar_notices
Revises: 0012_webhooks
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_calendar_notices"
down_revision: str | None = "0012_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_notices",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("decides_years", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.Text(), nullable=True),
        sa.CheckConstraint("length(number) > 0", name=op.f("ck_calendar_notices_number_given")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_calendar_notices_version_positive")),
        sa.CheckConstraint(
            "status IN ('proposed', 'decided')", name=op.f("ck_calendar_notices_status")
        ),
        sa.CheckConstraint(
            "cardinality(decides_years) BETWEEN 1 AND 5 AND 1900 <= ALL (decides_years) "
            "AND 2200 >= ALL (decides_years)",
            name=op.f("ck_calendar_notices_years"),
        ),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawn_by IS NULL)",
            name=op.f("ck_calendar_notices_withdrawn_by_whom"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_notices")),
        sa.UniqueConstraint("number", "version", name=op.f("uq_calendar_notices_number")),
    )
    op.create_index(
        "ix_calendar_notices_current",
        "calendar_notices",
        ["number"],
        unique=True,
        postgresql_where=sa.text("current"),
    )
    op.add_column("calendar_adjustments", sa.Column("notice_id", sa.BigInteger(), nullable=True))
    op.add_column("calendar_adjustments", sa.Column("entry", sa.Text(), nullable=True))
    op.add_column("calendar_adjustments", sa.Column("swap_with", sa.Date(), nullable=True))
    op.create_foreign_key(
        op.f("fk_calendar_adjustments_notice_id_calendar_notices"),
        "calendar_adjustments",
        "calendar_notices",
        ["notice_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_index("ix_calendar_adjustments_notice_id", "calendar_adjustments", ["notice_id"])
    op.create_check_constraint(
        op.f("ck_calendar_adjustments_entry_of_notice"),
        "calendar_adjustments",
        "(notice_id IS NULL) = (entry IS NULL)",
    )
    op.create_check_constraint(
        op.f("ck_calendar_adjustments_swap_in_notice"),
        "calendar_adjustments",
        "swap_with IS NULL OR notice_id IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("ck_calendar_adjustments_swap_in_notice"), "calendar_adjustments", type_="check"
    )
    op.drop_constraint(
        op.f("ck_calendar_adjustments_entry_of_notice"), "calendar_adjustments", type_="check"
    )
    op.drop_index("ix_calendar_adjustments_notice_id", table_name="calendar_adjustments")
    op.drop_constraint(
        op.f("fk_calendar_adjustments_notice_id_calendar_notices"),
        "calendar_adjustments",
        type_="foreignkey",
    )
    op.drop_column("calendar_adjustments", "swap_with")
    op.drop_column("calendar_adjustments", "entry")
    op.drop_column("calendar_adjustments", "notice_id")
    op.drop_index("ix_calendar_notices_current", table_name="calendar_notices")
    op.drop_table("calendar_notices")
