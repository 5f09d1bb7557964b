"""The problem shapes (RFC 9457) shared across features: a field error, and the problem a
batch item carries when it could not be answered (the problem a single request would get)."""

from __future__ import annotations

from typing import Annotated, Any, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from app.api.wire.problem_types import problem_type, title_of
from app.domain.errors import Conflict, DomainError, NotFound

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    500: "Internal server error",
    503: "Service unavailable",
}


class FieldError(TypedDict):
    field: Annotated[
        str,
        Field(
            description="The input refused, as a dotted path with indices "
            "(`items[3].anchor`; `body` for the whole body).",
            examples=["items[3].anchor"],
        ),
    ]
    message: str
    type: Annotated[str, Field(description="The kind of error (pydantic's, or a problem code).")]


class Problem(TypedDict):
    """RFC 9457 problem details: every error the service answers, as
    `application/problem+json`. Extension members (`errors`, `see`, `scopes`) are listed;
    others may be added."""

    type: Annotated[
        str,
        Field(
            description="The problem type: a URI under /problems/ that resolves to a short "
            "page describing it (`about:blank` when the status says it all).",
            examples=["https://deadlines.example.gov.vn/problems/validation-error"],
        ),
    ]
    title: Annotated[str, Field(description="The problem type's short, fixed title.")]
    status: Annotated[int, Field(description="The HTTP status code.")]
    detail: Annotated[str, Field(description="What went wrong with this request.")]
    instance: NotRequired[
        Annotated[str, Field(description="The request this occurrence is about (its path).")]
    ]
    errors: NotRequired[
        Annotated[list[FieldError], Field(description="Each input refused, when there are.")]
    ]
    see: NotRequired[Annotated[str, Field(description="Where to ask instead (recurring rules).")]]
    scopes: NotRequired[Annotated[list[str], Field(description="403: the scopes the key has.")]]


class ItemProblem(TypedDict):
    type: Annotated[str, Field(examples=["/problems/validation-error"])]
    title: str
    status: Annotated[int, Field(description="What a single request would have answered.")]
    detail: str
    errors: list[FieldError]
    see: NotRequired[
        Annotated[
            str,
            Field(description="Where to ask instead (recurring rules: the reporting routes)."),
        ]
    ]


def status_of(error: DomainError) -> int:
    """The status a single request gets for the error (as app/api/kit/problems.py maps it)."""
    return 404 if isinstance(error, NotFound) else 409 if isinstance(error, Conflict) else 422


def item_problem(error: DomainError, prefix: str) -> ItemProblem:
    """A batch item's error as the problem a single request would get, its field placed in
    the batch (`items[3].anchor`)."""
    status = status_of(error)
    body: ItemProblem = {
        "type": problem_type(error.code),
        "title": title_of(error.code, TITLES.get(status, "Error")),
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
    see = getattr(error, "see", None)
    if isinstance(see, str):
        body["see"] = see
    return body


def invalid_item(errors: list[dict[str, Any]]) -> ItemProblem:
    """A batch item refused by validation: the 422 a single request would get."""
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return {
        "type": problem_type("validation-error"),
        "title": title_of("validation-error", TITLES[422]),
        "status": 422,
        "detail": f"Invalid input: {fields}",
        "errors": [
            {"field": e["field"], "message": e["message"], "type": e["type"]} for e in errors
        ],
    }
