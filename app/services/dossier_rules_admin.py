"""Use case: an administrator creates or replaces a dossier rule set (the statutory values of
the dossier clock under one decree). Each change is the set's next version (the history keeps
every one) and an audit entry; the database bumps the dossier-rules revision and every replica
reloads (dossier_rules_state).

The set is checked as every replica will load it: with the other stored sets, the periods in
force must not overlap (one set applies to a dossier by its day of receipt). The check runs
after the write, on the rows as this transaction sees them: the write holds the revision row's
lock (trigger), so concurrent writers are serialised and each checks the others' work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.dossier_rules import DossierRuleSet
from app.db.models import DossierRuleSetRow, DossierRuleSetVersion
from app.db.repositories import audit
from app.db.repositories import dossier_rules as documents_repo
from app.db.repositories import dossier_rules as repo
from app.db.repositories import dossier_rules as revisions_repo
from app.domain.errors import Conflict, DomainError
from app.services.dossier_documents import book_of


class InvalidRuleSet(DomainError):
    code = "invalid-dossier-rules"


@dataclass(frozen=True, slots=True)
class Change:
    created: bool
    row: DossierRuleSetRow
    revision: int


async def put_rule_set(
    session: AsyncSession,
    code: str,
    rule_set: DossierRuleSet,
    actor: str,
    based_on: int | None = None,
) -> Change:
    """The set's next version (version 1 when new). `based_on`: the version the edit was
    made on; a set that has moved on since is a Conflict."""
    if rule_set.code != code:
        raise InvalidRuleSet(f"the document's code {rule_set.code!r} is not {code!r}", field="code")
    row = await repo.get(session, code, lock=True)
    current = row.version if row is not None else None
    if based_on is not None and based_on != current:
        raise Conflict(
            f"dossier rule set {code!r} is at version {current}, not {based_on}: "
            "reload it and apply the change again",
            field="based_on",
        )
    try:
        rule_set.rules()  # values the clock can count
    except DomainError as error:
        raise InvalidRuleSet(error.detail, field=error.field or "document") from None
    version = await repo.last_version(session, code) + 1
    await repo.save(session, code, version, rule_set.as_json(), actor)
    session.expire_all()  # reread every set: another writer may have committed meanwhile
    rows = await repo.documents(session)
    try:
        book_of(rows)
    except DomainError as error:
        raise InvalidRuleSet(
            f"{error.detail}: the periods in force (effective_from – effective_to) of two "
            "rule sets overlap",
            field="effective_from",
        ) from None
    await audit.record(
        session,
        actor=actor,
        action="create" if row is None else "update",
        entity="dossier_rules",
        entity_id=code,
        detail={"version": version},
    )
    saved = next(r for r in rows if r.code == code)
    return Change(row is None, saved, await repo.revision(session))


# -- reads and the commit ----------------------------------------------------------------------


async def documents(session: AsyncSession) -> list[DossierRuleSetRow]:
    return await documents_repo.documents(session)


async def document(session: AsyncSession, code: str) -> DossierRuleSetRow | None:
    return await documents_repo.get(session, code)


async def history(session: AsyncSession, code: str) -> list[DossierRuleSetVersion]:
    return await documents_repo.history(session, code)


async def revision(session: AsyncSession) -> int:
    """The revision of the dossier rule sets and office schedules (one for both)."""
    return await revisions_repo.revision(session)


async def commit(
    session: AsyncSession, after_commit: Callable[[], Awaitable[object]] | None
) -> None:
    """End the change's one transaction, then reload this replica's dossier rules and office
    schedules (the others follow by NOTIFY)."""
    await session.commit()
    if after_commit is not None:
        await after_commit()
