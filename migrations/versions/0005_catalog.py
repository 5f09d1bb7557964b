"""Deadline-rule catalog: profiles (with their rules) as versioned documents.

Schema only: the shipped profiles (app/data/rules/*.toml) are applied by `python -m app seed`.

Revision ID: 0005_catalog
Revises: 0004_dossiers
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_catalog"
down_revision: str | None = "0004_dossiers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_profiles_version_positive")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_profiles")),
    )
    op.create_table(
        "profile_versions",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["code"],
            ["profiles.code"],
            name=op.f("fk_profile_versions_code_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", "version", name=op.f("pk_profile_versions")),
    )
    op.create_table(
        "catalog_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_catalog_revision_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_revision")),
    )
    op.execute("INSERT INTO catalog_revision (id, revision) VALUES (1, 1)")
    op.execute(
        """
        CREATE FUNCTION bump_catalog_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE new_revision bigint;
        BEGIN
            UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1
            RETURNING revision INTO new_revision;
            PERFORM pg_notify('catalog_changed', new_revision::text);
            RETURN NULL;
        END $$;
        """
    )
    op.execute(
        "CREATE TRIGGER profiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        "ON profiles FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_revision()"
    )


def downgrade() -> None:
    op.drop_table("catalog_revision")
    op.drop_table("profile_versions")
    op.drop_table("profiles")
    op.execute("DROP FUNCTION bump_catalog_revision()")
