"""Dependencies: the runtime, one database session per request, API-key scopes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.kit.problems import ApiProblem
from app.db.repositories import api_keys
from app.domain import keys
from app.domain.calendar import CalendarSnapshot
from app.domain.keys import Scope
from app.runtime import Runtime
from app.runtime.key_cache import KnownKey


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request, committed before the response is sent.

    The dependency has function scope, so its exit runs before FastAPI sends the response:
    a failed commit becomes an error response, never a 2xx hiding lost data.
    """
    async with runtime.sessionmaker() as session:
        yield session
        if session.in_transaction():
            await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key.")


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key's name and prefix, or anonymous on open routes."""

    name: str
    prefix: str | None = None
    scopes: tuple[str, ...] = ()

    @property
    def actor(self) -> str:
        return f"key:{self.prefix} ({self.name})" if self.prefix else self.name


ANONYMOUS = Principal(name="anonymous")


def _presented(bearer: HTTPAuthorizationCredentials | None, header: str | None) -> str | None:
    if bearer is not None and bearer.scheme.lower() == "bearer":
        return bearer.credentials
    return header


async def _known(runtime: Runtime, session: AsyncSession | None, prefix: str) -> KnownKey | None:
    """The active key with this prefix, from the replica's cache or the database (through
    `session`, or a short session of its own: a cached key needs none)."""
    cache = runtime.keys
    known = cache.get(prefix) if cache is not None else None
    if known is None:
        if session is None:
            async with runtime.sessionmaker() as own:
                row = await api_keys.active_by_prefix(own, prefix)
        else:
            row = await api_keys.active_by_prefix(session, prefix)
        if row is None:
            return None
        known = KnownKey(row.name, row.prefix, row.digest, tuple(row.scopes))
        if cache is not None:
            cache.put(known)
    return known


async def authenticate(
    runtime: Runtime, session: AsyncSession | None, key: str | None, needed: Scope
) -> Principal:
    if key is None:
        raise ApiProblem(
            401,
            f"This route needs an API key with scope '{needed}': "
            "send it as `Authorization: Bearer <key>` or `X-API-Key`.",
            code="unauthorized",
            headers={"WWW-Authenticate": "Bearer"},
        )
    prefix = keys.prefix_of(key)
    row = await _known(runtime, session, prefix) if prefix is not None else None
    if row is None or not keys.matches(key, row.digest):
        raise ApiProblem(
            401,
            "The API key is unknown or revoked.",
            code="unauthorized",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not keys.grants(list(row.scopes), needed):
        raise ApiProblem(
            403,
            f"The API key lacks the scope '{needed}'.",
            code="forbidden",
            scopes=list(row.scopes),
        )
    return Principal(name=row.name, prefix=row.prefix, scopes=row.scopes)


NEEDED_SCOPE = "needed_scope"  # marks require()'s dependencies for app/api/body_gate.py
PRINCIPAL = "principal"  # where the body gate leaves the caller in the request state


async def caller(
    request: Request, session: AsyncSession | None, key: str | None, needed: Scope
) -> Principal:
    """The caller holding `needed`, checked once per request: by the body gate or a route's
    dependency before, or now."""
    state = request.scope.setdefault("state", {})
    checked = state.get(PRINCIPAL)
    if isinstance(checked, Principal):
        return checked
    principal = await authenticate(request.app.state.runtime, session, key, needed)
    state[PRINCIPAL] = principal
    return principal


def require(needed: Scope) -> Callable[..., Awaitable[Principal]]:
    """A dependency enforcing `needed` (admin grants every scope). On a route with a body the
    key was checked before the body was read (app/api/body_gate.py)."""

    async def dependency(
        request: Request,
        session: SessionDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
    ) -> Principal:
        # Routes that read their body themselves do so after this: the gate need not ask again.
        return await caller(request, session, _presented(bearer, header), needed)

    setattr(dependency, NEEDED_SCOPE, needed)
    return dependency


def write_caller(request: Request) -> Awaitable[Principal]:
    """The write-scope check of `WriteAccess`, for a route that resolves no dependencies
    (app/api/kit/hot_lane.py): the key read from the headers, a session only on a cache miss."""
    return caller(request, None, key_from_headers(request), Scope.WRITE)


def key_from_headers(request: Request) -> str | None:
    auth = request.headers.get("authorization")
    if auth is not None:
        scheme, _, credentials = auth.partition(" ")
        if scheme.lower() == "bearer" and credentials:
            return credentials.strip()
    return request.headers.get("x-api-key")


async def _check_read_access(runtime: Runtime, request: Request) -> Principal:
    """Read and compute routes: open unless REQUIRE_API_KEY_FOR_READS is set.

    Headers are read directly (no security sub-dependencies): these routes are the hot path.
    """
    if not runtime.settings.require_api_key_for_reads:
        return ANONYMOUS
    # No session unless the key must be read: open routes must not pay for one.
    return await authenticate(runtime, None, key_from_headers(request), Scope.COMPUTE)


async def open_or_compute(request: Request) -> Principal:
    return await _check_read_access(request.app.state.runtime, request)


ReadAccess = Annotated[Principal, Depends(open_or_compute)]
write_access = require(Scope.WRITE)
WriteAccess = Annotated[Principal, Depends(write_access)]
AdminAccess = Annotated[Principal, Depends(require(Scope.ADMIN))]


def not_loaded(what: str) -> ApiProblem:
    """503 while start-up waits for the database (the snapshot or catalog not loaded yet)."""
    return ApiProblem(
        503, f"{what} not loaded yet.", code="not-ready", headers={"Retry-After": "5"}
    )


async def current_calendar(request: Request) -> CalendarSnapshot:
    """The snapshot in force for this request (one read: a reload cannot tear it), after the
    read-access check. One dependency for both keeps the hot compute routes cheap."""
    runtime: Runtime = request.app.state.runtime
    await _check_read_access(runtime, request)
    snapshot = runtime.calendar.snapshot if runtime.calendar is not None else None
    if snapshot is None:
        raise not_loaded("The calendar is")
    return snapshot


CalendarDep = Annotated[CalendarSnapshot, Depends(current_calendar)]
