"""The dossier clock's reference data every replica counts with: the rule book and the office
schedules, rebuilt from the stored documents when an operator (or the seed) changes one (both
kinds bump one revision and NOTIFY dossier_rules_changed, see reference.Follower)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.data.dossiers import use_office_schedules, use_rule_book
from app.db.repositories import dossier_rules as repo
from app.db.repositories import office_schedules
from app.domain.dossiers import DossierRuleBook, OfficeSchedule
from app.services.dossier_documents import book_of, schedules_from

log = logging.getLogger(__name__)


class DossierRulesState:
    channel = "dossier_rules_changed"

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self.book: DossierRuleBook | None = None
        self.schedules: dict[str, OfficeSchedule] = {}
        self.revision = 0
        self._lock = asyncio.Lock()

    async def refresh(self) -> DossierRuleBook:
        async with self._lock:
            async with self._sessionmaker() as session:
                current = await repo.revision(session)
                if self.book is not None and self.revision == current:
                    return self.book
                rows = await repo.documents(session)
                schedule_rows = await office_schedules.documents(session)
            book, schedules = book_of(rows), schedules_from(schedule_rows)
            self.book, self.schedules, self.revision = book, schedules, current
            # what the dossier clock of this process counts with
            use_rule_book(book)
            use_office_schedules(schedules)
            log.info("dossier rules and office schedules loaded", extra={"revision": current})
            return book
