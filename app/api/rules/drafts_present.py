"""Profile drafts as their wire shapes (app/api/rules/drafts_schemas.py): the mapping from the
stored rows, so that the schemas never see an ORM model."""

from __future__ import annotations

from typing import Any

from app.api.rules.drafts_schemas import DraftBrief, DraftOut, RowOut, SummaryOut
from app.db.models import ProfileDraftRow
from app.services import profile_drafts


def _fields(row: ProfileDraftRow) -> dict[str, Any]:
    summary = profile_drafts.summary_of(row)
    return {
        "id": row.id,
        "profile": row.profile_code,
        "status": row.status,
        "revision": row.revision,
        "summary": SummaryOut(
            rows=summary.rows,
            parsed=summary.parsed,
            interpreted=summary.interpreted,
            not_understood=summary.not_understood,
            rules=summary.rules,
        ),
        "published_version": row.published_version,
        "created_by": row.created_by,
        "created_at": row.created_at,
        "updated_by": row.updated_by,
        "updated_at": row.updated_at,
    }


def draft_brief(row: ProfileDraftRow) -> DraftBrief:
    return DraftBrief(**_fields(row))


def draft_out(row: ProfileDraftRow) -> DraftOut:
    return DraftOut(**_fields(row), rows=[RowOut(**r) for r in row.rows], document=row.document)
