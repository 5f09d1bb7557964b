"""Ops change the rule catalog: admin-only writes, checked as every replica will load them,
versioned, audited, idempotent, and followed by every replica.

The replica test commits for real (two app instances share one database) and removes its
profile afterwards; the others run in the rolled-back transaction of `client`.
"""

from __future__ import annotations

import asyncio
import copy
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import text

from app.main import create_app
from app.runtime import Runtime
from tests.conftest import settings_for

PROBLEM = "application/problem+json"
CITATION = {"document": "Kế hoạch thử nghiệm 1/KH-TEST", "article": "mục I"}


def profile_document(code: str, rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "schema": 1,
        "profile": {
            "code": code,
            "name_vi": "Hồ sơ thử nghiệm",
            "name_en": "Test profile",
            "issuer": "UBND tỉnh thử nghiệm",
            "jurisdiction": "Tỉnh thử nghiệm",
            "level": "province",
            "year": 2024,
            "extends": "national",
        },
        "rule": rules or [],
    }


def posting_rule(code: str, amount: int = 3) -> dict[str, Any]:
    return {
        "code": f"{code}.posting",
        "title_vi": "Niêm yết TTHC",
        "title_en": "Post the procedures",
        "shape": "period",
        "anchor": "decision_signed",
        "amount": amount,
        "unit": "working_days",
        "citation": CITATION,
        "confidence": "V",
        "duty_on": "publication_decision",
    }


async def _wait_for(
    http: AsyncClient, path: str, ok: Callable[[Response], bool], what: str
) -> Response:
    started = time.monotonic()
    while True:
        r = await http.get(path)
        if ok(r):
            return r
        assert time.monotonic() - started < 1.0, f"{what} was not seen within 1 s"
        await asyncio.sleep(0.02)


@pytest.fixture
async def replicas(
    database_url: str, runtime: Runtime
) -> AsyncIterator[tuple[AsyncClient, AsyncClient, str]]:
    code = f"test-{uuid.uuid4().hex[:8]}"
    apps = [create_app(settings_for(database_url)) for _ in range(2)]
    try:
        async with (
            apps[0].router.lifespan_context(apps[0]),
            apps[1].router.lifespan_context(apps[1]),
            AsyncClient(transport=_transport(apps[0]), base_url="http://a") as a,
            AsyncClient(transport=_transport(apps[1]), base_url="http://b") as b,
        ):
            yield a, b, code
    finally:
        async with runtime.engine.begin() as conn:
            await conn.execute(text("DELETE FROM profiles WHERE code = :c"), {"c": code})
        assert runtime.catalog is not None
        await runtime.catalog.refresh()  # the suite's own app forgets the profile at once


def _transport(app: Any) -> Any:
    from httpx import ASGITransport

    return ASGITransport(app=app)


async def test_a_profile_and_a_rule_made_on_one_replica_are_used_by_the_other(
    replicas: tuple[AsyncClient, AsyncClient, str],
    api_key: Callable[..., Awaitable[str]],
    runtime: Runtime,
) -> None:
    a, b, code = replicas
    headers = {"Authorization": f"Bearer {await api_key('admin')}"}
    assert (await b.get(f"/v1/profiles/{code}")).status_code == 404

    created = await a.post("/v1/profiles", json=profile_document(code), headers=headers)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/v1/profiles/{code}"
    assert (created.json()["action"], created.json()["version"]) == ("created", 1)
    seen = await _wait_for(
        b, f"/v1/profiles/{code}", lambda r: r.status_code == 200, "the new profile on b"
    )
    assert seen.json()["lineage"] == ["national", code]
    assert len(seen.json()["rules"]) == 12  # the national rules, inherited

    added = await b.post(f"/v1/profiles/{code}/rules", json=posting_rule(code), headers=headers)
    assert added.status_code == 201, added.text
    assert added.headers["location"] == f"/v1/rules/{code}.posting?profile={code}"
    assert (added.json()["action"], added.json()["version"]) == ("rule_added", 2)
    assert added.json()["rule"]["profile"] == code
    await _wait_for(a, f"/v1/rules/{code}.posting", lambda r: r.status_code == 200, "the rule")
    # decision signed Fri 26/4/2024 + 3 working days: Mon 29/4 swapped off, 30/4 and 1/5
    # holidays; Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 make-up working day (3) → 4/5
    computed = await a.post(
        "/v1/deadlines/compute", json={"rule": f"{code}.posting", "anchor": "2024-04-26"}
    )
    assert computed.status_code == 200, computed.text
    assert (computed.json()["due_date"], computed.json()["profile_version"]) == ("2024-05-04", 2)
    assert computed.json()["citation"] == CITATION | {"confidence": "V"}

    replaced = await a.post(
        f"/v1/profiles/{code}/rules", json=posting_rule(code, amount=5), headers=headers
    )
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["action"], replaced.json()["version"]) == ("rule_replaced", 3)

    def five_days(r: Response) -> bool:
        return bool(r.json()["due_date"] == "2024-05-07")

    # now 5 working days: 2/5 (1), 3/5 (2), Sat 4/5 (3), Mon 6/5 (4), Tue 7/5 (5) → 7/5
    started = time.monotonic()
    while True:
        again = await b.post(
            "/v1/deadlines/compute", json={"rule": f"{code}.posting", "anchor": "2024-04-26"}
        )
        if five_days(again):
            break
        assert time.monotonic() - started < 1.0, "b did not follow the replaced rule within 1 s"
        await asyncio.sleep(0.02)

    history = (await b.get(f"/v1/profiles/{code}")).json()["history"]
    assert [v["version"] for v in history] == [1, 2, 3]
    assert all(v["changed_by"].startswith("key:") for v in history)
    first = (await b.get(f"/v1/profiles/{code}/versions/1")).json()
    assert first["document"]["rule"] == []
    async with runtime.engine.connect() as conn:
        audited = (
            await conn.execute(
                text(
                    "SELECT action, actor, detail FROM audit_log "
                    "WHERE entity = 'profile' AND entity_id = :c ORDER BY id"
                ),
                {"c": code},
            )
        ).all()
    assert [(row[0], row[2]["change"], row[2]["version"]) for row in audited] == [
        ("create", "created", 1),
        ("update", "rule_added", 2),
        ("update", "rule_replaced", 3),
    ]
    assert all(row[1].startswith("key:") for row in audited)


