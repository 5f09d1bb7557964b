"""RFC 9457 problem details for every error the service returns."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic_core import to_json
from sqlalchemy.exc import StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.api.wire.problem import TITLES
from app.api.wire.problem_types import INSTANCE, problem_type, title_of
from app.db.availability import failure_class
from app.domain.errors import Conflict, DomainError, InvalidEntries, NotFound

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response. `code` names the problem type under /problems/."""
    body: dict[str, Any] = {
        "type": problem_type(code) if code else "about:blank",
        "title": title or title_of(code, TITLES.get(status, "Error")),
        "status": status,
        "detail": detail,
    }
    instance = INSTANCE.get()
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return Response(
        to_json(body, fallback=str),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


class ApiProblem(Exception):
    """Raised by routers and dependencies for an HTTP-level problem (auth, preconditions...)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.headers = headers
        self.extra = extra


def _field_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """("query", "start") → "start"; ("body", "items", 3, "anchor") → "items[3].anchor"."""
    parts = [p for p in loc if p not in ("query", "path", "body", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or ".".join(str(p) for p in loc)


def validation_errors(errors: Any) -> list[dict[str, Any]]:
    return [
        {"field": _field_path(err["loc"]), "message": err["msg"], "type": err["type"]}
        for err in errors
    ]


def _database_cause(exc: BaseException) -> BaseException | None:
    """The driver's error (or the encoding error) under SQLAlchemy's wrapper."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, asyncpg.PostgresError | UnicodeError):
            return seen
        seen = getattr(seen, "orig", None) or seen.__cause__
    return None


def _refusal(cause: BaseException | None) -> Response | None:
    """The problem for a value or constraint the database refused; None for anything else."""
    if isinstance(cause, asyncpg.CheckViolationError | asyncpg.NotNullViolationError):
        return problem(
            422,
            "A value is not acceptable: a required text is blank, or values contradict each other.",
            code="invalid-value",
        )
    if isinstance(cause, asyncpg.IntegrityConstraintViolationError):
        return problem(409, "The change conflicts with what is recorded.", code="conflict")
    if isinstance(cause, asyncpg.DataError | UnicodeError):
        return problem(
            422,
            "A value cannot be stored: text must be valid Unicode without NUL characters, "
            "and numbers must fit their columns.",
            code="invalid-value",
        )
    return None


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No route matches {request.method} {request.url.path}"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem(exc.status_code, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = validation_errors(exc.errors())
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        return problem(422, f"Invalid input: {fields}", code="validation-error", errors=errors)

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: ApiProblem) -> Response:
        return problem(exc.status, exc.detail, code=exc.code, headers=exc.headers, **exc.extra)

    @app.exception_handler(StatementError)
    async def refused_by_database(request: Request, exc: StatementError) -> Response:
        """A safety net: values the database itself refuses (a NUL character, a number out of
        range, text that is not valid Unicode) or a constraint a use case did not check first
        are the client's problem, not a 500. The request's transaction was rolled back. The
        database's own names (constraints, tables) never reach the client."""
        refusal = _refusal(_database_cause(exc))
        if refusal is None:
            raise exc
        return refusal

    @app.exception_handler(asyncpg.PostgresError)
    async def refused_by_database_directly(
        request: Request, exc: asyncpg.PostgresError
    ) -> Response:
        """The same for a statement sent to the driver itself (the dossier event append)."""
        refusal = _refusal(exc) if failure_class(exc) is None else None
        if refusal is None:
            raise exc  # an outage is answered 503 by the request context; anything else, 500
        return refusal

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 409 if isinstance(exc, Conflict) else 422
        extra: dict[str, Any] = {}
        if isinstance(exc, InvalidEntries):
            extra["errors"] = [
                {"field": field, "message": message, "type": exc.code}
                for field, message in exc.problems
            ]
        elif exc.field is not None:
            extra["errors"] = [{"field": exc.field, "message": exc.detail, "type": exc.code}]
        return problem(status, exc.detail, code=exc.code, **extra)
