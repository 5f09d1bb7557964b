"""The channel of a dossier and its breach flags (Nghị định 118/2025/NĐ-CP); the record of
shipped reference data.

- `channel`: counter | online | post. An online dossier is accepted, or a supplement
  requested, within 8 working hours of the system's receipt (Art. 17(2)(c)): the deadline is
  kept in `acceptance_due_at`, its answer is an `accepted` event (or a supplement request).
- `flags`: what the office did against a rule (a second supplement request, Art. 11(2)(c); a
  missed acceptance deadline ...), so that lists filter on them. Existing dossiers start with
  none; the next write or scanner pass derives them.
- `reference_seeds`: per shipped reference document, the hash of the content `python -m app
  seed` last wrote, so that the seed updates what it wrote and never what an administrator
  changed.

Revision ID: 0010_channel_and_seeds
Revises: 0009_law_in_force
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_channel_and_seeds"
down_revision: str | None = "0009_law_in_force"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models: a migration must keep meaning what it meant.
_OLD_KINDS = (
    "'received', 'supplement_requested', 'resubmitted', 'paused', 'resumed', 'completed', "
    "'reappointed', 'closed', 'received_by_competent_agency'"
)
_NEW_KINDS = f"{_OLD_KINDS}, 'accepted'"
_FLAGS = (
    "'supplement_breach', 'late_supplement_request', 'acceptance_missed', "
    "'reappointment_late', 'closed_early'"
)


def _kinds(values: str) -> None:
    op.execute("ALTER TABLE dossier_events DROP CONSTRAINT ck_dossier_events_kind")
    op.execute(
        f"ALTER TABLE dossier_events ADD CONSTRAINT ck_dossier_events_kind "
        f"CHECK (kind IN ({values}))"
    )


def upgrade() -> None:
    op.add_column(
        "dossiers", sa.Column("channel", sa.Text(), server_default="counter", nullable=False)
    )
    op.create_check_constraint(
        "ck_dossiers_channel", "dossiers", "channel IN ('counter', 'online', 'post')"
    )
    op.add_column("dossiers", sa.Column("acceptance_due_at", sa.DateTime(timezone=True)))
    op.add_column(
        "dossiers",
        sa.Column(
            "flags", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False
        ),
    )
    op.create_check_constraint("ck_dossiers_flags", "dossiers", f"flags <@ ARRAY[{_FLAGS}]::text[]")
    op.create_index("ix_dossiers_flags", "dossiers", ["flags"], postgresql_using="gin")
    _kinds(_NEW_KINDS)
    op.create_table(
        "reference_seeds",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("shipped_hash", sa.Text(), nullable=False),
        sa.Column(
            "applied_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_reference_seeds")),
    )


def downgrade() -> None:
    # An acceptance cannot be expressed before this revision: refuse rather than lose it.
    accepted = op.get_bind().execute(
        sa.text("SELECT count(*) FROM dossier_events WHERE kind = 'accepted'")
    )
    if accepted.scalar_one():
        raise RuntimeError("accepted events exist: they cannot be downgraded")
    op.drop_table("reference_seeds")
    _kinds(_OLD_KINDS)
    op.drop_index("ix_dossiers_flags", table_name="dossiers")
    op.drop_column("dossiers", "flags")
    op.drop_column("dossiers", "acceptance_due_at")
    op.drop_column("dossiers", "channel")
