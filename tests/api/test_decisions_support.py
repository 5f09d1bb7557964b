"""Shared helpers of the decision, obligation and procedure API tests (no tests here)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy import text

from app.runtime import Runtime

PROBLEM = "application/problem+json"
QN = "quang-nam-2024"
_numbers = itertools.count(1)


def decision_body(**overrides: Any) -> dict[str, Any]:
    """A provincial publication decision of Quảng Nam, signed Tuesday 5/3/2024."""
    body: dict[str, Any] = {
        "number": f"{next(_numbers)}/QĐ-UBND",
        "issuer": "UBND tỉnh Quảng Nam",
        "level": "province",
        "profile": QN,
        "kind": "new",
        "title": "Công bố thủ tục hành chính mới ban hành lĩnh vực hộ tịch",
        "signed_on": "2024-03-05",
        "effective_on": "2024-03-05",
        "procedures": [
            {"code": "1.001234", "name": "Đăng ký khai sinh"},
            {"code": "2.000123", "name": "Đăng ký kết hôn"},
        ],
    }
    return body | overrides


async def create(
    client: AsyncClient, key: str, body: dict[str, Any] | None = None, **headers: str
) -> dict[str, Any]:
    r = await client.post(
        "/v1/decisions",
        json=body or decision_body(),
        headers={"Authorization": f"Bearer {key}", **headers},
    )
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def by_rule(obligations: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["rule"]: o for o in obligations}


def due_dates(obligations: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    return {o["rule"]: o["due_date"] for o in obligations}


def problem_fields(r: Response) -> list[str]:
    assert r.headers["content-type"] == PROBLEM, r.text
    return [e["field"] for e in r.json().get("errors", [])]


async def sql(runtime: Runtime, query: str, **params: Any) -> list[Any]:
    """Run a query in the test's own transaction (the `client` fixture binds the runtime's
    sessions to it), so uncommitted rows of the test are visible."""
    async with runtime.sessionmaker() as session:
        return list((await session.execute(text(query), params)).all())


async def counts(runtime: Runtime) -> dict[str, int]:
    tables = (
        "decisions",
        "decision_procedures",
        "procedures",
        "procedure_versions",
        "obligations",
        "obligation_changes",
        "events",
    )
    found = {}
    for table in tables:
        (row,) = await sql(runtime, f"SELECT count(*) FROM {table}")
        found[table] = row[0]
    return found


async def events_after(runtime: Runtime, cursor: int) -> list[tuple[str, str, dict[str, Any]]]:
    rows = await sql(
        runtime,
        "SELECT type, entity_id, payload FROM events WHERE id > :c ORDER BY id",
        c=cursor,
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def last_event(runtime: Runtime) -> int:
    (row,) = await sql(runtime, "SELECT coalesce(max(id), 0) FROM events")
    return int(row[0])
