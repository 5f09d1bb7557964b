"""Bodies the hot routes read and validate themselves (FastAPI's body handling costs tens of
microseconds a request), with the same 413 / 422 problems FastAPI would give, and the pieces
batch routes share: an item's error shaped as the problem a single request would get."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_json
from starlette.requests import Request

from app.api.problems import TITLES, ApiProblem, validation_errors
from app.domain.errors import Conflict, DomainError, NotFound


def too_large(limit: int) -> ApiProblem:
    return ApiProblem(
        413, f"The request body is larger than {limit:,} bytes.", code="content-too-large"
    )


def _check_declared(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)


async def read_once(request: Request, limit: int) -> bytes:
    """The body, straight from the ASGI messages (for routes that read it once and keep
    nothing); refused with 413 past `limit` bytes, declared or streamed."""
    _check_declared(request, limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await request.receive()
        if message["type"] != "http.request":
            raise ApiProblem(400, "The client went away.", code="client-disconnected")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


async def read_kept(request: Request, limit: int) -> bytes:
    """The body through Request.body(), which keeps it (the idempotency fingerprint reads it
    again); refused with 413 past `limit` bytes."""
    _check_declared(request, limit)
    body = await request.body()
    if len(body) > limit:
        raise too_large(limit)
    return body


def invalid(errors: list[dict[str, Any]]) -> ApiProblem:
    for error in errors:
        error["field"] = error["field"] or "body"
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return ApiProblem(422, f"Invalid input: {fields}", code="validation-error", errors=errors)


def parse(adapter: TypeAdapter[Any], body: bytes) -> Any:
    try:
        return adapter.validate_json(body)
    except ValidationError as exc:
        raise invalid(validation_errors(exc.errors())) from None


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (pydantic-core's encoder: several times faster than json.dumps with
    ensure_ascii=False on Vietnamese text). Date-times are written with their own offset."""
    return to_json(value)


def request_body_doc(schema: dict[str, Any], examples: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body the route reads itself."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema, "examples": examples}},
        }
    }


def inline_schema(adapter: TypeAdapter[Any]) -> dict[str, Any]:
    """A self-contained JSON schema (definitions inlined) for a route that reads its body
    itself: FastAPI only registers components of the bodies it parses."""
    schema = adapter.json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def status_of(error: DomainError) -> int:
    """The status a single request gets for the error (as app/api/problems.py maps it)."""
    return 404 if isinstance(error, NotFound) else 409 if isinstance(error, Conflict) else 422


def item_problem(error: DomainError, prefix: str) -> dict[str, Any]:
    """A batch item's error as the problem a single request would get, its field placed in
    the batch (`items[3].anchor`)."""
    status = status_of(error)
    return {
        "type": f"/problems/{error.code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": error.detail,
        "errors": [
            {
                "field": ".".join(p for p in (prefix, error.field) if p) or "body",
                "message": error.detail,
                "type": error.code,
            }
        ],
    }


def invalid_item(errors: list[dict[str, Any]]) -> dict[str, Any]:
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return {
        "type": "/problems/validation-error",
        "title": TITLES[422],
        "status": 422,
        "detail": f"Invalid input: {fields}",
        "errors": errors,
    }
