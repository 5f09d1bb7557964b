"""Create, list and revoke API keys (used by the CLI)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ApiKey
from app.db.repositories import api_keys, audit
from app.domain.keys import Scope, new_key


async def create(
    session: AsyncSession, name: str, scopes: list[Scope], actor: str
) -> tuple[str, ApiKey]:
    key, prefix, digest = new_key()
    row = await api_keys.add(
        session, name=name, prefix=prefix, digest=digest, scopes=sorted({s.value for s in scopes})
    )
    await audit.record(
        session,
        actor=actor,
        action="create",
        entity="api_key",
        entity_id=prefix,
        detail={"name": name, "scopes": row.scopes},
    )
    return key, row


async def revoke(session: AsyncSession, prefix: str, actor: str) -> bool:
    revoked = await api_keys.revoke(session, prefix)
    if revoked:
        await audit.record(
            session, actor=actor, action="revoke", entity="api_key", entity_id=prefix
        )
    return revoked
