"""Decisions and obligations as their wire shapes (app/api/decisions/schemas.py): the mapping
from the stored rows, so that the schemas never see an ORM model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.api.decisions.schemas import (
    ChangeOut,
    DecisionKind,
    DecisionOut,
    DecisionStatus,
    DecisionSummary,
    ObligationOut,
    ObligationTrace,
    ProcedureAction,
    PublishedProcedureOut,
    decision_status,
)
from app.api.wire.citation import Citation, stored_citation
from app.db.models import Decision, DecisionProcedure, Obligation, ObligationChange
from app.domain.citations import Confidence
from app.domain.levels import Level
from app.domain.obligations import ObligationStatus, status_as_of


def change_out(row: ObligationChange) -> ChangeOut:
    return ChangeOut(
        reason=row.reason,
        old_due_date=row.old_due_date,
        new_due_date=row.new_due_date,
        old_calendar_revision=row.old_calendar_revision,
        new_calendar_revision=row.new_calendar_revision,
        actor=row.actor,
        at=row.at,
        detail=row.detail,
    )


def obligation_out(
    row: Obligation,
    profile: str,
    as_of: dt.date,
    *,
    trace: bool = True,
    changes: list[ObligationChange] | None = None,
) -> ObligationOut:
    return ObligationOut(
        id=row.id,
        decision_id=row.decision_id,
        profile=profile,
        rule=row.rule_code,
        title_vi=row.title_vi,
        title_en=row.title_en,
        chain_from=row.chain_from,
        due_date=row.due_date,
        status=ObligationStatus(status_as_of(ObligationStatus(row.status), row.due_date, as_of)),
        as_of=as_of,
        projected=row.projected,
        waiting_for=row.waiting_for,
        flags=list(row.flags),
        provisional=row.provisional,
        citation=obligation_citation(row),
        completed_on=row.completed_on,
        evidence=row.evidence,
        waived_reason=row.waived_reason,
        calendar_revision=row.calendar_revision,
        catalog_revision=row.catalog_revision,
        profile_version=row.profile_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        trace=ObligationTrace.of(row.trace) if trace else None,
        changes=[change_out(c) for c in changes] if changes is not None else None,
    )


def obligation_citation(row: Obligation) -> Citation:
    """The rule's citation kept in the trace; obligations created before it was kept there
    have only the text (document and article in one) and its confidence."""
    kept = (row.trace or {}).get("citation")
    if isinstance(kept, dict):
        return stored_citation(kept)
    return {"document": row.citation, "article": None, "confidence": Confidence(row.confidence)}


def published_procedure_out(row: DecisionProcedure) -> PublishedProcedureOut:
    return PublishedProcedureOut(
        code=row.procedure_code, name=row.name, action=ProcedureAction(row.action)
    )


def _decision_fields(row: Decision, status: DecisionStatus, as_of: dt.date) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number,
        "issuer": row.issuer,
        "level": Level(row.level),
        "shortened": row.shortened,
        "profile": row.profile_code,
        "kind": DecisionKind(row.kind),
        "title": row.title,
        "signed_on": row.signed_on,
        "effective_on": row.effective_on,
        "ministry_list_signed_on": row.ministry_list_signed_on,
        "note": row.note,
        "status": status,
        "as_of": as_of,
        "catalog_revision": row.catalog_revision,
        "profile_version": row.profile_version,
        "version": row.version,
        "created_by": row.created_by,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def decision_out(
    row: Decision,
    procedures: list[DecisionProcedure],
    obligations: list[Obligation],
    as_of: dt.date,
) -> DecisionOut:
    out = [obligation_out(o, row.profile_code, as_of) for o in obligations]
    counts: dict[str, int] = {}
    for o in out:
        counts[o.status.value] = counts.get(o.status.value, 0) + 1
    return DecisionOut(
        **_decision_fields(row, decision_status(counts), as_of),
        procedures=[published_procedure_out(p) for p in procedures],
        obligations=out,
    )


def decision_summary(row: Decision, counts: dict[str, int], as_of: dt.date) -> DecisionSummary:
    return DecisionSummary(
        **_decision_fields(row, decision_status(counts), as_of), obligations=counts
    )
