"""Sign in once with an API key (kept in a signed, HttpOnly, SameSite=Strict cookie); sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.console import session as cookies
from app.console.web import AnyPage, Page, form_text, signer, verify_key

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only a path of this site: never an open redirect."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/signin")
async def signin_form(page: AnyPage, next: Annotated[str, Query(max_length=500)] = "/") -> Response:
    return page.render("signin.html", next=_safe_next(next), failed=False)


@router.post("/signin")
async def signin(page: AnyPage) -> Response:
    key = await form_text(page, "key")
    target = _safe_next(await form_text(page, "next") or "/")
    principal = await verify_key(page.runtime, key) if key else None
    if principal is None:
        return page.render("signin.html", status_code=401, next=target, failed=True)
    response = page.redirect(target)
    _set_session(page, response, key)
    return response


def _set_session(page: Page, response: Response, key: str) -> None:
    response.set_cookie(
        cookies.SESSION_COOKIE,
        signer(page.request).session_value(key),
        max_age=cookies.SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=page.request.url.scheme == "https",
    )


@router.post("/signout")
async def signout(page: AnyPage) -> Response:
    response = page.redirect("/")
    response.delete_cookie(cookies.SESSION_COOKIE, httponly=True, samesite="strict")
    return response
