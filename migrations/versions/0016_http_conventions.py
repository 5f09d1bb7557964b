"""Idempotency records expire: an index on their creation time for the expiry job.

Revision ID: 0016_http_conventions
Revises: 0015_office_schedules
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_http_conventions"
down_revision: str | None = "0015_office_schedules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
