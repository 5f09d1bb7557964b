"""Apply the shipped reference data (app/data) to the database: `python -m app seed`.

Migrations change the schema only; this command brings the reference documents (calendar
adjustments and year statuses, jurisdiction profiles) to what this release ships. It is
idempotent and never overwrites what an administrator changed:

- a document absent from the database is inserted, unless the seed wrote it before (then an
  administrator deleted it: it stays deleted);
- a document equal to the shipped one is left alone (and adopted as shipped);
- a document still equal to what the seed last wrote is updated to the shipped content (a
  profile gets a new version, kept in its history);
- a document that differs from both was changed by an administrator: it is skipped, reported;
- a profile or dossier rule set the seed wrote before and this release no longer ships is
  retired (removed; a rule set's history is kept), unless an administrator changed it (kept,
  reported) or, for a profile, decisions or other profiles still refer to it (kept, reported).

`reference_seeds` keeps, per document, the hash of the content the seed last wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.data.calendar import seed_notices, seed_years
from app.data.dossiers import shipped_rule_sets
from app.data.rules import shipped_documents
from app.db.engine import make_sessionmaker
from app.db.migrate import MIGRATION_LOCK
from app.db.repositories import catalog, dossier_rules
from app.db.repositories import notices as notices_repo
from app.db.repositories import seeds as repo
from app.services.calendar_notices import document_of, entry_rows, row_values

CALENDAR_SEEDED_BY = "seed: app/data/calendar.toml"
PROFILES_SEEDED_BY = "seed: app/data/rules"
DOSSIER_RULES_SEEDED_BY = "seed: app/data/dossiers.toml"
PROFILE = "profile/"  # the key prefixes of the documents in reference_seeds
DOSSIER_RULES = "dossier-rules/"


class Outcome(StrEnum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED_CHANGED = "skipped_changed_by_admin"
    SKIPPED_DELETED = "skipped_deleted_by_admin"
    RETIRED = "retired"
    KEPT_IN_USE = "kept_in_use"


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
    forget: list[str] = field(default_factory=list)  # keys of retired documents

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

    documents = [
        await _seed_profiles(session, report, recorded),
        await _seed_dossier_rules(session, report, recorded),
    ]
    for plan in documents:
        hashes |= plan.hashes
    await repo.forget(session, [key for plan in documents for key in plan.forget])

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


async def _seed_profiles(
    session: AsyncSession, report: SeedReport, recorded: dict[str, str]
) -> _Plan:
    """The shipped profiles (rules and reporting calendar), each a new version when written."""
    profiles = _Plan(report, recorded)
    stored = {row.code: row for row in await catalog.documents(session)}
    shipped_codes = set()
    for document in shipped_documents():
        shipped_profile = document.as_json()
        code = document.profile.code
        shipped_codes.add(code)
        row = stored.get(code)
        outcome = profiles.consider(
            f"{PROFILE}{code}", shipped_profile, dict(row.document) if row is not None else None
        )
        if outcome in (Outcome.INSERTED, Outcome.UPDATED):
            # a new version on top of the stored one, kept in the history
            version = max(document.version or 1, row.version + 1 if row is not None else 1)
            await catalog.save(session, code, version, shipped_profile, PROFILES_SEEDED_BY)

    async def retire(code: str) -> bool:
        if await repo.profile_in_use(session, code):
            return False
        await repo.remove_profile(session, code)
        return True

    current = {code: dict(row.document) for code, row in stored.items()}
    await _retire(profiles, PROFILE, shipped_codes, current, retire)
    return profiles


async def _seed_dossier_rules(
    session: AsyncSession, report: SeedReport, recorded: dict[str, str]
) -> _Plan:
    """The shipped dossier rule sets, each a new version when written."""
    plan = _Plan(report, recorded)
    stored = {row.code: row for row in await dossier_rules.documents(session)}
    shipped_codes = set()
    for rule_set in shipped_rule_sets():
        shipped = rule_set.as_json()
        shipped_codes.add(rule_set.code)
        row = stored.get(rule_set.code)
        outcome = plan.consider(
            f"{DOSSIER_RULES}{rule_set.code}",
            shipped,
            dict(row.document) if row is not None else None,
        )
        if outcome in (Outcome.INSERTED, Outcome.UPDATED):
            version = await dossier_rules.last_version(session, rule_set.code) + 1
            await dossier_rules.save(
                session, rule_set.code, version, shipped, DOSSIER_RULES_SEEDED_BY
            )

    async def retire(code: str) -> bool:
        await dossier_rules.remove(session, code)
        return True

    current = {code: dict(row.document) for code, row in stored.items()}
    await _retire(plan, DOSSIER_RULES, shipped_codes, current, retire)
    return plan


async def _retire(
    plan: _Plan,
    prefix: str,
    shipped: set[str],
    current: dict[str, dict[str, Any]],
    retire: Callable[[str], Awaitable[bool]],
) -> None:
    """Documents the seed wrote that this release no longer ships: removed when still as the
    seed wrote them and `retire` may; kept (and still recorded, so reported again) when an
    administrator changed them or they are in use; forgotten when already gone."""
    for key, recorded in plan.recorded.items():
        code = key.removeprefix(prefix)
        if not key.startswith(prefix) or code in shipped:
            continue
        document = current.get(code)
        if document is None:
            plan.forget.append(key)
        elif content_hash(document) != recorded:
            plan.report.outcomes[key] = Outcome.SKIPPED_CHANGED
        elif await retire(code):
            plan.report.outcomes[key] = Outcome.RETIRED
            plan.forget.append(key)
        else:
            plan.report.outcomes[key] = Outcome.KEPT_IN_USE


async def seed_database(engine: AsyncEngine) -> SeedReport:
    """Seed in one transaction, serialised with migrations (several replicas may start at once)."""
    async with make_sessionmaker(engine)() as session:
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        report = await seed(session)
        await session.commit()
        return report
