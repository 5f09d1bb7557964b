"""The rule catalog and the reporting calendar every request reads, both built from the profile
documents and rebuilt when an operator changes a profile."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.data.documents import from_json
from app.data.profile_document import ProfileDocument
from app.data.reporting import reporting_catalog
from app.data.rules import parse_profile
from app.db.models import ProfileRow
from app.db.repositories import catalog as repo
from app.domain.deadlines import Catalog
from app.domain.reporting import ReportingCatalog

log = logging.getLogger(__name__)


def catalogs(rows: Sequence[ProfileRow]) -> tuple[Catalog, ReportingCatalog]:
    """The rule catalog and the reporting calendar of the stored profile documents."""
    catalog = Catalog(parse_profile(from_json(row.document), f"profile {row.code}") for row in rows)
    reporting = reporting_catalog(ProfileDocument.model_validate(row.document) for row in rows)
    return catalog, reporting


class CatalogState:
    channel = "catalog_changed"

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self.catalog: Catalog | None = None
        self.reporting: ReportingCatalog | None = None
        self.revision = 0
        self._lock = asyncio.Lock()

    async def refresh(self) -> Catalog:
        async with self._lock:
            async with self._sessionmaker() as session:
                current = await repo.revision(session)
                if self.catalog is not None and self.revision == current:
                    return self.catalog
                rows = await repo.documents(session)
            catalog, reporting = catalogs(rows)
            self.catalog, self.reporting, self.revision = catalog, reporting, current
            log.info("rule catalog loaded", extra={"revision": current})
            return catalog
