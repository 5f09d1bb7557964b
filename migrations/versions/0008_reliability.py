"""Dossiers the scanner cannot follow are marked, not dropped silently: `tracking` is
'beyond_calendar' while a dossier's clock runs past the last day of the supported calendar
('unevaluable' when its data no longer supports it, a schedule removed), and back to 'tracked'
once a scan can evaluate it again (the next calendar year is loaded).

Revision ID: 0008_reliability
Revises: 0007_api_key_notify
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_reliability"
down_revision: str | None = "0007_api_key_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "dossiers",
        sa.Column("tracking", sa.Text(), server_default="tracked", nullable=False),
    )
    op.create_check_constraint(
        "ck_dossiers_tracking",
        "dossiers",
        "tracking IN ('tracked', 'beyond_calendar', 'unevaluable')",
    )
    op.create_index(
        "ix_dossiers_untracked",
        "dossiers",
        ["id"],
        postgresql_where=sa.text("tracking <> 'tracked'"),
    )


def downgrade() -> None:
    op.drop_index("ix_dossiers_untracked", table_name="dossiers")
    op.drop_constraint("ck_dossiers_tracking", "dossiers", type_="check")
    op.drop_column("dossiers", "tracking")
