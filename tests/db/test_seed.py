"""`python -m app seed`: the shipped reference data on a migrated database, idempotent, and
never over what an administrator changed. Each test seeds its own fresh database."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.data.calendar import seed_adjustments, seed_notices, seed_years
from app.data.dossier_rules import DossierRuleSet
from app.data.dossiers import shipped_rule_sets
from app.data.rules import profile_documents, shipped_documents
from app.db import migrate
from app.db.engine import make_engine, make_sessionmaker
from app.services import seed
from app.services.dossier_rules_admin import put_rule_set
from app.services.seed import Outcome, SeedReport, content_hash, seed_database
from tests.conftest import Databases

# 2 January 2026, a Friday off swapped with Saturday 10 January (Công văn 12729/VPCP-KGVX,
# Thông báo 9441/TB-BNV): a shipped notice; 2027, a shipped year status; nghe-an-2023, a
# shipped profile.
NOTICE = "calendar/notice/12729/VPCP-KGVX"
YEAR = "calendar/year/2027"
PROFILE = "profile/nghe-an-2023"
RULE_SET = "dossier-rules/nd-118-2025"
REVISIONS = (
    "SELECT concat_ws(':', (SELECT revision FROM calendar_revision), "
    "(SELECT revision FROM catalog_revision), (SELECT revision FROM dossier_rules_revision))"
)


@pytest.fixture
async def engine(databases: Databases) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(await databases.create(), pool_size=1, max_overflow=0)
    await migrate.upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


async def sql(engine: AsyncEngine, statement: str, **params: Any) -> Any:
    async with engine.begin() as conn:
        result = await conn.execute(text(statement), params)
        return result.scalar() if result.returns_rows else None


async def test_migrations_alone_seed_nothing(engine: AsyncEngine) -> None:
    for table in ("calendar_adjustments", "calendar_years", "profiles", "reference_seeds"):
        assert await sql(engine, f"SELECT count(*) FROM {table}") == 0


async def test_a_fresh_database_gets_everything_then_nothing_again(engine: AsyncEngine) -> None:
    first = await seed_database(engine)
    shipped = (
        len(seed_notices())
        + len(seed_years())
        + len(profile_documents())
        + len(shipped_rule_sets())
    )
    assert first.count(Outcome.INSERTED) == shipped == len(first.outcomes)
    assert await sql(engine, "SELECT count(*) FROM calendar_adjustments") == len(seed_adjustments())
    # every shipped adjustment is an entry of its notice
    assert (
        await sql(engine, "SELECT count(*) FROM calendar_adjustments WHERE notice_id IS NULL") == 0
    )
    assert await sql(engine, "SELECT count(*) FROM calendar_notices") == len(seed_notices())
    # 2027 is decided (Công văn 10065/VPCP-KGVX), from the shipped data, not a migration
    assert await sql(engine, "SELECT provisional FROM calendar_years WHERE year = 2027") is False
    revisions = await sql(engine, REVISIONS)
    again = await seed_database(engine)
    assert again.count(Outcome.UNCHANGED) == shipped
    # nothing written the second time: no revision moved, no version was added
    assert await sql(engine, REVISIONS) == revisions
    assert await sql(engine, "SELECT count(*) FROM dossier_rule_set_versions") == len(
        shipped_rule_sets()
    )


async def test_what_an_admin_changed_or_deleted_is_kept(engine: AsyncEngine) -> None:
    await seed_database(engine)
    await sql(
        engine,
        "UPDATE calendar_notices SET document = jsonb_set(document, '{title}', "
        "'\"edited by an admin\"') WHERE number = '12729/VPCP-KGVX'",
    )
    await sql(
        engine,
        "UPDATE calendar_notices SET withdrawn_at = now(), withdrawn_by = 'admin' "
        "WHERE number = '9441/TB-BNV'",
    )
    await sql(engine, "DELETE FROM calendar_adjustments WHERE date IN ('2026-08-22', '2026-08-31')")
    await sql(engine, "DELETE FROM calendar_years WHERE year = 2027")
    await sql(
        engine,
        "UPDATE profiles SET document = jsonb_set(document, '{profile,name}', '\"edited\"') "
        "WHERE code = 'nghe-an-2023'",
    )
    report: SeedReport = await seed_database(engine)
    assert report.outcomes[NOTICE] is Outcome.SKIPPED_CHANGED
    assert report.outcomes["calendar/notice/9441/TB-BNV"] is Outcome.SKIPPED_DELETED
    assert report.outcomes[YEAR] is Outcome.SKIPPED_DELETED
    assert report.outcomes[PROFILE] is Outcome.SKIPPED_CHANGED
    assert (
        await sql(
            engine,
            "SELECT document->>'title' FROM calendar_notices WHERE current AND "
            "number = '12729/VPCP-KGVX'",
        )
        == "edited by an admin"
    )
    # the withdrawn notice's days are not put back
    assert (
        await sql(engine, "SELECT count(*) FROM calendar_adjustments WHERE date = '2026-08-31'")
        == 0
    )
    assert await sql(engine, "SELECT count(*) FROM calendar_years WHERE year = 2027") == 0
    assert (
        await sql(
            engine,
            "SELECT document #>> '{profile,name}' FROM profiles WHERE code = :c",
            c="nghe-an-2023",
        )
        == "edited"
    )


async def test_what_the_seed_wrote_follows_the_shipped_data(engine: AsyncEngine) -> None:
    await seed_database(engine)
    # As if an earlier release had shipped other content, and the seed had written it: the
    # database holds it and reference_seeds records its hash.
    await sql(
        engine, "UPDATE calendar_years SET provisional = true, note = 'older' WHERE year = 2027"
    )
    older_year = {"year": 2027, "provisional": True, "note": "older"}
    old_doc = await sql(engine, "SELECT document::text FROM profiles WHERE code = 'nghe-an-2023'")
    older_profile = json.loads(old_doc) | {"note_by_an_older_release": "x"}
    await sql(
        engine,
        "UPDATE profiles SET document = CAST(:d AS jsonb) WHERE code = 'nghe-an-2023'",
        d=json.dumps(older_profile, ensure_ascii=False),
    )
    for key, content in ((YEAR, older_year), (PROFILE, older_profile)):
        await sql(
            engine,
            "UPDATE reference_seeds SET shipped_hash = :h WHERE key = :k",
            h=content_hash(content),
            k=key,
        )
    version = await sql(engine, "SELECT version FROM profiles WHERE code = 'nghe-an-2023'")
    report = await seed_database(engine)
    assert report.outcomes[YEAR] is Outcome.UPDATED
    assert report.outcomes[PROFILE] is Outcome.UPDATED
    assert await sql(engine, "SELECT provisional FROM calendar_years WHERE year = 2027") is False
    # the profile gets a new version, the older one stays in its history
    assert await sql(engine, "SELECT version FROM profiles WHERE code = 'nghe-an-2023'") == (
        version + 1
    )
    assert (
        await sql(engine, "SELECT count(*) FROM profile_versions WHERE code = 'nghe-an-2023'") == 2
    )
    assert (await seed_database(engine)).outcomes[PROFILE] is Outcome.UNCHANGED


async def test_a_database_seeded_before_the_record_is_adopted(engine: AsyncEngine) -> None:
    # A database whose rows equal the shipped ones but with no record (seeded by an older
    # release's migrations): adopted as shipped, nothing rewritten.
    await seed_database(engine)
    await sql(engine, "DELETE FROM reference_seeds")
    report = await seed_database(engine)
    assert set(report.outcomes.values()) == {Outcome.UNCHANGED}
    assert await sql(engine, "SELECT count(*) FROM reference_seeds") == len(report.outcomes)


async def test_adjustments_seeded_before_notices_are_adopted(engine: AsyncEngine) -> None:
    # A database seeded by a release without notices: its seeded adjustments have no notice.
    # The seed records the notices and links the rows it wrote; an administrator's row on a
    # shipped date is left alone.
    await seed_database(engine)
    await sql(
        engine, "UPDATE calendar_adjustments SET notice_id = NULL, entry = NULL, swap_with = NULL"
    )
    await sql(engine, "DELETE FROM calendar_notices")
    await sql(engine, "DELETE FROM reference_seeds WHERE key LIKE 'calendar/notice/%'")
    await sql(
        engine,
        "UPDATE calendar_adjustments SET created_by = 'admin', name_en = 'by hand' "
        "WHERE date = '2024-04-29'",
    )
    report = await seed_database(engine)
    assert report.count(Outcome.INSERTED) == len(seed_notices())
    assert (
        await sql(engine, "SELECT count(*) FROM calendar_adjustments WHERE notice_id IS NULL") == 1
    )
    assert (
        await sql(engine, "SELECT name_en FROM calendar_adjustments WHERE date = '2024-04-29'")
        == "by hand"
    )
    assert (
        await sql(
            engine,
            "SELECT entry FROM calendar_adjustments WHERE date = '2026-01-10'",
        )
        == "swaps[0].working_day"
    )


async def test_an_admin_edit_of_a_dossier_rule_set_survives_a_reseed(engine: AsyncEngine) -> None:
    await seed_database(engine)
    # an administrator allows two supplement requests under ND 118 (a constructed edit)
    shipped = shipped_rule_sets()[1]
    assert shipped.supplement_limit is not None
    edited = shipped.model_copy(
        update={"supplement_limit": shipped.supplement_limit.model_copy(update={"max": 2})}
    )
    async with make_sessionmaker(engine)() as session:
        change = await put_rule_set(session, shipped.code, edited, "key:admin")
        await session.commit()
    assert change.row.version == 2
    report = await seed_database(engine)
    assert report.outcomes[RULE_SET] is Outcome.SKIPPED_CHANGED
    stored = await sql(
        engine, "SELECT document::text FROM dossier_rule_sets WHERE code = 'nd-118-2025'"
    )
    assert DossierRuleSet.model_validate_json(stored) == edited
    assert (
        await sql(engine, "SELECT version FROM dossier_rule_sets WHERE code = 'nd-118-2025'") == 2
    )


async def test_what_is_no_longer_shipped_is_retired_unless_changed_or_in_use(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_database(engine)
    # a release that ships neither ha-tinh-2022 nor national (which the others extend), and
    # not the ND 309 amendment's rule set (constructed: the files are as shipped)
    profiles = [
        d for d in shipped_documents() if d.profile.code not in ("ha-tinh-2022", "national")
    ]
    rule_sets = [s for s in shipped_rule_sets() if s.code != "nd-118-2025-nd-309-2026"]
    monkeypatch.setattr(seed, "shipped_documents", lambda: profiles)
    monkeypatch.setattr(seed, "shipped_rule_sets", lambda: rule_sets)
    report = await seed_database(engine)
    assert report.outcomes["profile/ha-tinh-2022"] is Outcome.RETIRED
    assert report.outcomes["profile/national"] is Outcome.KEPT_IN_USE
    assert report.outcomes["dossier-rules/nd-118-2025-nd-309-2026"] is Outcome.RETIRED
    assert await sql(engine, "SELECT count(*) FROM profiles WHERE code = 'ha-tinh-2022'") == 0
    assert await sql(engine, "SELECT count(*) FROM profiles WHERE code = 'national'") == 1
    code = "nd-118-2025-nd-309-2026"
    assert await sql(engine, "SELECT count(*) FROM dossier_rule_sets WHERE code = :c", c=code) == 0
    # the retired set's history stays; the seed no longer owns it
    assert (
        await sql(engine, "SELECT count(*) FROM dossier_rule_set_versions WHERE code = :c", c=code)
        == 1
    )
    assert (
        await sql(
            engine, "SELECT count(*) FROM reference_seeds WHERE key = :k", k=f"dossier-rules/{code}"
        )
        == 0
    )
    # once retired, nothing more happens; national is reported again while in use
    again = await seed_database(engine)
    assert "profile/ha-tinh-2022" not in again.outcomes
    assert again.outcomes["profile/national"] is Outcome.KEPT_IN_USE


async def test_a_retired_document_an_admin_changed_is_kept(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_database(engine)
    await sql(
        engine,
        "UPDATE dossier_rule_sets SET document = jsonb_set(document, '{note}', '\"edited\"') "
        "WHERE code = 'nd-118-2025-nd-309-2026'",
    )
    rule_sets = [s for s in shipped_rule_sets() if s.code != "nd-118-2025-nd-309-2026"]
    monkeypatch.setattr(seed, "shipped_rule_sets", lambda: rule_sets)
    report = await seed_database(engine)
    assert report.outcomes["dossier-rules/nd-118-2025-nd-309-2026"] is Outcome.SKIPPED_CHANGED
    assert await sql(engine, "SELECT count(*) FROM dossier_rule_sets") == 3
