"""The one declarative helper for the few hot routes (calendar add/count, deadlines compute and
compute-batch, the dossier appointment): `fast_endpoint(query=…, body=…, response=…)`.

Every other route is plain FastAPI (`response_model`, typed query and body). The hot ones are
cheap enough that FastAPI's parameter machinery and its second validation of the response
would dominate, so the helper does the same work with one cached pydantic `TypeAdapter` per
declared type: it reads the query string or the body (refused past its size limit), validates
it (`validate_python` / `validate_json` on the bytes: the same 422 problem as FastAPI's),
calls the handler with the typed value, and encodes its answer with `dump_json` of the declared
response type, which is also the type that generates the OpenAPI (`response_model`). Answers
may be remembered per reference snapshot (the calendar and catalog in force) by the raw query
or body, as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl

from fastapi import APIRouter
from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from app.api.kit.problems import ApiProblem, validation_errors
from app.api.kit.responses import JSONBody
from app.runtime.memo import ReferenceMemo

C = TypeVar("C")
V = TypeVar("V")
R = TypeVar("R")
H = TypeVar("H", bound=Callable[[Any, Any], Any])

JSON = "application/json"
MAX_REMEMBERED = 1024  # a question is a few dozen bytes; longer ones are not kept


@dataclass(frozen=True)
class Encoded:
    """An answer already encoded by a specialised encoder of the declared response type (the
    batch's), which a property test checks against `dump_json` of the same value."""

    body: bytes


def too_large(limit: int) -> ApiProblem:
    return ApiProblem(
        413, f"The request body is larger than {limit:,} bytes.", code="content-too-large"
    )


def invalid(errors: list[dict[str, Any]]) -> ApiProblem:
    """422 naming every field refused."""
    for error in errors:
        error["field"] = error["field"] or "body"
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return ApiProblem(422, f"Invalid input: {fields}", code="validation-error", errors=errors)


def validate_json(adapter: TypeAdapter[V], body: bytes) -> V:
    try:
        return adapter.validate_json(body)
    except ValidationError as exc:
        raise invalid(validation_errors(exc.errors())) from None


async def read_body(request: Request, limit: int) -> bytes:
    """The body, straight from the ASGI messages; refused with 413 past `limit` bytes,
    declared or streamed."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
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
    body = b"".join(chunks) if len(chunks) != 1 else chunks[0]
    # Where Starlette's Request.body() keeps what it read: a later reader of the body (the
    # Idempotency-Key's fingerprint) gets these bytes instead of waiting for more.
    request._body = body
    return body


def parameter(value: object, name: str, declared: TypeAdapter[Any]) -> Any:
    """A path or header parameter checked against its declared type (`adapter(...)`, made
    once: hashing an Annotated type to look it up costs more than the check), for a route that
    resolves no dependencies: the 422 problem FastAPI's own check gives, naming it."""
    try:
        return declared.validate_python(value)
    except ValidationError as exc:
        errors = [{**e, "loc": (name, *e["loc"])} for e in exc.errors()]
        raise invalid(validation_errors(errors)) from None


def query_values(raw: bytes) -> dict[str, str]:
    """The query string's parameters (the last value wins). Plain `name=value&…` strings, the
    portal's, are split directly; any escape goes through the standard parser."""
    text = raw.decode("latin-1")
    if "%" in text or "+" in text or ";" in text:
        return dict(parse_qsl(text, keep_blank_values=True))
    values: dict[str, str] = {}
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            values[name] = value
    return values


def inline_schema(adapter: TypeAdapter[Any]) -> dict[str, Any]:
    """The type's JSON schema with its `$defs` inlined: FastAPI registers components only for
    the bodies and parameters it parses itself."""
    schema = adapter.json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(dict(defs[ref.removeprefix("#/$defs/")]))
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def _query_parameters(adapter: TypeAdapter[Any]) -> list[dict[str, Any]]:
    schema = inline_schema(adapter)
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
        }
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


