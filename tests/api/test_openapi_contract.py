"""The OpenAPI document tells the truth: the suite's response check is live, the README's
compute examples are valid requests whose answers match the document (and the dates the README
promises), every error is a declared Problem, operations are named."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from jsonschema import Draft202012Validator

from tests.openapi_check import OpenApiCheck

README = Path(__file__).parents[2] / "README.md"
# `curl -X POST localhost:8000/v1/… \` then `-d '{…}'`, then an optional `# → …` comment.
EXAMPLE = re.compile(
    r"curl -X POST localhost:8000(?P<path>/v1/\S+) [^\n]*\\\n\s*-d '(?P<body>\{[^']*\})'"
    r"(?P<after>[^\n]*\n(?:#[^\n]*)?)"
)


def _readme_examples() -> list[tuple[str, dict[str, Any], str | None]]:
    found = []
    for m in EXAMPLE.finditer(README.read_text()):
        promised = re.search(r"→ (?:due )?(\d{4}-\d{2}-\d{2})", m.group("after"))
        found.append((m.group("path"), json.loads(m.group("body")), promised and promised[1]))
    return found


def test_the_readme_has_compute_examples() -> None:
    paths = [path for path, _, _ in _readme_examples()]
    assert paths.count("/v1/deadlines/compute") >= 2


async def test_the_readme_compute_examples_validate_against_the_document(
    app: FastAPI, client: AsyncClient
) -> None:
    document = app.openapi()
    for path, body, promised in _readme_examples():
        operation = document["paths"][path]["post"]
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        Draft202012Validator(schema).validate(body)  # the request is what the document asks
        # The answer is checked against the document by the suite's response hook.
        r = await client.post(path, json=body)
        assert r.status_code == 200, r.text
        if promised is not None:
            assert r.json()["due_date"] == promised


def test_the_check_refuses_what_the_document_does_not_say(app: FastAPI) -> None:
    check = OpenApiCheck(app.openapi())
    # A status the operation does not declare.
    assert check.problems("GET", "/v1/calendar/revision", 418, "application/json", b"{}")
    # A body of the wrong shape.
    wrong = check.problems(
        "GET", "/v1/calendar/revision", 200, "application/json", b'{"calendar_revision": "x"}'
    )
    assert wrong
    # An error that is not a problem document.
    assert check.problems("GET", "/v1/calendar/revision", 503, "application/json", b"{}")
    # Formats are checked: a date that is not one (30 February) fails, a real one passes.
    revision = b'{"calendar_revision": 1, "supported_from": "%s", "supported_to": "2031-12-31", '
    revision += b'"provisional_years": []}'
    ok = check.problems(
        "GET", "/v1/calendar/revision", 200, "application/json", revision % b"2018-01-01"
    )
    assert not ok, ok
    assert check.problems(
        "GET", "/v1/calendar/revision", 200, "application/json", revision % b"2018-02-30"
    )


def test_every_error_is_a_declared_problem_and_operations_are_named(app: FastAPI) -> None:
    document = app.openapi()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            ids.append(operation["operationId"])
            assert re.fullmatch(r"[a-z]+\.[a-z][A-Za-z]+", operation["operationId"]), path
            assert operation.get("tags"), (method, path)
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert response["content"] == {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    }, (method, path, code)
            if path.startswith("/v1/"):
                assert "503" in operation["responses"], (method, path)
    assert len(ids) == len(set(ids))


def test_no_enum_contradicts_its_type(app: FastAPI) -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "enum" in node:
                assert "anyOf" not in node, where
                assert node.get("type") != "array", where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(app.openapi(), "#")


async def test_a_problem_type_is_absolute_and_resolves_to_its_page(client: AsyncClient) -> None:
    r = await client.get("/v1/calendar/working-days/add", params={"start": "2024-02-30", "days": 1})
    assert r.status_code == 422
    problem = r.json()
    assert problem["type"] == "http://testserver/problems/validation-error"
    assert problem["instance"] == "/v1/calendar/working-days/add"
    assert problem["title"] == "Invalid input"
    assert problem["errors"][0]["field"] == "start"
    page = await client.get(problem["type"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Invalid input" in page.text
    about = await client.get(problem["type"], headers={"Accept": "application/json"})
    assert about.json() == {
        "type": problem["type"],
        "title": "Invalid input",
        "status": 422,
        "description": about.json()["description"],
    }
    unknown = await client.get("/problems/no-such-problem")
    assert unknown.status_code == 404


def test_every_problem_code_raised_has_a_page() -> None:
    from app.api.wire.problem_types import TYPES

    source = "\n".join(p.read_text() for p in Path("app").rglob("*.py"))
    raised = set(re.findall(r'\bcode(?:=| = )"([a-z]+(?:-[a-z]+)+)"', source))
    # Codes of reference data (profiles, schedules) are not problem codes.
    raised = {c for c in raised if not re.search(r"\d|^by-|^saturday|^kstthc|^late-|^service-", c)}
    assert raised <= set(TYPES), raised - set(TYPES)


async def test_problem_types_are_under_the_configured_public_address(database_url: str) -> None:
    from httpx import ASGITransport

    from app.main import create_app
    from tests.conftest import settings_for

    app = create_app(settings_for(database_url, public_base_url="https://hạn.example.vn/api"))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
        r = await http.get("/problems/no-such-problem")  # needs no database
    assert r.status_code == 404
    assert r.json()["type"] == "https://hạn.example.vn/api/problems/not-found"