async def test_writes_need_the_admin_scope(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    document = profile_document("test-scope")
    assert (await client.post("/v1/profiles", json=document)).status_code == 401
    writer = {"X-API-Key": await api_key("write")}
    forbidden = await client.post("/v1/profiles", json=document, headers=writer)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == PROBLEM
    rule = posting_rule("quang-nam-2024")
    assert (
        await client.post("/v1/profiles/quang-nam-2024/rules", json=rule, headers=writer)
    ).status_code == 403


async def test_an_existing_code_is_a_conflict(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    r = await client.post("/v1/profiles", json=profile_document("quang-nam-2024"), headers=headers)
    assert r.status_code == 409
    assert r.headers["content-type"] == PROBLEM
    assert [e["field"] for e in r.json()["errors"]] == ["profile.code"]


# A reporting deadline row of a plan (a constructed one): the national report, due the 20th.
_ROW: dict[str, Any] = {
    "duty": "kstthc-report",
    "levels": ["province"],
    "day": 20,
    "bound": "at_latest",
    "phrase": "chậm nhất là ngày 20 của tháng cuối quý",
    "citation": {"document": "x", "article": "y", "confidence": "?"},
}


def _with(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    document = profile_document("test-bad", [posting_rule("test-bad")])
    changed = copy.deepcopy(document)
    change(changed)
    return changed


@pytest.mark.parametrize(
    ("document", "field", "says"),
    [
        (_with(lambda d: d["profile"].pop("name_vi")), "profile.name_vi", "required"),
        (_with(lambda d: d["profile"].update(level="galaxy")), "profile.level", "expected one of"),
        (_with(lambda d: d["profile"].update(extends="atlantis")), "profile.extends", "atlantis"),
        (_with(lambda d: d["profile"].update(code="Bad Code")), "profile.code", "lower-case"),
        (_with(lambda d: d["rule"][0].update(amount="3")), "rule[0].amount", "valid integer"),
        (_with(lambda d: d["rule"][0].update(unit="fortnights")), "rule[0].unit", "expected"),
        (_with(lambda d: d["rule"][0].update(code="posting")), "rule[0].code", "must start"),
        (_with(lambda d: d["rule"][0].update(amount=10**7)), "rule[0].amount", "beyond"),
        (_with(lambda d: d["rule"][0].update(colour="red")), "rule[0].colour", "not permitted"),
        (_with(lambda d: d["rule"][0].pop("unit")), "rule[0]", "amount and unit"),
        (_with(lambda d: d["rule"][0].update(replaces="national.nothing")), "document", "replaces"),
        (
            _with(
                lambda d: d["rule"][0].update(anchor="duty_completed", chain_from="test-bad.none")
            ),
            "document",
            "follows unknown",
        ),
        (_with(lambda d: d.update(reporting={"source": 5})), "reporting.source", "valid string"),
        (
            _with(lambda d: d.update(reporting={"deadline": [_ROW | {"levels": ["galaxy"]}]})),
            "reporting.deadline[0].levels[0]",
            "expected one of",
        ),
        (
            _with(
                lambda d: d.update(
                    reporting={"source": "x", "deadline": [_ROW | {"duty": "no-such-duty"}]}
                )
            ),
            "reporting",
            "unknown profile/duty",
        ),
        (_with(lambda d: d.update(version=7)), "version", "version 1"),
        (_with(lambda d: d.update(schema=9)), "schema", "schema"),
        (_with(lambda d: d["profile"].update(name_en="nul\x00")), "profile.name_en", "NUL"),
        (
            _with(lambda d: d["rule"][0].update(effective_from="2024-02-30")),
            "rule[0].effective_from",
            "valid date",
        ),
    ],
)
async def test_a_document_the_catalog_cannot_load_is_refused(
    client: AsyncClient,
    api_key: Callable[..., Awaitable[str]],
    runtime: Runtime,
    document: dict[str, Any],
    field: str,
    says: str,
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    revision = runtime.catalog.revision  # type: ignore[union-attr]
    r = await client.post("/v1/profiles", json=document, headers=headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert [e["field"] for e in problem["errors"]] == [field]
    # the document model names the field and says why in its error; the catalog's own checks
    # (what the model cannot see) say it in the detail
    assert says in problem["detail"] + " ".join(e["message"] for e in problem["errors"])
    assert runtime.catalog.revision == revision  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"amount": "3"}, "amount"),
        ({"shape": "hexagon"}, "shape"),
        ({"code": "posting"}, "code"),
        ({"code": None}, "code"),
        ({"unit": None}, "rule"),  # a period needs its unit: the rule as a whole is wrong
    ],
)
async def test_a_bad_rule_is_refused(
    client: AsyncClient,
    api_key: Callable[..., Awaitable[str]],
    rule: dict[str, Any],
    field: str,
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    body = {k: v for k, v in (posting_rule("quang-nam-2024") | rule).items() if v is not None}
    r = await client.post("/v1/profiles/quang-nam-2024/rules", json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_a_rule_for_an_unknown_profile(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    r = await client.post(
        "/v1/profiles/atlantis/rules", json=posting_rule("atlantis"), headers=headers
    )
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM


async def test_a_rule_added_to_a_shipped_profile(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]], runtime: Runtime
) -> None:
    """In the rolled-back transaction: the answer, the history row and the audit row."""
    headers = {"X-API-Key": await api_key("admin")}
    r = await client.post(
        "/v1/profiles/quang-nam-2024/rules", json=posting_rule("quang-nam-2024"), headers=headers
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["action"], body["version"], body["profile"]["version"]) == ("rule_added", 2, 2)
    assert body["profile"]["rule_count"] == 30
    assert body["rule"]["code"] == "quang-nam-2024.posting"
    # the profile's default span reaches its new rule: 5/3/2024..31/12/2024
    assert (body["rule"]["effective_from"], body["rule"]["effective_to"]) == (
        "2024-03-05",
        "2024-12-31",
    )
    async with runtime.sessionmaker() as session:  # the test's own connection
        versions = (
            await session.execute(
                text("SELECT version FROM profile_versions WHERE code = 'quang-nam-2024'")
            )
        ).scalars()
        assert sorted(versions) == [1, 2]
        audited = (
            await session.execute(
                text(
                    "SELECT detail->>'rule' FROM audit_log "
                    "WHERE entity = 'profile' AND entity_id = 'quang-nam-2024'"
                )
            )
        ).scalars()
        assert list(audited) == ["quang-nam-2024.posting"]


async def test_put_replaces_a_profile_and_refuses_a_stale_version(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    document = (await client.get("/v1/profiles/ha-tinh-2022/versions/1")).json()["document"]
    stale = await client.put("/v1/profiles/ha-tinh-2022", json=document, headers=headers)
    assert stale.status_code == 409  # it says version 1; the next one is 2
    assert [e["field"] for e in stale.json()["errors"]] == ["version"]
    document["version"] = 2
    document["profile"]["name_en"] = "Hà Tĩnh province, plan 2022 (corrected)"
    r = await client.put("/v1/profiles/ha-tinh-2022", json=document, headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["action"], r.json()["version"]) == ("replaced", 2)
    assert r.json()["profile"]["name_en"].endswith("(corrected)")
    other = copy.deepcopy(document) | {"version": None}
    other["profile"]["code"] = "ha-tinh-2023"
    mismatch = await client.put("/v1/profiles/ha-tinh-2022", json=other, headers=headers)
    assert mismatch.status_code == 422
    assert [e["field"] for e in mismatch.json()["errors"]] == ["profile.code"]


async def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin"), "Idempotency-Key": f"k-{uuid.uuid4()}"}
    rule = posting_rule("nghe-an-2023")
    first = await client.post("/v1/profiles/nghe-an-2023/rules", json=rule, headers=headers)
    again = await client.post("/v1/profiles/nghe-an-2023/rules", json=rule, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()  # version 2 once, not 3
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    other = await client.post(
        "/v1/profiles/nghe-an-2023/rules", json=posting_rule("nghe-an-2023", 4), headers=headers
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("/problems/idempotency-key-reused")
