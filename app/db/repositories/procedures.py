"""Queries on the procedure catalog and its history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Decision, DecisionProcedure, Procedure, ProcedureVersion
from app.db.models.decisions import stored_procedure_level


async def get(session: AsyncSession, code: str, *, lock: bool = False) -> Procedure | None:
    query = (
        select(Procedure).where(Procedure.code == code).execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


_COLUMNS = (
    "code",
    "name",
    "field",
    "level",
    "processing_amount",
    "processing_unit",
    "processing_note",
    "abolished_on",
    "abolished_by_decision_id",
    "version",
    "updated_by",
)
# One statement for any number of rows (arrays, unnested in order), prepared once.
_INSERT_MISSING = text(
    """
    INSERT INTO procedures (
        code, name, field, level, processing_amount, processing_unit, processing_note,
        abolished_on, abolished_by_decision_id, version, updated_by
    )
    SELECT * FROM unnest(
        CAST(:code AS text[]), CAST(:name AS text[]), CAST(:field AS text[]),
        CAST(:level AS text[]), CAST(:processing_amount AS integer[]),
        CAST(:processing_unit AS text[]), CAST(:processing_note AS text[]),
        CAST(:abolished_on AS date[]), CAST(:abolished_by_decision_id AS bigint[]),
        CAST(:version AS integer[]), CAST(:updated_by AS text[])
    )
    ON CONFLICT (code) DO NOTHING
    RETURNING code
    """
)


async def insert_missing(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Insert the rows whose code is not in the catalog yet (in code order, so that two
    writers never wait on each other in a cycle); returns the codes inserted. Columns a row
    leaves out are NULL."""
    if not rows:
        return []
    ordered = sorted(rows, key=lambda r: str(r["code"]))
    arrays = {column: [row.get(column) for row in ordered] for column in _COLUMNS}
    return list(await session.scalars(_INSERT_MISSING, arrays))


async def lock_many(session: AsyncSession, codes: Sequence[str]) -> list[Procedure]:
    if not codes:
        return []
    return list(
        await session.scalars(
            select(Procedure)
            .where(Procedure.code.in_(codes))
            .order_by(Procedure.code)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


async def update_one(
    session: AsyncSession, code: str, values: Mapping[str, Any], *, bump: bool = True
) -> Procedure:
    extra: dict[str, Any] = {"updated_at": func.now()}
    if bump:
        extra["version"] = Procedure.version + 1
    await session.execute(update(Procedure).where(Procedure.code == code).values(**values, **extra))
    row = await get(session, code)
    assert row is not None
    return row


_ADD_VERSIONS = text(
    """
    INSERT INTO procedure_versions (code, version, document, cause, changed_by)
    SELECT code, version, CAST(document AS jsonb), cause, changed_by
    FROM unnest(
        CAST(:code AS text[]), CAST(:version AS integer[]), CAST(:document AS text[]),
        CAST(:cause AS text[]), CAST(:changed_by AS text[])
    ) AS t(code, version, document, cause, changed_by)
    """
)


async def add_versions(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Record versions (code, version, document, cause, changed_by) in one statement."""
    if rows:
        columns = ("code", "version", "cause", "changed_by")
        params: dict[str, list[Any]] = {c: [r[c] for r in rows] for c in columns}
        params["document"] = [json.dumps(r["document"], ensure_ascii=False) for r in rows]
        await session.execute(_ADD_VERSIONS, params)


async def abolished_by(session: AsyncSession, decision_id: int) -> list[Procedure]:
    return list(
        await session.scalars(
            select(Procedure)
            .where(Procedure.abolished_by_decision_id == decision_id)
            .order_by(Procedure.code)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


@dataclass(frozen=True)
class ProcedureFilter:
    as_of: dt.date
    status: str | None = None  # active | abolished, as of `as_of`
    field: str | None = None
    level: str | None = None
    name_contains: str | None = None


async def page(
    session: AsyncSession, where: ProcedureFilter, after: str | None, limit: int
) -> list[Procedure]:
    """In code order; keyset on the code."""
    query = select(Procedure)
    if where.status == "abolished":
        query = query.where(Procedure.abolished_on <= where.as_of)
    elif where.status == "active":
        query = query.where(
            or_(Procedure.abolished_on.is_(None), Procedure.abolished_on > where.as_of)
        )
    if where.field is not None:
        query = query.where(Procedure.field == where.field)
    if where.level is not None:
        query = query.where(Procedure.level == stored_procedure_level(where.level))
    if where.name_contains is not None:
        escaped = where.name_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Procedure.name.ilike(f"%{escaped}%", escape="\\"))
    if after is not None:
        query = query.where(Procedure.code > after)
    return list(await session.scalars(query.order_by(Procedure.code).limit(limit)))


async def decisions_of(
    session: AsyncSession, code: str
) -> list[tuple[DecisionProcedure, Decision]]:
    """The decisions that published the procedure, oldest effective date first."""
    rows = await session.execute(
        select(DecisionProcedure, Decision)
        .join(Decision, Decision.id == DecisionProcedure.decision_id)
        .where(DecisionProcedure.procedure_code == code)
        .order_by(Decision.effective_on, Decision.id)
    )
    return [(p, d) for p, d in rows.all()]


async def versions_of(session: AsyncSession, code: str) -> list[ProcedureVersion]:
    return list(
        await session.scalars(
            select(ProcedureVersion)
            .where(ProcedureVersion.code == code)
            .order_by(ProcedureVersion.version)
        )
    )
