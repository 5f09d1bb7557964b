"""Use case: an administrator creates or replaces an office schedule (the hours in which the
dossier clock counts at an office). Each change is the schedule's next version (the history
keeps every one) and an audit entry; the database bumps the dossier reference revision (the
one the rule sets bump) and every replica reloads (dossier_rules_state).

A new appointment counts with the new hours at once. A stored dossier that names the schedule
is re-derived with them when next evaluated (its next event, or the scanner at its next status
check), like after a change of a rule set: no pass re-dates every such dossier at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.office_schedules import OfficeScheduleDocument
from app.db.models import OfficeScheduleRow, OfficeScheduleVersion
from app.db.repositories import audit
from app.db.repositories import dossier_rules as revisions
from app.db.repositories import office_schedules as repo
from app.domain.errors import Conflict, DomainError

# Rule sets and schedules share one revision and one reload: the same commit.
from app.services.dossier_rules_admin import commit as commit
from app.services.dossier_rules_admin import revision as revision


@dataclass(frozen=True, slots=True)
class Change:
    created: bool
    row: OfficeScheduleRow
    revision: int


class InvalidSchedule(DomainError):
    code = "invalid-office-schedule"


async def put_schedule(
    session: AsyncSession,
    code: str,
    document: OfficeScheduleDocument,
    actor: str,
    based_on: int | None = None,
) -> Change:
    """The schedule's next version (version 1 when new). `based_on`: the version the edit was
    made on; a schedule that has moved on since is a Conflict."""
    if document.code != code:
        raise InvalidSchedule(
            f"the document's code {document.code!r} is not {code!r}", field="code"
        )
    try:
        document.schedule()  # hours the clock can count
    except DomainError as error:
        raise InvalidSchedule(error.detail, field=error.field or "windows") from None
    row = await repo.get(session, code, lock=True)
    current = row.version if row is not None else None
    if based_on is not None and based_on != current:
        raise Conflict(
            f"office schedule {code!r} is at version {current}, not {based_on}: "
            "reload it and apply the change again",
            field="based_on",
        )
    version = await repo.last_version(session, code) + 1
    await repo.save(session, code, version, document.as_json(), actor)
    await audit.record(
        session,
        actor=actor,
        action="create" if row is None else "update",
        entity="office_schedule",
        entity_id=code,
        detail={"version": version},
    )
    saved = await repo.get(session, code)
    assert saved is not None
    await session.refresh(saved)  # updated_at as the database set it
    return Change(row is None, saved, await revisions.revision(session))


# -- reads and the commit ----------------------------------------------------------------------


async def documents(session: AsyncSession) -> list[OfficeScheduleRow]:
    return await repo.documents(session)


async def document(session: AsyncSession, code: str) -> OfficeScheduleRow | None:
    return await repo.get(session, code)


async def history(session: AsyncSession, code: str) -> list[OfficeScheduleVersion]:
    return await repo.history(session, code)
