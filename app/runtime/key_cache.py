"""Verified API keys, remembered per replica so a write does not pay a lookup each time.

Any change to `api_keys` (create, revoke) NOTIFYs `api_keys_changed` (migration 0007); the
reference follower then calls `refresh()`, which also runs on every poll and clears the cache
when the table's signature moved. A revoked key is refused on every replica within a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.models import ApiKey
from app.db.repositories import api_keys as repo


@dataclass(frozen=True)
class KnownKey:
    name: str
    prefix: str
    digest: str
    scopes: tuple[str, ...]


class ApiKeyCache:
    channel = "api_keys_changed"

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._keys: dict[str, KnownKey] = {}
        self._signature: tuple[int, int, int] | None = None

    def get(self, prefix: str) -> KnownKey | None:
        return self._keys.get(prefix)

    def put(self, key: KnownKey) -> None:
        self._keys[key.prefix] = key

    async def lookup(self, prefix: str) -> KnownKey | None:
        """The active key with this prefix: remembered, or read on a session of its own."""
        known = self._keys.get(prefix)
        if known is None:
            async with self._sessionmaker() as session:
                row = await repo.active_by_prefix(session, prefix)
            if row is None:
                return None
            known = KnownKey(row.name, row.prefix, row.digest, tuple(row.scopes))
            self.put(known)
        return known

    async def refresh(self) -> None:
        async with self._sessionmaker() as session:
            row = (
                await session.execute(
                    select(
                        func.coalesce(func.max(ApiKey.id), 0),
                        func.count(),
                        func.count(ApiKey.revoked_at),
                    )
                )
            ).one()
        signature = (int(row[0]), int(row[1]), int(row[2]))
        if signature != self._signature:
            self._keys.clear()
            self._signature = signature