@dataclass
class FastEndpoint(Generic[C, V, R]):
    """A declared hot route: what it reads, what it answers, how it finds its context."""

    context: Callable[[Request], Awaitable[C]]
    handler: Callable[[C, V], R | Encoded | Response | Awaitable[R | Response]]
    response: TypeAdapter[R]
    query: TypeAdapter[V] | None = None
    body: TypeAdapter[V] | None = None
    max_body: int = 64 * 1024
    memo: ReferenceMemo | None = None
    memo_key: Callable[[C], tuple[object, ...]] | None = None
    salvage: Callable[[bytes, ValidationError], V] | None = None
    # The answer's caching headers (ETag, Cache-Control), from the context and the encoded
    # answer (so a remembered answer gets them too).
    headers: Callable[[C, bytes], Mapping[str, str]] | None = None

    async def __call__(self, request: Request) -> Response:
        context = await self.context(request)
        if self.body is not None:
            raw = await read_body(request, self.max_body)
        else:
            raw = request.scope["query_string"]
        key = self.memo_key(context) if self.memo is not None and self.memo_key else None
        if key is not None and self.memo is not None:
            remembered = self.memo.get(key, raw)
            if remembered is not None:
                return self._answer(context, remembered)
        value = self._read(raw)
        answer = self.handler(context, value)
        if inspect.isawaitable(answer):
            answer = await answer
        if isinstance(answer, Response):  # a write's answer: its own status and headers
            return answer
        encoded = answer.body if isinstance(answer, Encoded) else self.response.dump_json(answer)
        if key is not None and self.memo is not None and len(raw) <= MAX_REMEMBERED:
            self.memo.put(key, raw, encoded)
        return self._answer(context, encoded)

    def _answer(self, context: C, encoded: bytes) -> Response:
        if self.headers is None:
            return JSONBody(encoded)
        return JSONBody(encoded, headers=self.headers(context, encoded))

    def _read(self, raw: bytes) -> V:
        if self.body is not None:
            try:
                return self.body.validate_json(raw)
            except ValidationError as exc:
                if self.salvage is not None:
                    return self.salvage(raw, exc)
                raise invalid(validation_errors(exc.errors())) from None
        assert self.query is not None
        asked = query_values(raw)
        try:
            return self.query.validate_python(asked)
        except ValidationError as exc:
            raise invalid(validation_errors(exc.errors())) from None

    def openapi_extra(self, examples: dict[str, Any] | None) -> dict[str, Any]:
        if self.query is not None:
            return {"parameters": _query_parameters(self.query)}
        assert self.body is not None
        content: dict[str, Any] = {"schema": inline_schema(self.body)}
        if examples:
            content["examples"] = examples
        return {"requestBody": {"required": True, "content": {JSON: content}}}


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}
_ENDPOINT = "fast_endpoint"


def fast_endpoint_of(route_endpoint: Callable[..., Any]) -> FastEndpoint[Any, Any, Any] | None:
    """The declared hot route behind a FastAPI route's endpoint, if it is one
    (app/api/kit/hot_lane.py serves those directly)."""
    found = getattr(route_endpoint, _ENDPOINT, None)
    return found if isinstance(found, FastEndpoint) else None


def adapter(declared: Any) -> TypeAdapter[Any]:
    """One TypeAdapter per declared type, built once."""
    found = _ADAPTERS.get(declared)
    if found is None:
        found = _ADAPTERS[declared] = TypeAdapter(declared)
    return found


def fast_endpoint(
    router: APIRouter,
    method: str,
    path: str,
    *,
    context: Callable[[Request], Awaitable[Any]],
    response: Any,
    query: Any = None,
    body: Any = None,
    max_body: int = 64 * 1024,
    memo: ReferenceMemo | None = None,
    memo_key: Callable[[Any], tuple[object, ...]] | None = None,
    salvage: Callable[[bytes, ValidationError], Any] | None = None,
    headers: Callable[[Any, bytes], Mapping[str, str]] | None = None,
    examples: dict[str, Any] | None = None,
    **route: Any,
) -> Callable[[H], H]:
    """Declare a hot route on `router`: `handler(context, value)` gets the context (the
    calendar snapshot in force, say) and the validated query or body, and returns a value of
    the `response` type (or `Encoded` bytes of it, or a whole Response).

    A route with path or header parameters, or that needs a key, declares them as FastAPI
    `dependencies` (they document the route and are checked when the router serves it); its
    context checks them again with `parameter` and deps.caller, for the hot lane."""
    if (query is None) == (body is None):
        raise TypeError("a fast endpoint reads either its query or its body")

    def declare(handler: H) -> H:
        endpoint: FastEndpoint[Any, Any, Any] = FastEndpoint(
            context=context,
            handler=handler,
            response=adapter(response),
            query=adapter(query) if query is not None else None,
            body=adapter(body) if body is not None else None,
            max_body=max_body,
            memo=memo,
            memo_key=memo_key,
            salvage=salvage,
            headers=headers,
        )

        async def run(request: Request) -> Response:
            return await endpoint(request)

        run.__name__ = handler.__name__
        run.__doc__ = handler.__doc__
        setattr(run, _ENDPOINT, endpoint)  # the hot lane finds it here
        router.add_api_route(
            path,
            run,
            methods=[method],
            response_model=response,
            openapi_extra=endpoint.openapi_extra(examples) | route.pop("openapi_extra", {}),
            **route,
        )
        return handler

    return declare
