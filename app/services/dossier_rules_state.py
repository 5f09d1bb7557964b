"""The dossier rule book every replica counts with, rebuilt from the stored rule sets when an
operator (or the seed) changes one (NOTIFY dossier_rules_changed, see reference.Follower)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.data.dossier_rules import DossierRuleSet
from app.data.dossiers import rule_book, use_rule_book
from app.db.models import DossierRuleSetRow
from app.db.repositories import dossier_rules as repo
from app.domain.dossiers import DossierRuleBook

log = logging.getLogger(__name__)


def book_of(rows: Sequence[DossierRuleSetRow]) -> DossierRuleBook:
    return rule_book(DossierRuleSet.model_validate(row.document) for row in rows)


class DossierRulesState:
    channel = "dossier_rules_changed"

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self.book: DossierRuleBook | None = None
        self.revision = 0
        self._lock = asyncio.Lock()

    async def refresh(self) -> DossierRuleBook:
        async with self._lock:
            async with self._sessionmaker() as session:
                current = await repo.revision(session)
                if self.book is not None and self.revision == current:
                    return self.book
                rows = await repo.documents(session)
            book = book_of(rows)
            self.book, self.revision = book, current
            use_rule_book(book)  # what the dossier clock of this process counts with
            log.info("dossier rules loaded", extra={"revision": current})
            return book
