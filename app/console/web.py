"""What every console page shares: the language, who is signed in, read access, CSRF, the
templates, and the strict Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.api.kit.deps import Principal, authenticate
from app.api.kit.problems import ApiProblem
from app.console import session as cookies
from app.console.i18n import LANGS, Lang, word
from app.domain.keys import Scope, grants
from app.runtime import Runtime
from app.services.obligations import today_local

HERE = Path(__file__).parent
STATIC_URL = "/static/console"
# No inline script or style anywhere (SVG colours are presentation attributes, not styles):
# everything comes from this origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class SignInNeeded(Exception):
    """A page or action that needs a key the visitor has not signed in with."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope


@dataclass
class Page:
    """One console request: language, signed-in key, CSRF nonce, and the runtime."""

    request: Request
    runtime: Runtime
    lang: Lang
    principal: Principal | None
    key: str | None
    nonce: str
    set_nonce: bool
    set_lang: bool
    flash: list[tuple[str, str]] = field(default_factory=list)

    def t(self, key: str, **values: object) -> str:
        return word(self.lang, key, **values)

    def can(self, scope: Scope) -> bool:
        return self.principal is not None and grants(list(self.principal.scopes), scope)

    def need(self, scope: Scope) -> Principal:
        if self.principal is None or not self.can(scope):
            raise SignInNeeded(scope)
        return self.principal

    @property
    def csrf(self) -> str:
        return signer(self.request).csrf_token(self.nonce)

    def url(self, path: str, **query: Any) -> str:
        pairs = {k: v for k, v in query.items() if v not in (None, "")}
        return path + ("?" + urlencode(pairs) if pairs else "")

    def lang_url(self) -> str:
        other = "en" if self.lang == "vi" else "vi"
        pairs = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        return self.request.url.path + "?" + urlencode([*pairs, ("lang", other)])

    def render(self, template: str, status_code: int = 200, **context: Any) -> Response:
        html = templates.get_template(template).render(
            page=self, t=self.t, static=STATIC_URL, Scope=Scope, **context
        )
        return self.finish(HTMLResponse(html, status_code=status_code))

    def redirect(self, path: str) -> Response:
        return self.finish(RedirectResponse(path, status_code=303))

    def finish(self, response: Response) -> Response:
        secure = self.request.url.scheme == "https"
        if self.set_nonce:
            response.set_cookie(
                cookies.CSRF_COOKIE, self.nonce, httponly=True, samesite="strict", secure=secure
            )
        if self.set_lang:
            response.set_cookie(
                cookies.LANG_COOKIE,
                self.lang,
                max_age=365 * 86400,
                httponly=True,
                samesite="strict",
                secure=secure,
            )
        response.headers.update(SECURITY_HEADERS)
        return response


def signer(request: Request) -> cookies.Signer:
    """The app's signer, made once from CONSOLE_SECRET (app/console/__init__.install)."""
    made: cookies.Signer = request.app.state.console_signer
    return made


async def verify_key(runtime: Runtime, key: str) -> Principal | None:
    """The key's holder with every scope it has, or None when it is unknown or revoked
    (through the API's own key check: one way to verify a key)."""
    async with runtime.sessionmaker() as session:
        for scope in (Scope.ADMIN, Scope.WRITE, Scope.COMPUTE):
            try:
                return await authenticate(runtime, session, key, scope)
            except ApiProblem as problem:
                if problem.status != 403:
                    return None
    return None


def _lang(request: Request) -> tuple[Lang, bool]:
    asked = request.query_params.get("lang")
    for lang in LANGS:
        if asked == lang:
            return lang, request.cookies.get(cookies.LANG_COOKIE) != lang
    remembered = request.cookies.get(cookies.LANG_COOKIE)
    for lang in LANGS:
        if remembered == lang:
            return lang, False
    return "vi", False


async def page_of(request: Request) -> Page:
    runtime: Runtime = request.app.state.runtime
    lang, set_lang = _lang(request)
    key = signer(request).session_key(request.cookies.get(cookies.SESSION_COOKIE))
    principal = await verify_key(runtime, key) if key else None
    nonce = request.cookies.get(cookies.CSRF_COOKIE)
    page = Page(
        request=request,
        runtime=runtime,
        lang=lang,
        principal=principal,
        key=key if principal else None,
        nonce=nonce or cookies.new_nonce(),
        set_nonce=not nonce,
        set_lang=set_lang,
    )
    if request.method == "POST":
        await _check_csrf(page)
    return page


async def _check_csrf(page: Page) -> None:
    request = page.request
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise ApiProblem(403, "cross-origin form refused", code="csrf")
    token = (await form_of(request)).get("csrf")
    if page.set_nonce or not signer(page.request).csrf_ok(page.nonce, token):
        raise ApiProblem(
            403, "the form's CSRF token is missing or wrong: reload the page", code="csrf"
        )


async def reader(page: Annotated[Page, Depends(page_of)]) -> Page:
    """Reading pages follow REQUIRE_API_KEY_FOR_READS, like the API's read routes."""
    if page.runtime.settings.require_api_key_for_reads:
        page.need(Scope.COMPUTE)
    return page


ReadPage = Annotated[Page, Depends(reader)]
AnyPage = Annotated[Page, Depends(page_of)]


def today() -> dt.date:
    return today_local()


async def form_of(request: Request) -> dict[str, str]:
    """The posted form (the console's forms are url-encoded; the body gate bounds its size).
    Parsed here rather than by Starlette, which would need one more dependency."""
    cached: dict[str, str] | None = getattr(request.state, "console_form", None)
    if cached is not None:
        return cached
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise ApiProblem(
            415,
            "the console's forms are application/x-www-form-urlencoded",
            code="unsupported-media-type",
        )
    try:
        text = (await request.body()).decode()
    except UnicodeDecodeError:
        raise ApiProblem(400, "the form is not UTF-8", code="bad-form") from None
    form = {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
    request.state.console_form = form
    return form


async def form_text(page: Page, name: str) -> str:
    return (await form_of(page.request)).get(name, "").strip()
