"""The procedure catalog: upsert with optimistic concurrency, and what decisions do to it
(publishing a code it does not have yet adds it; an abolishing decision abolishes its
procedures from its effective date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Decision, DecisionProcedure, Procedure, ProcedureVersion
from app.db.models.decisions import stored_procedure_level, stored_processing_unit
from app.db.repositories import feed
from app.db.repositories import procedures as repo
from app.domain.errors import NotFound
from app.services.obligations import FeedEvent

# The catalog fields a PUT sets; the rest (abolished_by_decision_id, version) follow from them.
FIELDS = (
    "name",
    "field",
    "level",
    "processing_amount",
    "processing_unit",
    "processing_note",
    "abolished_on",
)

# The list's filter, as the repository applies it.
ProcedureFilter = repo.ProcedureFilter


class PreconditionFailed(Exception):
    """If-Match / If-None-Match did not hold (HTTP 412), or was required and missing (428)."""

    def __init__(self, detail: str, etag: str | None, *, required: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.etag = etag
        self.required = required


def etag_of(version: int, as_of: dt.date | None = None) -> str:
    """A record's tag: its version; a read also names the day its statuses are as of (the
    same version reads differently another day), so a cache never keeps yesterday's."""
    return f'"{version}"' if as_of is None else f'"{version}.{as_of.isoformat()}"'


def version_matches(if_match: str, version: int) -> bool:
    """If-Match (RFC 9110 §13.1.1): `*`, or a strong tag of this version (a write's `"3"` or a
    read's `"3.2025-03-05"`); a weak tag never matches."""
    if if_match.strip() == "*":
        return True
    tags = (t.strip() for t in if_match.split(","))
    return any(
        len(t) >= 2 and t[0] == t[-1] == '"' and t[1:-1].split(".", 1)[0] == str(version)
        for t in tags
    )


_DOCUMENT_FIELDS = (*FIELDS, "abolished_by_decision_id")


def _fields_of(row: Procedure) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _DOCUMENT_FIELDS}


