"""Who is calling, read from the raw ASGI scope: the presented API key's prefix, the client
address, the user agent and the W3C trace id. Shared by the access log and the rate limiter, so
both name a caller the same way; nothing here touches the database."""

from __future__ import annotations

from starlette.types import Scope

from app.domain.keys import prefix_of

ANONYMOUS = "anonymous"


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def presented_key(scope: Scope) -> str | None:
    """The key of `Authorization: Bearer` or else `X-API-Key`, as `deps.key_from_headers`."""
    auth = header(scope, b"authorization")
    if auth is not None:
        scheme, _, credentials = auth.partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return credentials.strip()
    return header(scope, b"x-api-key")


def actor(scope: Scope) -> str:
    """`key:<prefix>` of the presented key (never the secret), else `anonymous`."""
    key = presented_key(scope)
    prefix = prefix_of(key) if key else None
    return f"key:{prefix}" if prefix else ANONYMOUS


def client_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


def trace_id(scope: Scope) -> str | None:
    """The trace id of a W3C `traceparent` header (version-traceid-parentid-flags), when valid."""
    value = header(scope, b"traceparent")
    if value is None:
        return None
    parts = value.strip().split("-")
    if len(parts) < 4 or len(parts[1]) != 32:
        return None
    trace = parts[1].lower()
    if trace == "0" * 32 or any(c not in "0123456789abcdef" for c in trace):
        return None
    return trace
