"""Office schedules as versioned reference documents, followed with the dossier rule sets.

The hours in which the dossier clock counts at an office (windows, Saturday reception,
after-hours policy, cut-off, appointments by session) were read from the shipped data at run
time; they are now documents in the database like the dossier rule sets: `office_schedules`
holds the current document of each schedule, `office_schedule_versions` every version (kept
when a schedule is retired). Both kinds are the dossier clock's reference data: a change to a
schedule bumps the same `dossier_rules_revision` and NOTIFYs the same `dossier_rules_changed`
(one trigger function, one reload of both). Schema only: `python -m app seed` applies the
shipped schedules.

Revision ID: 0015_office_schedules
Revises: 0014_reference_documents
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015_office_schedules"
down_revision: str | None = "0014_reference_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_schedules",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_office_schedules_version_positive")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_office_schedules")),
    )
    # No foreign key to office_schedules: the history of a retired schedule is kept.
    op.create_table(
        "office_schedule_versions",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("code", "version", name=op.f("pk_office_schedule_versions")),
    )
    op.execute(
        "CREATE TRIGGER office_schedules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        "ON office_schedules FOR EACH STATEMENT EXECUTE FUNCTION bump_dossier_rules_revision()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER office_schedules_changed ON office_schedules")
    op.drop_table("office_schedule_versions")
    op.drop_table("office_schedules")
