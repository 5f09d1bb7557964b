"""Every response the suite receives is checked against the OpenAPI document the app serves:
its status must be declared for the operation, its content type too, and a JSON body must
validate against the declared schema. tests/conftest.py hooks this into every httpx client
that talks to the app in-process; a mismatch fails the test that made the request."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:openapi"

# The formats the document uses, checked strictly: jsonschema checks `date` itself but passes
# any string as `date-time` or `uri` unless optional packages are installed.
FORMATS = FormatChecker(["date"])
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    """RFC 3339 section 5.6: a full date, `T`, a full time and an offset (`Z` or ±hh:mm)."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.fullmatch(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    dt.datetime.fromisoformat(value)  # a real date and time (no 2024-02-30, no 25:00)
    return True


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    """An absolute URI: a scheme, and an authority for http(s)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (parts.scheme not in ("http", "https") or bool(parts.netloc))


@dataclass
class OpenApiCheck:
    document: dict[str, Any]
    _routes: list[tuple[str, re.Pattern[str], dict[str, Any]]] = field(default_factory=list)
    _validators: dict[int, Draft202012Validator] = field(default_factory=dict)

    def __post_init__(self) -> None:
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)
        for template, item in self.document["paths"].items():
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", pattern)
            self._routes.append((template, re.compile(f"^{pattern}$"), item))
        # Literal paths before templated ones (`/v1/profiles/drafts` before `/{code}`).
        self._routes.sort(key=lambda r: r[0].count("{"))

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for template, pattern, item in self._routes:
            if pattern.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        key = id(schema)
        found = self._validators.get(key)
        if found is None:
            rooted = _rebase(schema)
            found = Draft202012Validator(rooted, registry=self._registry, format_checker=FORMATS)
            self._validators[key] = found
        return found

    def problems(self, method: str, path: str, status: int, ctype: str, body: bytes) -> list[str]:
        """What is wrong with this response, if anything (empty: it matches the document)."""
        found = self.operation(method, path)
        if status == 500:
            # Never meant to happen, so never declared: the tests that provoke one check the
            # safety net's problem body themselves.
            return []
        if found is None:
            return []  # not an operation of the document (docs, static files, unknown path)
        template, operation = found
        where = f"{method} {template} → {status}"
        responses = operation.get("responses", {})
        declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
        declared = declared or responses.get("default")
        if declared is None:
            return [f"{where}: status not declared (declared: {sorted(responses)})"]
        content = declared.get("content")
        if not content:
            return [] if not body else [f"{where}: a body where none is declared"]
        media = ctype.split(";")[0].strip()
        if media not in content:
            return [f"{where}: content type {media!r} not declared ({sorted(content)})"]
        schema = content[media].get("schema")
        if schema is None or not media.endswith("json"):
            return []
        try:
            value = json.loads(body)
        except ValueError as exc:
            return [f"{where}: body is not JSON: {exc}"]
        errors = sorted(self._validator(schema).iter_errors(value), key=lambda e: e.path)
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:300]}"
            for e in errors[:5]
        ]

    async def __call__(self, response: httpx.Response) -> None:
        """An httpx response hook."""
        await response.aread()
        request = response.request
        found = self.problems(
            request.method,
            request.url.path,
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
        )
        if found:
            raise AssertionError("response contradicts the OpenAPI document:\n" + "\n".join(found))


def _rebase(node: Any) -> Any:
    """`#/components/...` references resolved against the whole document."""
    if isinstance(node, dict):
        return {
            k: (
                DOCUMENT_URI + v
                if k == "$ref" and isinstance(v, str) and v[:1] == "#"
                else _rebase(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node
