"""Integrator conveniences: a dossier by office and code, the catalog's processing time, and
idempotency records that expire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from app.runtime import Runtime
from app.services.idempotency_expiry import expire_after
from tests.api.test_dossiers import dossier, office  # noqa: F401 (a fixture)

KeyMaker = Callable[..., Awaitable[str]]
PROCEDURE = "1.009901"
CATALOG_ENTRY = {
    "name": "Thủ tục thử nghiệm thời hạn",
    "field": "Thử nghiệm",
    "level": "province",
    "processing_time": {"amount": 10, "unit": "working_days"},
}


@pytest.fixture
async def auth(api_key: KeyMaker) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_key('write')}"}


async def test_dossier_by_office_and_code(
    client: AsyncClient,
    auth: dict[str, str],
    office: str,  # noqa: F811
) -> None:
    made = await client.post("/v1/dossiers", json=dossier(office), headers=auth)
    assert made.status_code == 201, made.text
    as_of = {"as_of": "2024-03-06T10:00:00+07:00"}
    by_id = await client.get(f"/v1/dossiers/{made.json()['id']}", params=as_of)
    found = await client.get(
        "/v1/dossiers/by-code", params={"office": office, "code": "H12.34-240305-0001"} | as_of
    )
    assert found.status_code == 200, found.text
    assert found.json() == by_id.json()
    assert found.headers["content-location"] == f"/v1/dossiers/{made.json()['id']}"
    assert found.headers["etag"] == by_id.headers["etag"]
    missing = await client.get(
        "/v1/dossiers/by-code", params={"office": office, "code": "H12.34-240305-9999"}
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    elsewhere = await client.get(
        "/v1/dossiers/by-code", params={"office": office + "-x", "code": "H12.34-240305-0001"}
    )
    assert elsewhere.status_code == 404  # codes are unique within an office only
    assert (await client.get("/v1/dossiers/by-code", params={"office": office})).status_code == 422


def _without_processing(place: str, code: str, procedure: str | None) -> dict[str, Any]:
    body = dossier(place, code=code, procedure_code=procedure)
    del body["processing"]
    return body


async def test_processing_time_from_the_catalog(
    client: AsyncClient,
    auth: dict[str, str],
    office: str,  # noqa: F811
) -> None:
    put = await client.put(f"/v1/procedures/{PROCEDURE}", json=CATALOG_ENTRY, headers=auth)
    assert put.status_code == 201, put.text
    made = await client.post(
        "/v1/dossiers", json=_without_processing(office, "A-1", PROCEDURE), headers=auth
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["processing"] == {"amount": 10, "unit": "working_days"}
    # Received Tuesday 5/3/2024 09:00; ten working days (no day off in March 2024): Wed 6,
    # Thu 7, Fri 8, Mon 11 … Fri 15, Mon 18, Tue 19 → due Tuesday 19/3/2024 09:00.
    assert body["state"]["due_at"] == "2024-03-19T09:00:00+07:00"
    explicit = await client.post(
        "/v1/dossiers",
        json=dossier(
            office,
            code="A-2",
            procedure_code=PROCEDURE,
            processing={"amount": 10, "unit": "working_days"},
        ),
        headers=auth,
    )
    assert explicit.json()["state"]["due_at"] == body["state"]["due_at"]


async def test_catalog_hours_are_working_hours(
    client: AsyncClient,
    auth: dict[str, str],
    office: str,  # noqa: F811
) -> None:
    # the catalog's former spelling `hours` is still read, and answered as working_hours
    entry = CATALOG_ENTRY | {"processing_time": {"amount": 8, "unit": "hours"}}
    put = await client.put(f"/v1/procedures/{PROCEDURE}", json=entry, headers=auth)
    assert put.status_code == 201
    assert put.json()["processing_time"] == {"amount": 8, "unit": "working_hours"}
    made = await client.post(
        "/v1/dossiers", json=_without_processing(office, "H-1", PROCEDURE), headers=auth
    )
    assert made.status_code == 201, made.text
    assert made.json()["processing"] == {"amount": 8, "unit": "working_hours"}


async def test_processing_needed_without_a_catalog_time(
    client: AsyncClient,
    auth: dict[str, str],
    office: str,  # noqa: F811
) -> None:
    none = await client.post(
        "/v1/dossiers", json=_without_processing(office, "N-1", None), headers=auth
    )
    assert "processing" in str(none.json()) and none.status_code == 422
    unknown = await client.post(
        "/v1/dossiers", json=_without_processing(office, "N-2", "9.999999"), headers=auth
    )
    assert unknown.status_code == 422 and "procedure_code" in str(unknown.json())
    no_time = CATALOG_ENTRY | {"processing_time": None}
    await client.put(f"/v1/procedures/{PROCEDURE}", json=no_time, headers=auth)
    untimed = await client.post(
        "/v1/dossiers", json=_without_processing(office, "N-3", PROCEDURE), headers=auth
    )
    assert untimed.status_code == 422 and "processing" in str(untimed.json())
    # nothing was written
    listed = (await client.get("/v1/dossiers", params={"office": office})).json()
    assert listed["items"] == []


async def test_idempotency_records_expire(
    client: AsyncClient,
    auth: dict[str, str],
    runtime: Runtime,
    office: str,  # noqa: F811
) -> None:
    key = auth | {"Idempotency-Key": "expiry-1"}
    first = await client.post("/v1/dossiers", json=dossier(office, code="I-1"), headers=key)
    assert first.status_code == 201
    # Within 24 h: another body with the same key is refused.
    other = dossier(office, code="I-2")
    assert (await client.post("/v1/dossiers", json=other, headers=key)).status_code == 422
    async with runtime.sessionmaker() as session:
        await session.execute(
            text(
                "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' "
                "WHERE key = 'expiry-1'"
            )
        )
        await session.commit()
    # After 24 h (IDEMPOTENCY_TTL_HOURS) the key is free again: the new body is carried out.
    again = await client.post("/v1/dossiers", json=other, headers=key)
    assert again.status_code == 201, again.text
    assert again.json()["code"] == "I-2"
    assert "idempotent-replayed" not in again.headers


async def test_expiry_job_deletes_old_records_only(
    client: AsyncClient,
    auth: dict[str, str],
    runtime: Runtime,
    office: str,  # noqa: F811
) -> None:
    for n in (1, 2):
        r = await client.post(
            "/v1/dossiers",
            json=dossier(office, code=f"J-{n}"),
            headers=auth | {"Idempotency-Key": f"job-{n}"},
        )
        assert r.status_code == 201
    async with runtime.sessionmaker() as session:
        await session.execute(
            text(
                "UPDATE idempotency_keys SET created_at = now() - interval '2 days' "
                "WHERE key = 'job-1'"
            )
        )
        job = expire_after(dt.timedelta(hours=24))
        assert await job(session, dt.datetime.now(dt.UTC)) >= 1
        left = await session.scalars(
            text("SELECT key FROM idempotency_keys WHERE key IN ('job-1', 'job-2')")
        )
        assert list(left) == ["job-2"]
