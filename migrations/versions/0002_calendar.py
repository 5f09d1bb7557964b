"""Calendar: official adjustments, year status, a revision bumped (and notified) on change.

Schema only: the shipped adjustments and year statuses are applied by `python -m app seed`.

Revision ID: 0002_calendar
Revises: 0001_foundation
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_calendar"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_adjustments",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "kind IN ('day_off', 'working_day')", name=op.f("ck_calendar_adjustments_kind")
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'decided')", name=op.f("ck_calendar_adjustments_status")
        ),
        sa.CheckConstraint("length(source) > 0", name=op.f("ck_calendar_adjustments_source_given")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_adjustments")),
        sa.UniqueConstraint("date", name=op.f("uq_calendar_adjustments_date")),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    op.create_table(
        "calendar_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_calendar_revision_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_revision")),
    )
    op.execute("INSERT INTO calendar_revision (id, revision) VALUES (1, 1)")
    # Every change, through the API or by hand in SQL, bumps the revision once per statement
    # and wakes every replica (LISTEN calendar_changed); NOTIFY is delivered on commit.
    op.execute(
        """
        CREATE FUNCTION bump_calendar_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE new_revision bigint;
        BEGIN
            UPDATE calendar_revision SET revision = revision + 1, changed_at = now()
             WHERE id = 1 RETURNING revision INTO new_revision;
            PERFORM pg_notify('calendar_changed', new_revision::text);
            RETURN NULL;
        END $$;
        """
    )
    for table in ("calendar_adjustments", "calendar_years"):
        op.execute(
            f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_revision()"
        )


def downgrade() -> None:
    op.drop_table("calendar_revision")
    op.drop_table("calendar_years")
    op.drop_table("calendar_adjustments")
    op.execute("DROP FUNCTION bump_calendar_revision()")
