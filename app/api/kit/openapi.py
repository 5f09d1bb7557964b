"""The OpenAPI document, made to tell the truth about every response.

FastAPI generates the document from the routes' declared types; this module completes it once:

- named operationIds (`calendar.addWorkingDays`: the route's first tag and its function's name);
- the `Problem` component (RFC 9457) on every error each operation can return: 401/403 where a
  key may be asked for (read routes need one when the operator requires it), 404 where a path
  or query names a record, 400, 413 and 422 where there is input, 503 on the routes that need the
  database or the reference data, 429 wherever the rate limiter applies (everything but the
  probes and the scrape), and what each route declares itself (409, 412, 428…), instead of
  FastAPI's `HTTPValidationError`;
- 304 Not Modified, without a body, on every GET (app.api.kit.conditional answers it to an
  `If-None-Match` holding the answer's ETag);
- schemas that say what the encoder writes: an `enum` listed beside `anyOf[…, null]` is moved
  into the non-null branch (null stays allowed), an `enum` put on an array goes to its items,
  a local time of day (`07:30:00`) is a pattern, not the `time` format (which needs an offset).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

from app.api.kit.rate_limit import EXEMPT_PREFIXES
from app.api.wire.problem import TITLES, Problem

PROBLEM_JSON = "application/problem+json"
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

_DEFAULT_DESCRIPTIONS = {
    400: "The body cannot be read (not JSON, not UTF-8, cut short)",
    401: "No API key, or an unknown or revoked one (routes open by default need one when "
    "the operator requires keys for reads)",
    403: "The API key lacks the scope this route needs",
    404: "No such record, rule or profile",
    409: "Conflicts with what is recorded",
    412: "The If-Match tag is stale: read the record again",
    413: "The request body is too large",
    422: "Bad input; `errors[].field` names it (a dotted path with indices, e.g. "
    "`items[3].anchor`)",
    428: "The route needs an If-Match header",
    429: "Too many requests from this API key or address; retry after `Retry-After` seconds",
    503: "The database or the reference data is not available yet; retry after `Retry-After` "
    "seconds",
}


def operation_id(route: APIRoute) -> str:
    """`calendar.addWorkingDays`: the route's first tag and its function's name, camelCased."""
    tag = str(route.tags[0]) if route.tags else "service"
    head, *rest = route.name.split("_")
    return f"{tag}.{head}{''.join(word.capitalize() for word in rest)}"


# A local time of day as the service writes it (`07:30:00`): JSON Schema's `time` format is
# RFC 3339's full-time, which requires an offset, so it would refuse every office hour.
_LOCAL_TIME = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"}


def _fix_enums(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node.update(_LOCAL_TIME)
        enum = node.get("enum")
        if enum is not None and "anyOf" in node:
            del node["enum"]
            for branch in node["anyOf"]:
                if branch.get("type") != "null":
                    branch["enum"] = enum
        elif enum is not None and node.get("type") == "array":
            del node["enum"]
            node.setdefault("items", {})["enum"] = enum
        for value in node.values():
            _fix_enums(value)
    elif isinstance(node, list):
        for value in node:
            _fix_enums(value)


NOT_MODIFIED = {
    "description": "Not Modified: `If-None-Match` holds the current ETag (no body; the ETag "
    "and Cache-Control of the 200 are repeated)"
}


def _codes(path: str, operation: dict[str, Any]) -> set[int]:
    """The errors an operation can return beyond those it declares."""
    limited = {429} if not path.startswith(EXEMPT_PREFIXES) else set()
    if not path.startswith("/v1/"):
        return ({503} if path.startswith("/health/") else set()) | limited
    params = operation.get("parameters", [])
    codes = {401, 403, 503} | limited
    if params or "requestBody" in operation:
        codes.add(422)
    if "requestBody" in operation:
        codes |= {400, 413}
    if any(p.get("in") == "path" for p in params) or any(
        p.get("name") in ("profile", "rule") for p in params
    ):
        codes.add(404)
    return codes


def _complete(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = TypeAdapter(Problem).json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            if method == "get":
                responses.setdefault("304", dict(NOT_MODIFIED))
            for added in _codes(path, operation):
                responses.setdefault(str(added), {})
            # A success declared by its description only (201 Created beside the 200 of the
            # response_model) carries the same body.
            success = next(
                (r["content"] for c, r in responses.items() if c[:1] == "2" and r.get("content")),
                None,
            )
            for code, response in responses.items():
                if code[:1] == "2" and code != "204" and success and not response.get("content"):
                    response["content"] = success
                if not code.isdigit() or int(code) < 400:
                    continue
                status = int(code)
                if not response.get("description"):
                    response["description"] = _DEFAULT_DESCRIPTIONS.get(
                        status, TITLES.get(status, "Error")
                    )
                response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}
    _fix_enums(document)
    return document


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _complete(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    webhooks=app.webhooks.routes,
                    tags=app.openapi_tags,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
