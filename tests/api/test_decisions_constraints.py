"""The database refuses bad decision, procedure and obligation rows by itself, whatever the
code above it does (CHECKs, foreign and unique keys)."""

from __future__ import annotations

import datetime as dt

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.runtime import Runtime
from tests.api.test_decisions_support import by_rule, create

_DECISION = (
    "INSERT INTO decisions (number, issuer, level, profile_code, kind, signed_on, effective_on, "
    "catalog_revision, profile_version, created_by, updated_by) VALUES "
    "(:number, :issuer, :level, :profile, :kind, :signed, :effective, 1, 1, 't', 't')"
)
_GOOD = {
    "number": "9/QĐ-UBND",
    "issuer": "UBND tỉnh Ràng buộc",
    "level": "province",
    "profile": "quang-nam-2024",
    "kind": "new",
    "signed": dt.date(2024, 3, 5),
    "effective": dt.date(2024, 3, 5),
}


async def _refused(runtime: Runtime, statement: str, **params: object) -> str:
    """Run the statement in a savepoint; return the name of the constraint that refused it."""
    async with runtime.sessionmaker() as session:
        with pytest.raises(IntegrityError) as caught:
            async with session.begin_nested():
                await session.execute(text(statement), params)
        return str(caught.value.orig)


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"effective": dt.date(2024, 3, 4)}, "ck_decisions_effective_after_signing"),
        ({"level": "district"}, "ck_decisions_level"),
        ({"kind": "merged"}, "ck_decisions_kind"),
        ({"number": "  "}, "ck_decisions_number_given"),
        ({"profile": "nowhere-2099"}, "fk_decisions_profile_code_profiles"),
    ],
)
async def test_bad_decision_rows(
    client: AsyncClient, runtime: Runtime, change: dict[str, object], constraint: str
) -> None:
    assert constraint in await _refused(runtime, _DECISION, **(_GOOD | change))


async def test_one_number_per_issuer(client: AsyncClient, runtime: Runtime) -> None:
    async with runtime.sessionmaker() as session:
        await session.execute(text(_DECISION), _GOOD)
        await session.commit()  # the test's savepoint; rolled back with the test
    assert "uq_decisions_issuer" in await _refused(runtime, _DECISION, **_GOOD)


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        (
            "INSERT INTO procedures (code, name, updated_by) VALUES ('1.23', 'x', 't')",
            "ck_procedures_code_format",
        ),
        (
            "INSERT INTO procedures (code, name, updated_by, processing_amount) "
            "VALUES ('1.000001', 'x', 't', 5)",
            "ck_procedures_processing_pair",
        ),
        (
            "INSERT INTO procedures (code, name, updated_by, level) "
            "VALUES ('1.000001', 'x', 't', 'village')",
            "ck_procedures_level",
        ),
    ],
)
async def test_bad_procedure_rows(
    client: AsyncClient, runtime: Runtime, statement: str, constraint: str
) -> None:
    assert constraint in await _refused(runtime, statement)


@pytest.mark.parametrize(
    ("assignment", "constraint"),
    [
        ("status = 'done'", "ck_obligations_completion"),  # done without a completion date
        ("completed_on = '2024-03-07'", "ck_obligations_completion"),  # a date, still open
        ("status = 'waived'", "ck_obligations_waiver"),  # waived without a reason
        ("status = 'finished'", "ck_obligations_status"),
        # completed after the due date (8/3) yet marked in time
        ("status = 'done', completed_on = '2024-03-11'", "ck_obligations_done_means_in_time"),
        # completed on the due date yet marked late
        ("status = 'done_late', completed_on = '2024-03-08'", "ck_obligations_late_means_late"),
        ("profile_code = 'national'", "fk_obligations_decision_id_decisions"),  # not its profile
    ],
)
async def test_bad_obligation_updates(
    client: AsyncClient, api_key: object, runtime: Runtime, assignment: str, constraint: str
) -> None:
    key = await api_key("write")  # type: ignore[operator]
    created = await create(client, key)
    counter = by_rule(created["obligations"])["quang-nam-2024.posting-counter"]["id"]
    statement = f"UPDATE obligations SET {assignment} WHERE id = :id"
    assert constraint in await _refused(runtime, statement, id=counter)


async def test_a_published_procedure_cannot_vanish(
    client: AsyncClient, api_key: object, runtime: Runtime
) -> None:
    key = await api_key("write")  # type: ignore[operator]
    await create(client, key)
    refused = await _refused(runtime, "DELETE FROM procedures WHERE code = '1.001234'")
    assert "fk_decision_procedures_procedure_code_procedures" in refused
