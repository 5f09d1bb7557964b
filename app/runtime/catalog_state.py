"""The rule catalog every request reads, rebuilt when an operator changes a profile."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.data.documents import from_json
from app.data.rules import parse_profile
from app.db.repositories import catalog as repo
from app.domain.deadlines import Catalog

log = logging.getLogger(__name__)


class CatalogState:
    channel = "catalog_changed"

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self.catalog: Catalog | None = None
        self.revision = 0
        self._lock = asyncio.Lock()

    async def refresh(self) -> Catalog:
        async with self._lock:
            async with self._sessionmaker() as session:
                current = await repo.revision(session)
                if self.catalog is not None and self.revision == current:
                    return self.catalog
                rows = await repo.documents(session)
            catalog = Catalog(
                parse_profile(from_json(row.document), f"profile {row.code}") for row in rows
            )
            self.catalog, self.revision = catalog, current
            log.info("rule catalog loaded", extra={"revision": current})
            return catalog
