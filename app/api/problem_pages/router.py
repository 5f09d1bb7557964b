"""The problem types' own pages: what a problem `type` URI resolves to. HTML for a person
following the link, JSON for a program (`Accept: application/json`)."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from app.api.kit.responses import JSONBody
from app.api.problem_pages.schemas import ProblemTypeOut
from app.api.wire.problem_types import TYPES, problem_type
from app.domain.errors import NotFound

router = APIRouter(prefix="/problems", tags=["problems"])


@router.get(
    "/{code}",
    response_model=ProblemTypeOut,
    summary="What a problem type means (HTML, or JSON with Accept: application/json)",
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        404: {"description": "No such problem type"},
    },
)
async def problem_page(
    code: Annotated[str, Path(max_length=100, examples=["validation-error"])], request: Request
) -> Response:
    known = TYPES.get(code)
    if known is None:
        raise NotFound(f"no problem type {code!r}", field="code")
    about = ProblemTypeOut(
        type=problem_type(code),
        title=known.title,
        status=known.status,
        description=known.description,
    )
    if "application/json" in request.headers.get("accept", ""):
        return JSONBody(about.model_dump_json())
    page = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{html.escape(known.title)}</title>"
        f"<h1>{html.escape(known.title)}</h1>"
        f"<p>HTTP {known.status} · <code>{html.escape(code)}</code></p>"
        f"<p>{html.escape(known.description)}</p>"
        "<p>Errors are RFC 9457 problem documents (<code>application/problem+json</code>): "
        "<code>detail</code> says what went wrong with the request, <code>errors[]</code> names "
        "each input refused.</p></html>"
    )
    return HTMLResponse(page)
