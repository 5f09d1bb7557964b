"""Profile drafts: a plan's text read into a profile document, kept until published.

Revision ID: 0011_profile_drafts
Revises: 0010_channel_and_seeds
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_profile_drafts"
down_revision: str | None = "0010_channel_and_seeds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profile_drafts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("profile_code", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("rows", postgresql.JSONB(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'published')", name=op.f("ck_profile_drafts_status_known")
        ),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_profile_drafts_revision_positive")),
        sa.CheckConstraint(
            "(status = 'published') = (published_version IS NOT NULL)",
            name=op.f("ck_profile_drafts_published_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_drafts")),
    )


def downgrade() -> None:
    op.drop_table("profile_drafts")
