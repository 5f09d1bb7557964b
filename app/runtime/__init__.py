"""What a running app holds: settings, database engine, calendar state, background tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.db.repositories.driver import own_statements
from app.services.dossier_appends import DossierAppends
from app.services.dossier_histories import DossierHistories
from app.settings import Settings

if TYPE_CHECKING:
    from app.runtime.calendar_state import CalendarState
    from app.runtime.catalog_state import CatalogState
    from app.runtime.dossier_rules_state import DossierRulesState
    from app.runtime.key_cache import ApiKeyCache


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    calendar: CalendarState | None = None
    catalog: CatalogState | None = None
    dossier_rules: DossierRulesState | None = None
    keys: ApiKeyCache | None = None
    dossier_histories: DossierHistories = field(default_factory=DossierHistories)
    dossier_appends: DossierAppends = field(init=False)

    def __post_init__(self) -> None:
        # Through the attribute at each write: tests swap the sessionmaker for a rolled-back one.
        self.dossier_appends = DossierAppends(lambda: own_statements(self.sessionmaker))
