"""The law in force in 2026-2027: 2027's calendar decided by Công văn 10065/VPCP-KGVX.

A database seeded before the notice holds 2027 as provisional with the shipped note. Mark it
decided, but only when the row is still the shipped one: a status an administrator entered
(a different note) is theirs and stays as it is.

Revision ID: 0009
Revises: 0007_api_key_notify
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007_api_key_notify"
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


def upgrade() -> None:
    op.get_bind().execute(
        sa.text(
            "UPDATE calendar_years SET provisional = false, note = :decided "
            "WHERE year = 2027 AND provisional AND note = :shipped"
        ),
        {"decided": _DECIDED_2027_NOTE, "shipped": _SHIPPED_PROVISIONAL_NOTE},
    )


def downgrade() -> None:
    op.get_bind().execute(
        sa.text(
            "UPDATE calendar_years SET provisional = true, note = :shipped "
            "WHERE year = 2027 AND NOT provisional AND note = :decided"
        ),
        {"decided": _DECIDED_2027_NOTE, "shipped": _SHIPPED_PROVISIONAL_NOTE},
    )
