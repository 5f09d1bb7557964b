"""A route's own body limit, below the service-wide one of the body gate (app/api/kit/
body_gate.py): a dependency that reads the body (FastAPI keeps it for the route and for the
idempotency fingerprint) and refuses it with 413 past `limit` bytes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, Request

from app.api.kit.endpoint import too_large


def body_limit(limit: int) -> Any:
    """`dependencies=[body_limit(64 * 1024)]` on a route."""

    async def check(request: Request) -> None:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise too_large(limit)
        if len(await request.body()) > limit:
            raise too_large(limit)

    limited: Callable[[Request], Awaitable[None]] = check
    return Depends(limited)
