"""Rules and profiles: browse each profile's rules (phrases, citations, confidence) and its
versions; admins paste a plan to draft a profile, review it row by row, edit and publish it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from app.console import reference
from app.console.web import AnyPage, Page, ReadPage, form_text
from app.domain.errors import DomainError
from app.domain.keys import Scope
from app.domain.levels import Level
from app.domain.plans.profile import PlanHeader
from app.services import catalog_admin, profile_drafts

router = APIRouter(include_in_schema=False)
Code = Annotated[str, Path(max_length=catalog_admin.MAX_CODE)]
DraftId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/profiles")
async def profiles_page(page: ReadPage) -> Response:
    catalog = reference.catalog(page.runtime)
    drafts = []
    if page.can(Scope.ADMIN):
        async with page.runtime.sessionmaker() as session:
            drafts = await profile_drafts.page(session, status=None, after=None, limit=50)
    return page.render(
        "profiles.html",
        profiles=sorted(catalog.profiles.values(), key=lambda p: p.code),
        drafts=drafts,
        levels=[lv.value for lv in Level],
    )


@router.get("/profiles/{code}")
async def profile_page(page: ReadPage, code: Code) -> Response:
    catalog = reference.catalog(page.runtime)
    profile = catalog.profile(code)
    async with page.runtime.sessionmaker() as session:
        versions = await catalog_admin.versions(session, code)
    return page.render(
        "profile.html",
        p=profile,
        rules=catalog.effective_rules(code),
        versions=versions,
    )


async def _header(page: Page) -> PlanHeader:
    code = await form_text(page, "code")
    if not catalog_admin.PROFILE_CODE.match(code) or len(code) > catalog_admin.MAX_CODE:
        raise DomainError("code: lower-case letters, digits and dashes", field="code")
    try:
        year = int(await form_text(page, "year"))
        level = Level(await form_text(page, "level"))
        signed_text = await form_text(page, "signed")
        signed = dt.date.fromisoformat(signed_text) if signed_text else None
    except ValueError as error:
        raise DomainError(f"header: {error}", field="year") from None
    if not 2000 <= year <= 2100:
        raise DomainError("year: 2000 to 2100", field="year")
    issuer = await form_text(page, "issuer")
    if not issuer:
        raise DomainError("issuer: required", field="issuer")
    return PlanHeader(
        code=code,
        issuer=issuer[:300],
        level=level,
        year=year,
        document=(await form_text(page, "document"))[:100] or None,
        signed=signed,
    )


@router.post("/profiles/drafts")
async def create_draft(page: AnyPage) -> Response:
    principal = page.need(Scope.ADMIN)
    async with page.runtime.sessionmaker() as session:
        try:
            header = await _header(page)
            draft = await profile_drafts.create(
                session, await form_text(page, "text"), header, principal.actor
            )
            await session.commit()
        except DomainError as error:
            await session.rollback()
            page.flash.append(("error", f"{page.t('error')}: {error.detail}"))
            return await profiles_page(page)
    return page.redirect(f"/profiles/drafts/{draft.id}")


@router.get("/profiles/drafts/{draft_id}")
async def draft_page(page: AnyPage, draft_id: DraftId) -> Response:
    page.need(Scope.ADMIN)
    async with page.runtime.sessionmaker() as session:
        draft = await profile_drafts.get(session, draft_id)
    if page.request.query_params.get("done"):
        page.flash.append(("ok", page.t("done")))
    return page.render(
        "draft.html",
        draft=draft,
        summary=profile_drafts.summary_of(draft),
        document=json.dumps(draft.document, ensure_ascii=False, indent=2),
    )


@router.post("/profiles/drafts/{draft_id}/edit")
async def edit_draft(page: AnyPage, draft_id: DraftId) -> Response:
    principal = page.need(Scope.ADMIN)
    async with page.runtime.sessionmaker() as session:
        try:
            try:
                document = json.loads(await form_text(page, "document"))
                revision = int(await form_text(page, "revision"))
            except ValueError as error:
                raise DomainError(f"document: not JSON ({error})", field="document") from None
            if not isinstance(document, dict):
                raise DomainError("document: a JSON object", field="document")
            await profile_drafts.edit(session, draft_id, document, revision, principal.actor)
            await session.commit()
        except DomainError as error:
            await session.rollback()
            page.flash.append(("error", f"{page.t('error')}: {error.detail}"))
            return await draft_page(page, draft_id)
    return page.redirect(f"/profiles/drafts/{draft_id}?done=1")


@router.post("/profiles/drafts/{draft_id}/publish")
async def publish_draft(page: AnyPage, draft_id: DraftId) -> Response:
    """As POST /v1/profiles/drafts/{id}/publish: the catalog's own writes, then this replica
    reloads the catalog (the others follow by NOTIFY)."""
    principal = page.need(Scope.ADMIN)
    async with page.runtime.sessionmaker() as session:
        try:
            await profile_drafts.publish(session, draft_id, principal.actor)
            await session.commit()
        except DomainError as error:
            await session.rollback()
            page.flash.append(("error", f"{page.t('error')}: {error.detail}"))
            return await draft_page(page, draft_id)
    if page.runtime.catalog is not None:
        await page.runtime.catalog.refresh()
    return page.redirect(f"/profiles/drafts/{draft_id}?done=1")
