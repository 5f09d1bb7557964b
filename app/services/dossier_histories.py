"""Each replica's memory of the dossiers it recently wrote or read: their committed histories.

An event writer folds the new events against the remembered history and writes them with one
statement that applies only if the dossier is still as remembered (same event count, same last
write); otherwise nothing is written and the writer reads the history again. So the memory is a
hint that saves a read, never a source of truth: a stale entry costs a round trip, not an event.
Entries are remembered only once their transaction has committed.
"""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.db.repositories.dossiers import DossierWithEvents
from app.domain.dossiers import FoldedClock

_PENDING = "dossier_histories.pending"


class DossierHistories:
    """Least recently used dossiers first out, `size` at most; with each history, its clock
    as folded (app/domain/dossiers/clock.py, FoldedClock)."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._items: OrderedDict[int, tuple[DossierWithEvents, FoldedClock]] = OrderedDict()

    def get(self, dossier_id: int) -> DossierWithEvents | None:
        found = self._items.get(dossier_id)
        if found is None:
            return None
        self._items.move_to_end(dossier_id)
        return found[0]

    def folded(self, history: DossierWithEvents) -> FoldedClock | None:
        """The clock folded from `history`, if it is the one remembered."""
        found = self._items.get(history.dossier.id)
        return found[1] if found is not None and found[0] is history else None

    def forget(self, dossier_id: int) -> None:
        self._items.pop(dossier_id, None)

    def remember_on_commit(
        self, session: AsyncSession, history: DossierWithEvents, folded: FoldedClock
    ) -> None:
        """Remember `history` once the session's transaction commits (never if it rolls back)."""
        session.info.setdefault(_PENDING, []).append((self, history, folded))

    def remember(self, history: DossierWithEvents, folded: FoldedClock) -> None:
        """Remember a committed history."""
        self._items[history.dossier.id] = (history, folded)
        self._items.move_to_end(history.dossier.id)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for histories, history, folded in session.info.pop(_PENDING, ()):
        histories.remember(history, folded)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
