"""The law in force in 2026-2027.

- 2027's calendar is decided by Công văn 10065/VPCP-KGVX. A database seeded before the notice
  holds 2027 as provisional with the shipped note. Mark it decided, but only when the row is
  still the shipped one: a status an administrator entered (a different note) is theirs.
- Dossiers under Nghị định 118/2025/NĐ-CP may be closed without a result (Art. 19(5)): a
  `closed` event, clock and status. From 5/8/2026 a cross-boundary dossier counts from the
  competent agency's receipt (Nghị định 309/2026/NĐ-CP): a `received_by_competent_agency` event.

Revision ID: 0009_law_in_force
Revises: 0008_reliability
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_law_in_force"
down_revision: str | None = "0008_reliability"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The values are written out here, not read from app/data, so that this step does the same
# thing on every database whenever it runs.
_SHIPPED_PROVISIONAL_NOTE = (
    "Tết, 2-9 and day swaps not yet decided; statutory dates from the lunar calendar"
)
_DECIDED_2027_NOTE = (
    "Decided by Công văn 10065/VPCP-KGVX (02/10/2026): Tết 4/2-10/2/2027, Quốc khánh "
    "2/9-5/9/2027, no make-up Saturdays; Mon 3/5/2027 compensatory for Sat 1/5 by Labor Code "
    "2019 Art. 111(3) (derived, not in the notice)"
)


# Written out rather than imported from the models: a migration must keep meaning what it meant.
_OLD_KINDS = (
    "'received', 'supplement_requested', 'resubmitted', 'paused', 'resumed', 'completed', "
    "'reappointed'"
)
_NEW_KINDS = f"{_OLD_KINDS}, 'closed', 'received_by_competent_agency'"
_OLD_CLOCKS = "'running', 'paused', 'awaiting_supplement', 'stopped'"
_NEW_CLOCKS = f"{_OLD_CLOCKS}, 'closed'"
_OLD_STATUSES = (
    "'on_time', 'due_soon', 'overdue', 'completed_early', 'completed_on_time', 'completed_late'"
)
_NEW_STATUSES = f"{_OLD_STATUSES}, 'closed'"
_CHECKS = (
    ("dossier_events", "kind", _OLD_KINDS, _NEW_KINDS),
    ("dossiers", "clock", _OLD_CLOCKS, _NEW_CLOCKS),
    ("dossiers", "status", _OLD_STATUSES, _NEW_STATUSES),
)


def _replace_check(table: str, column: str, values: str) -> None:
    name = f"ck_{table}_{column}"
    op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} IN ({values}))")


def upgrade() -> None:
    for table, column, _old, new in _CHECKS:
        _replace_check(table, column, new)
    op.get_bind().execute(
        sa.text(
            "UPDATE calendar_years SET provisional = false, note = :decided "
            "WHERE year = 2027 AND provisional AND note = :shipped"
        ),
        {"decided": _DECIDED_2027_NOTE, "shipped": _SHIPPED_PROVISIONAL_NOTE},
    )


def downgrade() -> None:
    # Closed dossiers cannot be expressed before this revision: refuse rather than lose them.
    closed = op.get_bind().execute(sa.text("SELECT count(*) FROM dossiers WHERE clock = 'closed'"))
    if closed.scalar_one():
        raise RuntimeError("closed dossiers exist: they cannot be downgraded")
    for table, column, old, _new in _CHECKS:
        _replace_check(table, column, old)
    op.get_bind().execute(
        sa.text(
            "UPDATE calendar_years SET provisional = true, note = :shipped "
            "WHERE year = 2027 AND NOT provisional AND note = :decided"
        ),
        {"decided": _DECIDED_2027_NOTE, "shipped": _SHIPPED_PROVISIONAL_NOTE},
    )
