"""The console: server-rendered pages for officials and ops, on the same use cases as the API.

Vietnamese by default (`?lang=en` switches, remembered in a cookie); every asset is served
from app/console/static (no CDN, fonts or scripts from elsewhere).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from app.console import access, board, calendar, notices, profiles, records, reporting, session, web


def install(app: FastAPI) -> None:
    """Mount the console's pages and assets on the app."""
    app.state.console_signer = session.Signer.of(app.state.settings.console_secret)
    app.mount(web.STATIC_URL, StaticFiles(directory=web.HERE / "static"), name="console-static")
    for module in (access, board, records, calendar, notices, profiles, reporting):
        app.include_router(module.router)
    app.add_exception_handler(web.SignInNeeded, _sign_in)


async def _sign_in(request: Request, exc: Exception) -> Response:
    """A page or action that needs a key: to the sign-in page, coming back here after."""
    response = RedirectResponse(
        "/signin?next=" + request.url.path.replace("?", ""), status_code=303
    )
    response.headers.update(web.SECURITY_HEADERS)
    return response
