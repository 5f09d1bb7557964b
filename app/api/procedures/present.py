"""Catalog entries as their wire shapes (app/api/procedures/schemas.py): the mapping from the
stored rows, so that the schemas never see an ORM model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.api.procedures.schemas import (
    ProcedureDetail,
    ProcedureOut,
    ProcedureStatus,
    ProcedureVersionOut,
    ProcessingTime,
    PublishingDecision,
)
from app.db.models import Decision, DecisionProcedure, Procedure, ProcedureVersion
from app.domain.dossiers.processing import TimeUnit
from app.domain.levels import Level
from app.domain.obligations import procedure_status


def _fields(row: Procedure, as_of: dt.date) -> dict[str, Any]:
    time = None
    if row.processing_amount is not None and row.processing_unit is not None:
        time = ProcessingTime(amount=row.processing_amount, unit=TimeUnit(row.processing_unit))
    return {
        "code": row.code,
        "name": row.name,
        "field": row.field,
        "level": Level(row.level) if row.level else None,
        "processing_time": time,
        "processing_note": row.processing_note,
        "status": ProcedureStatus(procedure_status(row.abolished_on, as_of)),
        "as_of": as_of,
        "abolished_on": row.abolished_on,
        "abolished_by_decision_id": row.abolished_by_decision_id,
        "version": row.version,
        "updated_by": row.updated_by,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def procedure_out(row: Procedure, as_of: dt.date) -> ProcedureOut:
    return ProcedureOut(**_fields(row, as_of))


def procedure_detail(
    row: Procedure,
    decisions: list[tuple[DecisionProcedure, Decision]],
    versions: list[ProcedureVersion],
    as_of: dt.date,
) -> ProcedureDetail:
    return ProcedureDetail(
        **_fields(row, as_of),
        decisions=[
            PublishingDecision(
                decision_id=d.id,
                number=d.number,
                issuer=d.issuer,
                signed_on=d.signed_on,
                effective_on=d.effective_on,
                action=p.action,
                name=p.name,
            )
            for p, d in decisions
        ],
        versions=[
            ProcedureVersionOut(
                version=v.version,
                cause=v.cause,
                changed_by=v.changed_by,
                changed_at=v.changed_at,
                document=v.document,
            )
            for v in versions
        ],
    )
