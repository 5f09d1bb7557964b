"""The dossier the committed-data tests create, and their clean-up.

Received Tue 5/3/2024 09:00 (+07:00) with 3 working days: due Fri 8/3 09:00 (Civil Code 2015
Art. 147: the receipt day is not counted; Wed 6, Thu 7, Fri 8).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

ICT = dt.timezone(dt.timedelta(hours=7))


def iso(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> str:
    return dt.datetime(y, mo, d, h, mi, tzinfo=ICT).isoformat()


def dossier(office: str, code: str) -> dict[str, Any]:
    return {
        "office": office,
        "code": code,
        "processing": {"amount": 3, "unit": "working_days"},
        "received_at": iso(2024, 3, 5, 9),
    }


async def erase_office(engine: AsyncEngine, office: str) -> None:
    """Remove the office's dossiers (their events go with them) and their feed rows."""
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "DELETE FROM events WHERE entity = 'dossier' AND entity_id IN "
                "(SELECT id::text FROM dossiers WHERE office = :o)"
            ),
            {"o": office},
        )
        await conn.execute(text("DELETE FROM dossiers WHERE office = :o"), {"o": office})
