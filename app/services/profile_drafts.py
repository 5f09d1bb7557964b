"""Use cases on profile drafts: a plan's text read into a draft profile and kept; the draft
edited; the draft published as a profile version through the catalog admin use cases (checked
as every replica will load it, audited, followed by every replica).

A draft is stored as read, with the report of every row (how it was read, what could not be),
so that a person can review it, fix what the parser could not know (an anchor it could not
map, a title to translate) and publish it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ProfileDraftRow
from app.db.repositories import audit
from app.db.repositories import catalog as catalog_repo
from app.db.repositories import drafts as repo
from app.domain.deadlines import ANCHORED_SHAPES
from app.domain.errors import Conflict, DomainError, NotFound
from app.domain.plans.profile import PlanDraft, PlanHeader, RowReport, Summary, draft_profile
from app.services import catalog_admin

# Controls other than tab, line feed and carriage return: a pasted text has none, a file's
# bytes read as text have many.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_BINARY_SHARE = 0.01


class UnreadablePlan(DomainError):
    """A text that is no plan: empty, binary, or without a row the parser can find."""

    code = "unreadable-plan"


def read_plan(text: str, header: PlanHeader) -> PlanDraft:
    """The draft profile of a plan's text; UnreadablePlan when there is nothing to read."""
    if not text.strip():
        raise UnreadablePlan("the plan's text is empty", field="text")
    if "\x00" in text or len(_BINARY.findall(text)) > _BINARY_SHARE * len(text):
        raise UnreadablePlan(
            "the text holds binary data (control characters): paste the plan's text, or the "
            "table copied from the document, not the file's bytes",
            field="text",
        )
    plan = draft_profile(text, header)
    if not plan.rows:
        raise UnreadablePlan(
            "no rows found: paste the plan's table with its header row (a 'Thời gian thực "
            "hiện' or 'Thời gian hoàn thành' column), tab- or pipe-separated, or the plan's "
            "text with its 'Thời gian thực hiện: …' lines",
            field="text",
        )
    return plan


def report_json(row: RowReport) -> dict[str, Any]:
    data = dataclasses.asdict(row)
    data["reading"] = row.reading.value
    data["interpretations"] = list(row.interpretations)
    data["rules"] = list(row.rules)
    data["needs_anchor"] = list(row.needs_anchor)
    return data


def summary_of(draft: ProfileDraftRow) -> Summary:
    readings = [row["reading"] for row in draft.rows]
    rules = draft.document.get("rule")
    return Summary(
        rows=len(readings),
        parsed=readings.count("parsed"),
        interpreted=readings.count("interpreted"),
        not_understood=readings.count("not_understood"),
        rules=len(rules) if isinstance(rules, list) else 0,
    )


async def create(
    session: AsyncSession, text: str, header: PlanHeader, actor: str
) -> ProfileDraftRow:
    # off the event loop: a plan at the size limit (a million characters) takes seconds
    plan = await asyncio.to_thread(read_plan, text, header)
    document = plan.document
    catalog_admin.check_storable(document)
    draft = await repo.add(
        session, header.code, document, [report_json(r) for r in plan.rows], actor
    )
    summary = plan.summary
    await audit.record(
        session,
        actor=actor,
        action="create",
        entity="profile_draft",
        entity_id=str(draft.id),
        detail={"profile": header.code} | dataclasses.asdict(summary),
    )
    return draft


async def get(session: AsyncSession, draft_id: int) -> ProfileDraftRow:
    draft = await repo.get(session, draft_id)
    if draft is None:
        raise NotFound(f"no profile draft {draft_id}", field="id")
    return draft


async def page(
    session: AsyncSession, *, status: str | None, after: int | None, limit: int
) -> list[ProfileDraftRow]:
    return await repo.page(session, status=status, after=after, limit=limit)


async def edit(
    session: AsyncSession,
    draft_id: int,
    document: Mapping[str, Any],
    revision: int | None,
    actor: str,
) -> ProfileDraftRow:
    """Replace the draft's document (the rows' report stays as the plan was read)."""
    draft = await _open(session, draft_id)
    if revision is not None and revision != draft.revision:
        raise Conflict(
            f"draft {draft_id} is at revision {draft.revision}, not {revision}: read it again",
            field="revision",
        )
    code = catalog_admin.check_storable(document)
    draft.document = dict(document)
    draft.profile_code = code
    await repo.touch(session, draft, actor)
    await audit.record(
        session,
        actor=actor,
        action="update",
        entity="profile_draft",
        entity_id=str(draft_id),
        detail={"profile": code, "revision": draft.revision},
    )
    return draft


async def publish(session: AsyncSession, draft_id: int, actor: str) -> catalog_admin.Change:
    """The draft's document as the profile's next version (version 1 of a new profile)."""
    draft = await _open(session, draft_id)
    _check_anchors(draft)
    exists = await catalog_repo.get(session, draft.profile_code) is not None
    if exists:
        change = await catalog_admin.replace_profile(
            session, draft.profile_code, _without_version(draft.document), actor
        )
    else:
        change = await catalog_admin.create_profile(
            session, _without_version(draft.document), actor
        )
    await session.refresh(draft)  # the catalog check rereads every row (expire_all)
    draft.status = "published"
    draft.published_version = change.version
    await repo.touch(session, draft, actor)
    await audit.record(
        session,
        actor=actor,
        action="publish",
        entity="profile_draft",
        entity_id=str(draft_id),
        detail={"profile": draft.profile_code, "version": change.version},
    )
    return change


async def _open(session: AsyncSession, draft_id: int) -> ProfileDraftRow:
    draft = await repo.get(session, draft_id, lock=True)
    if draft is None:
        raise NotFound(f"no profile draft {draft_id}", field="id")
    if draft.status == "published":
        raise Conflict(
            f"draft {draft_id} is published (profile {draft.profile_code!r} version "
            f"{draft.published_version}): change the profile with PUT /v1/profiles/"
            f"{draft.profile_code}, or import the plan again",
            field="id",
        )
    return draft


def _without_version(document: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "version"}


def _check_anchors(draft: ProfileDraftRow) -> None:
    """A rule whose event the parser could not map is refused with what the plan said."""
    named = {code: row for row in draft.rows for code in row["rules"] if row["needs_anchor"]}
    rules = draft.document.get("rule")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict) or rule.get("anchor") is not None:
            continue
        if rule.get("shape") not in {s.value for s in ANCHORED_SHAPES}:
            continue
        row = named.get(str(rule.get("code")))
        said = f" (the plan says: '{row['phrase']}')" if row else ""
        raise catalog_admin.InvalidProfile(
            f"rule {rule.get('code')!r} needs an anchor{said}: set `anchor` (and `chain_from` "
            "for duty_completed) with PUT /v1/profiles/drafts/{id}",
            field=f"rule[{i}].anchor",
        )
