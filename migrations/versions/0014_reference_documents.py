"""Dossier rule sets as versioned reference documents, followed by every replica.

The statutory values of the dossier clock by decree (Nghị định 61/2018/NĐ-CP, 118/2025/NĐ-CP,
118/2025 as amended by 309/2026) were read from the shipped data at run time; they are now
documents in the database like the profiles: `dossier_rule_sets` holds the current document of
each set, `dossier_rule_set_versions` every version (kept when a set is retired), and a trigger
bumps `dossier_rules_revision` and NOTIFYs `dossier_rules_changed` on every change. Schema only:
`python -m app seed` applies the shipped sets.

Revision ID: 0014_reference_documents
Revises: 0013_calendar_notices
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014_reference_documents"
down_revision: str | None = "0013_calendar_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dossier_rule_sets",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_dossier_rule_sets_version_positive")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_dossier_rule_sets")),
    )
    # No foreign key to dossier_rule_sets: the history of a retired set is kept.
    op.create_table(
        "dossier_rule_set_versions",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("code", "version", name=op.f("pk_dossier_rule_set_versions")),
    )
    op.create_table(
        "dossier_rules_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_dossier_rules_revision_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_rules_revision")),
    )
    op.execute("INSERT INTO dossier_rules_revision (id, revision) VALUES (1, 1)")
    op.execute(
        """
        CREATE FUNCTION bump_dossier_rules_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE new_revision bigint;
        BEGIN
            UPDATE dossier_rules_revision SET revision = revision + 1 WHERE id = 1
            RETURNING revision INTO new_revision;
            PERFORM pg_notify('dossier_rules_changed', new_revision::text);
            RETURN NULL;
        END $$;
        """
    )
    op.execute(
        "CREATE TRIGGER dossier_rule_sets_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        "ON dossier_rule_sets FOR EACH STATEMENT EXECUTE FUNCTION bump_dossier_rules_revision()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER dossier_rule_sets_changed ON dossier_rule_sets")
    op.drop_table("dossier_rules_revision")
    op.drop_table("dossier_rule_set_versions")
    op.drop_table("dossier_rule_sets")
    op.execute("DROP FUNCTION bump_dossier_rules_revision()")
