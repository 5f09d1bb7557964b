"""Queries of the reference-data seed: what was shipped per document, and the rows it owns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def shipped_hashes(session: AsyncSession) -> dict[str, str]:
    """The content hash of what the seed last wrote, per document key."""
    rows = await session.execute(text("SELECT key, shipped_hash FROM reference_seeds"))
    return {key: value for key, value in rows}


async def record(session: AsyncSession, hashes: dict[str, str]) -> None:
    if not hashes:
        return
    await session.execute(
        text(
            "INSERT INTO reference_seeds (key, shipped_hash) VALUES (:key, :hash) "
            "ON CONFLICT (key) DO UPDATE SET shipped_hash = excluded.shipped_hash, "
            "applied_at = now()"
        ),
        [{"key": key, "hash": value} for key, value in hashes.items()],
    )


async def forget(session: AsyncSession, keys: list[str]) -> None:
    """The seed no longer owns these documents (retired, or gone)."""
    if keys:
        await session.execute(
            text("DELETE FROM reference_seeds WHERE key = ANY(:keys)"), {"keys": keys}
        )


async def profile_in_use(session: AsyncSession, code: str) -> bool:
    """Decisions were computed with the profile, or another profile extends it."""
    found = await session.scalar(
        text(
            "SELECT EXISTS (SELECT 1 FROM decisions WHERE profile_code = :code) OR EXISTS "
            "(SELECT 1 FROM profiles WHERE document -> 'profile' ->> 'extends' = :code)"
        ),
        {"code": code},
    )
    return bool(found)


async def remove_profile(session: AsyncSession, code: str) -> None:
    await session.execute(text("DELETE FROM profiles WHERE code = :code"), {"code": code})


async def adjustments(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await session.execute(
        text("SELECT date, kind, name_vi, name_en, source, status FROM calendar_adjustments")
    )
    return [dict(row._mapping) for row in rows]


async def years(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await session.execute(text("SELECT year, provisional, note FROM calendar_years"))
    return [dict(row._mapping) for row in rows]


async def upsert_adjustments(session: AsyncSession, rows: list[dict[str, Any]], by: str) -> None:
    if not rows:
        return
    # one statement: the calendar revision is bumped (and replicas notified) once
    await session.execute(
        text(
            "INSERT INTO calendar_adjustments (date, kind, name_vi, name_en, source, status, "
            "created_by) SELECT * FROM unnest(CAST(:dates AS date[]), CAST(:kinds AS text[]), "
            "CAST(:vi AS text[]), CAST(:en AS text[]), CAST(:sources AS text[]), "
            "CAST(:statuses AS text[]), CAST(:bys AS text[])) "
            "ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name_vi = excluded.name_vi, "
            "name_en = excluded.name_en, source = excluded.source, status = excluded.status, "
            "created_by = excluded.created_by"
        ),
        {
            "dates": [r["date"] for r in rows],
            "kinds": [r["kind"] for r in rows],
            "vi": [r["name_vi"] for r in rows],
            "en": [r["name_en"] for r in rows],
            "sources": [r["source"] for r in rows],
            "statuses": [r["status"] for r in rows],
            "bys": [by] * len(rows),
        },
    )


async def upsert_years(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    await session.execute(
        text(
            "INSERT INTO calendar_years (year, provisional, note) SELECT * FROM "
            "unnest(CAST(:years AS integer[]), CAST(:provisional AS boolean[]), "
            "CAST(:notes AS text[])) ON CONFLICT (year) DO UPDATE SET "
            "provisional = excluded.provisional, note = excluded.note"
        ),
        {
            "years": [r["year"] for r in rows],
            "provisional": [r["provisional"] for r in rows],
            "notes": [r["note"] for r in rows],
        },
    )