def document(code: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A catalog entry as kept in its history."""
    found: dict[str, Any] = {"code": code}
    for name in _DOCUMENT_FIELDS:
        value = values.get(name)
        found[name] = value.isoformat() if isinstance(value, dt.date) else value
    return found


def upserted_event(code: str, version: int, values: Mapping[str, Any], cause: str) -> FeedEvent:
    abolished_on = values.get("abolished_on")
    return (
        "procedure.upserted",
        "procedure",
        code,
        {
            "code": code,
            "version": version,
            "name": values["name"],
            "abolished_on": abolished_on.isoformat() if abolished_on else None,
            "cause": cause,
        },
    )


def _version_row(
    code: str, version: int, values: Mapping[str, Any], cause: str, actor: str
) -> dict[str, Any]:
    return {
        "code": code,
        "version": version,
        "document": document(code, values),
        "cause": cause,
        "changed_by": actor,
    }


def _recorded(row: Procedure, cause: str, actor: str) -> tuple[dict[str, Any], FeedEvent]:
    """The version row and the event of a catalog row as it now is."""
    values = _fields_of(row)
    return (
        _version_row(row.code, row.version, values, cause, actor),
        upserted_event(row.code, row.version, values, cause),
    )


@dataclass(frozen=True)
class Upserted:
    procedure: Procedure
    created: bool
    changed: bool


async def upsert(
    session: AsyncSession,
    code: str,
    values: dict[str, Any],
    *,
    if_match: str | None,
    if_none_match: str | None,
    actor: str,
) -> Upserted:
    """Create or replace a catalog entry. If-Match guards against lost updates (412 on a
    stale tag); If-None-Match: * creates only. An identical body changes nothing (no new
    version, no event)."""
    values = values | {
        "level": stored_procedure_level(values.get("level")),
        "processing_unit": stored_processing_unit(values.get("processing_unit")),
    }
    row = await repo.get(session, code, lock=True)
    if row is None:
        if if_match is not None:
            raise PreconditionFailed(f"procedure {code} does not exist (If-Match)", None)
        inserted = await repo.insert_missing(
            session, [{"code": code, **values, "version": 1, "updated_by": actor}]
        )
        if not inserted:  # created concurrently a moment ago: update it instead
            return await upsert(
                session,
                code,
                values,
                if_match=if_match,
                if_none_match=if_none_match,
                actor=actor,
            )
        created = await repo.get(session, code)
        assert created is not None
        version, event = _recorded(created, "put", actor)
        await repo.add_versions(session, [version])
        await feed.append(session, [event])
        return Upserted(created, created=True, changed=True)
    if if_none_match is not None and if_none_match.strip() == "*":
        raise PreconditionFailed(f"procedure {code} already exists (If-None-Match: *)", None)
    if if_match is None:
        raise PreconditionFailed(
            f"procedure {code} exists: send the ETag you read as If-Match to replace it, so "
            "that two writers never silently overwrite each other",
            etag_of(row.version),
            required=True,
        )
    if not version_matches(if_match, row.version):
        raise PreconditionFailed(
            f"procedure {code} is at version {row.version}: the If-Match tag is stale",
            etag_of(row.version),
        )
    current = {name: getattr(row, name) for name in FIELDS}
    if current == values:
        return Upserted(row, created=False, changed=False)
    changes = dict(values)
    if values["abolished_on"] != row.abolished_on:
        changes["abolished_by_decision_id"] = None  # set by hand now, not by a decision
    updated = await repo.update_one(session, code, changes | {"updated_by": actor})
    version, event = _recorded(updated, "put", actor)
    await repo.add_versions(session, [version])
    await feed.append(session, [event])
    return Upserted(updated, created=False, changed=True)


@dataclass(frozen=True)
class PublishedItem:
    code: str
    name: str
    action: str


async def apply_decision(
    session: AsyncSession, decision: Decision, items: Sequence[PublishedItem], actor: str
) -> list[FeedEvent]:
    """Add the codes the catalog lacks (named as the decision names them) and abolish, from
    the decision's effective date, the procedures it abolishes. Returns the events."""
    cause = f"decision:{decision.id}"
    abolished = {i.code for i in items if i.action == "abolished"}
    rows = [
        {
            "code": item.code,
            "name": item.name,
            "version": 1,
            "updated_by": actor,
            "abolished_on": decision.effective_on if item.code in abolished else None,
            "abolished_by_decision_id": decision.id if item.code in abolished else None,
        }
        for item in sorted(items, key=lambda i: i.code)
    ]
    inserted = set(await repo.insert_missing(session, rows))
    versions: list[dict[str, Any]] = []
    events: list[FeedEvent] = []
    for row in rows:
        code = str(row["code"])
        if code in inserted:
            versions.append(_version_row(code, 1, row, cause, actor))
            events.append(upserted_event(code, 1, row, cause))
    for existing in await repo.lock_many(session, sorted(abolished - inserted)):
        if (existing.abolished_on, existing.abolished_by_decision_id) == (
            decision.effective_on,
            decision.id,
        ):
            continue
        updated = await repo.update_one(
            session,
            existing.code,
            {
                "abolished_on": decision.effective_on,
                "abolished_by_decision_id": decision.id,
                "updated_by": actor,
            },
        )
        version, event = _recorded(updated, cause, actor)
        versions.append(version)
        events.append(event)
    await repo.add_versions(session, versions)
    return events


async def move_abolition(
    session: AsyncSession, decision: Decision, actor: str, *, undo: bool = False
) -> list[FeedEvent]:
    """The decision's effective date changed (or it is deleted: `undo`): the procedures it
    abolished follow."""
    cause = f"decision:{decision.id}"
    versions: list[dict[str, Any]] = []
    events: list[FeedEvent] = []
    for row in await repo.abolished_by(session, decision.id):
        values: dict[str, Any] = {"updated_by": actor}
        if undo:
            values |= {"abolished_on": None, "abolished_by_decision_id": None}
        elif row.abolished_on != decision.effective_on:
            values["abolished_on"] = decision.effective_on
        else:
            continue
        version, event = _recorded(await repo.update_one(session, row.code, values), cause, actor)
        versions.append(version)
        events.append(event)
    await repo.add_versions(session, versions)
    return events


@dataclass(frozen=True)
class ProcedureView:
    procedure: Procedure
    decisions: list[tuple[DecisionProcedure, Decision]]
    versions: list[ProcedureVersion]


async def get(session: AsyncSession, code: str) -> ProcedureView:
    row = await repo.get(session, code)
    if row is None:
        raise NotFound(f"no procedure {code}", field="code")
    return ProcedureView(
        row, await repo.decisions_of(session, code), await repo.versions_of(session, code)
    )


async def page(
    session: AsyncSession, where: repo.ProcedureFilter, after: str | None, limit: int
) -> tuple[list[Procedure], bool]:
    rows = await repo.page(session, where, after, limit + 1)
    return rows[:limit], len(rows) > limit
