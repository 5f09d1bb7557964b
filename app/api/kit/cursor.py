"""One opaque cursor for every list: urlsafe base64 (unpadded) of a small versioned JSON payload
`[1, "<list>", <key values>…]`, the keyset position after the page's last item.

Clients pass `next_cursor` back as `?cursor=` and never look inside. The list name makes a
cursor of one list refused by another; the version lets the payload change without breaking the
cursors in flight. A cursor that does not decode, is of another list or carries the wrong values
is a 422 validation problem naming `cursor`. Earlier forms still decode where they were issued:
the unversioned JSON list of the decisions, obligations and procedures cursors (`legacy=True`),
the webhook lists' `w<id>` (app/api/webhooks/schemas.py) and the change feed's integer id
(`feed_id`). See docs/wire.md#lists-and-cursors."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Annotated, Any

from fastapi import Query
from pydantic_core import to_json

from app.api.kit.problems import ApiProblem

VERSION = 1
MAX_CURSOR = 200

CursorQuery = Annotated[
    str | None,
    Query(
        max_length=MAX_CURSOR,
        description="`next_cursor` of the previous page (opaque); omit for the first page.",
    ),
]

Key = dt.date | int | str | None


def encode(kind: str, *values: Key) -> str:
    """The cursor after a row whose keyset values are `values`, for the list `kind`."""
    raw = to_json([VERSION, kind, *values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invalid(param: str = "cursor") -> ApiProblem:
    return ApiProblem(
        422,
        f"`{param}` is not a cursor this list returned; pass `next_cursor` as it came.",
        code="validation-error",
        errors=[{"field": param, "message": "not a cursor this list returned", "type": "cursor"}],
    )


def _payload(cursor: str) -> Any:
    padded = cursor + "=" * (-len(cursor) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def _typed(values: list[Any], shape: tuple[type, ...]) -> tuple[Any, ...]:
    if len(values) != len(shape):
        raise ValueError
    out: list[Any] = []
    for value, kind in zip(values, shape, strict=True):
        if kind is dt.date:
            out.append(None if value is None else dt.date.fromisoformat(value))
        elif isinstance(value, kind) and not isinstance(value, bool):
            if isinstance(value, int) and not 0 <= value < 2**63:
                raise ValueError
            out.append(value)
        else:
            raise ValueError
    return tuple(out)


def decode(
    cursor: str, kind: str, shape: tuple[type, ...], *, legacy: bool = False
) -> tuple[Any, ...]:
    """The keyset values `encode(kind, …)` packed, checked against `shape` (date, int, str; a
    date may be null). `legacy`: also the unversioned JSON list these lists issued before."""
    try:
        values = _payload(cursor)
        if not isinstance(values, list):
            raise ValueError
        if len(values) >= 2 and values[0] == VERSION and values[1] == kind:
            return _typed(values[2:], shape)
        if legacy:
            return _typed(values, shape)
        raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
        raise invalid() from None


FEED = "changes"


def feed_id(cursor: str) -> int:
    """The change-feed id a feed cursor stands for: the opaque `next_cursor` of GET /v1/changes,
    or the plain integer (a change's id, 0 for the start) the feed took before and still takes.
    ValueError for anything else."""
    if cursor.isascii() and cursor.isdigit():
        if len(cursor) > 19 or int(cursor) >= 2**63:
            raise ValueError("not a change id")
        return int(cursor)
    try:
        return int(decode(cursor, FEED, (int,))[0])
    except ApiProblem:
        raise ValueError("not a cursor of GET /v1/changes") from None


def feed_position(cursor: str, param: str = "cursor") -> int:
    """`feed_id` for a query parameter: anything else is a 422 naming `param`."""
    try:
        return feed_id(cursor)
    except ValueError:
        raise invalid(param) from None
