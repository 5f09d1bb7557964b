"""The stamps of the reference data (calendar, rule catalog, dossier rules, API keys) in one
statement: all an idle replica's fallback check reads, by the NOTIFY channel each belongs to."""

from __future__ import annotations

import asyncpg

_STAMPS = """
SELECT
    (SELECT revision FROM calendar_revision WHERE id = 1)::text AS calendar_changed,
    (SELECT revision FROM catalog_revision WHERE id = 1)::text AS catalog_changed,
    (SELECT revision FROM dossier_rules_revision WHERE id = 1)::text AS dossier_rules_changed,
    (SELECT concat_ws(':', coalesce(max(id), 0), count(*), count(revoked_at)) FROM api_keys)
        AS api_keys_changed
"""


async def stamps(conn: asyncpg.Connection) -> dict[str, str | None]:
    row = await conn.fetchrow(_STAMPS)
    assert row is not None
    return dict(row.items())
