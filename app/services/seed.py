"""Apply the shipped reference data (app/data) to the database: `python -m app seed`.

Migrations change the schema only; this command brings the reference documents (calendar
adjustments and year statuses, jurisdiction profiles) to what this release ships. It is
idempotent and never overwrites what an administrator changed:

- a document absent from the database is inserted, unless the seed wrote it before (then an
  administrator deleted it: it stays deleted);
- a document equal to the shipped one is left alone (and adopted as shipped);
- a document still equal to what the seed last wrote is updated to the shipped content (a
  profile gets a new version, kept in its history);
- a document that differs from both was changed by an administrator: it is skipped, reported.

`reference_seeds` keeps, per document, the hash of the content the seed last wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.data.calendar import seed_notices, seed_years
from app.data.documents import to_json
from app.data.rules import profile_documents
from app.db.engine import make_sessionmaker
from app.db.migrate import MIGRATION_LOCK
from app.db.repositories import catalog
from app.db.repositories import notices as notices_repo
from app.db.repositories import seeds as repo
from app.services.calendar_notices import document_of, entry_rows, row_values

CALENDAR_SEEDED_BY = "seed: app/data/calendar.toml"
PROFILES_SEEDED_BY = "seed: app/data/rules"


class Outcome(StrEnum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED_CHANGED = "skipped_changed_by_admin"
    SKIPPED_DELETED = "skipped_deleted_by_admin"


@dataclass
class SeedReport:
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # document key -> outcome

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o is outcome)

    def summary(self) -> dict[str, int]:
        return {o.value: self.count(o) for o in Outcome}


def content_hash(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def _decide(
    shipped: dict[str, Any],
    current: dict[str, Any] | None,
    recorded: str | None,
) -> Outcome:
    shipped_hash = content_hash(shipped)
    if current is None:
        return Outcome.INSERTED if recorded is None else Outcome.SKIPPED_DELETED
    now = content_hash(current)
    if now == shipped_hash:
        return Outcome.UNCHANGED
    if recorded is not None and now == recorded:
        return Outcome.UPDATED
    return Outcome.SKIPPED_CHANGED


@dataclass
class _Plan:
    """The documents of one kind to write, and the hashes to record."""

    report: SeedReport
    recorded: dict[str, str]
    write: list[dict[str, Any]] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)

    def consider(
        self,
        key: str,
        shipped: dict[str, Any],
        current: dict[str, Any] | None,
        row: Callable[[], dict[str, Any]] | None = None,
    ) -> Outcome:
        outcome = _decide(shipped, current, self.recorded.get(key))
        self.report.outcomes[key] = outcome
        if outcome in (Outcome.INSERTED, Outcome.UPDATED):
            self.write.append(row() if row is not None else shipped)
        if outcome in (Outcome.INSERTED, Outcome.UPDATED, Outcome.UNCHANGED):
            self.hashes[key] = content_hash(shipped)
        return outcome


async def seed(session: AsyncSession) -> SeedReport:
    """Apply the shipped reference data in the caller's transaction (flushes, never commits)."""
    report = SeedReport()
    recorded = await repo.shipped_hashes(session)
    hashes: dict[str, str] = {}

    hashes |= await _seed_notices(session, report, recorded)
    hashes |= await _seed_years(session, report, recorded)

    profiles = _Plan(report, recorded)
    stored_profiles = {row.code: row for row in await catalog.documents(session)}
    for _, document in profile_documents():
        shipped_profile: dict[str, Any] = to_json(document)
        code = str(document["profile"]["code"])
        row = stored_profiles.get(code)
        outcome = profiles.consider(
            f"profile/{code}", shipped_profile, dict(row.document) if row is not None else None
        )
        if outcome in (Outcome.INSERTED, Outcome.UPDATED):
            # a new version on top of the stored one, kept in the history
            version = max(int(document["version"]), row.version + 1 if row is not None else 1)
            await catalog.save(session, code, version, shipped_profile, PROFILES_SEEDED_BY)
    hashes |= profiles.hashes

    await repo.record(session, hashes)
    await session.flush()
    return report


async def _seed_notices(
    session: AsyncSession, report: SeedReport, recorded: dict[str, str]
) -> dict[str, str]:
    """The shipped calendar notices, each a document: a new one is recorded with its entries;
    a withdrawn one stays withdrawn; one changed by an administrator is skipped."""
    plan = _Plan(report, recorded)
    for notice in seed_notices():
        row = await notices_repo.current(session, notice.number)
        key = f"calendar/notice/{notice.number}"
        if row is not None and row.withdrawn_at is not None:
            report.outcomes[key] = Outcome.SKIPPED_DELETED
            continue
        outcome = plan.consider(key, document_of(notice), dict(row.document) if row else None)
        if outcome in (Outcome.INSERTED, Outcome.UPDATED):
            saved = await notices_repo.save_version(session, row_values(notice), CALENDAR_SEEDED_BY)
            if row is not None:
                await notices_repo.remove_entries(session, row.id)
            await notices_repo.adopt_entries(
                session, entry_rows(notice, saved.id, CALENDAR_SEEDED_BY), CALENDAR_SEEDED_BY
            )
    return plan.hashes


async def _seed_years(
    session: AsyncSession, report: SeedReport, recorded: dict[str, str]
) -> dict[str, str]:
    years = _Plan(report, recorded)
    stored_years = {row["year"]: row for row in await repo.years(session)}
    for y in seed_years():
        shipped_year: dict[str, Any] = {
            "year": y.year,
            "provisional": y.provisional,
            "note": y.note,
        }
        years.consider(f"calendar/year/{y.year}", shipped_year, stored_years.get(y.year))
    await repo.upsert_years(session, years.write)
    return years.hashes


async def seed_database(engine: AsyncEngine) -> SeedReport:
    """Seed in one transaction, serialised with migrations (several replicas may start at once)."""
    async with make_sessionmaker(engine)() as session:
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        report = await seed(session)
        await session.commit()
        return report
