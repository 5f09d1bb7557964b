"""Idempotency-Key on POST and PUT: the same key with the same body replays the first response;
the same key with another body is a 422 problem. Keys are scoped to the caller's API key.

The record is claimed and completed in the request's own transaction, so it commits (or rolls
back) together with the work: a failed request leaves no record and may be retried.

A record expires IDEMPOTENCY_TTL_HOURS after it was made (default 24 h, as long as a client
retries): the key may then be used afresh, and the scanner's `idempotency.expire` job deletes
expired records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Header, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.api.kit.deps import Principal
from app.api.kit.problems import ApiProblem
from app.db.repositories import idempotency as repo

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retry-safe writes: the same key and body replay the first response.",
    ),
]

_REPLAYED_HEADERS = ("location", "etag", "content-type")


async def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.url.path.encode())
    digest.update(b"\0")
    digest.update(await request.body())
    return digest.hexdigest()


async def run(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    key: str | None,
    handler: Callable[[], Awaitable[Response]],
) -> Response:
    """Run `handler` once per (caller, key); replay its response to every retry."""
    if key is None:
        return await handler()
    owner = principal.prefix or principal.name
    fingerprint = await _fingerprint(request)
    ttl = dt.timedelta(hours=request.app.state.settings.idempotency_ttl_hours)
    if not await repo.claim(session, owner, key, fingerprint, dt.datetime.now(dt.UTC) - ttl):
        record = await repo.get(session, owner, key)
        if record is None or record.status_code is None or record.body is None:
            raise ApiProblem(
                409,
                "A request with this Idempotency-Key is still in progress.",
                code="idempotency-in-progress",
            )
        if record.fingerprint != fingerprint:
            raise ApiProblem(
                422,
                "This Idempotency-Key was used with a different request body or path.",
                code="idempotency-key-reused",
                errors=[
                    {
                        "field": "Idempotency-Key",
                        "message": "reused with another request",
                        "type": "idempotency-key-reused",
                    }
                ],
            )
        headers = dict(record.headers or {}) | {"Idempotent-Replayed": "true"}
        return Response(record.body, status_code=record.status_code, headers=headers)
    response = await handler()
    if response.status_code < 500:
        headers = {k: v for k, v in response.headers.items() if k in _REPLAYED_HEADERS}
        await repo.complete(
            session, owner, key, response.status_code, bytes(response.body), headers
        )
    return response
