"""Who is calling, read from the raw ASGI scope: the presented API key's prefix, the client
address, the user agent and the W3C trace id. Shared by the access log and the rate limiter, so
both name a caller the same way; nothing here touches the database. The headers are read in
one pass (`CallerHeaders.of`): these run on every request."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

from app.domain.keys import prefix_of

ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class CallerHeaders:
    authorization: str | None = None
    api_key: str | None = None
    user_agent: str | None = None
    traceparent: str | None = None

    @classmethod
    def of(cls, scope: Scope) -> CallerHeaders:
        found: dict[bytes, str] = {}
        for name, value in scope["headers"]:
            if name in _WANTED:
                found.setdefault(name, value.decode("latin-1"))
        if not found:
            return _NONE
        return cls(
            found.get(b"authorization"),
            found.get(b"x-api-key"),
            found.get(b"user-agent"),
            found.get(b"traceparent"),
        )

    def presented_key(self) -> str | None:
        """The key of `Authorization: Bearer` or else `X-API-Key`, as `deps.key_from_headers`."""
        if self.authorization is not None:
            scheme, _, credentials = self.authorization.partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                return credentials.strip()
        return self.api_key

    def actor(self) -> str:
        """`key:<prefix>` of the presented key (never the secret), else `anonymous`."""
        key = self.presented_key()
        prefix = prefix_of(key) if key else None
        return f"key:{prefix}" if prefix else ANONYMOUS

    def trace_id(self) -> str | None:
        """The trace id of a W3C `traceparent` (version-traceid-parentid-flags), when valid."""
        if self.traceparent is None:
            return None
        parts = self.traceparent.strip().split("-")
        if len(parts) < 4 or len(parts[1]) != 32:
            return None
        trace = parts[1].lower()
        if trace == "0" * 32 or any(c not in "0123456789abcdef" for c in trace):
            return None
        return trace


_WANTED = frozenset({b"authorization", b"x-api-key", b"user-agent", b"traceparent"})
_NONE = CallerHeaders()


def client_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None
