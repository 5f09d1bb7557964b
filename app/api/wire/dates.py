"""Date and date-time parameters: ISO 8601 text, nothing else.

Pydantic's lax mode would read `0` or `1700000000` as a Unix timestamp (`as_of=0` as
1970-01-01); a public API should refuse them with a 422 naming the parameter instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _date_text(value: Any) -> Any:
    if isinstance(value, str) and not _DATE.fullmatch(value):
        raise ValueError("must be an ISO 8601 date, YYYY-MM-DD")
    return value


def _date_time_text(value: Any) -> Any:
    if isinstance(value, str) and not _DATE_TIME.match(value):
        raise ValueError(
            "must be an ISO 8601 date-time with an offset, e.g. 2025-03-05T09:00+07:00"
        )
    return value


def _with_offset(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a UTC offset, e.g. +07:00")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_date_text)]
IsoDateTime = Annotated[dt.datetime, BeforeValidator(_date_time_text), AfterValidator(_with_offset)]


def utc_text(value: dt.datetime) -> str:
    """A record timestamp as the wire writes it: UTC, `Z`, always with microseconds
    (`2026-11-30T07:21:48.225513Z`), whatever offset it was stored or computed in."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=dt.UTC)  # the database's naive values are UTC
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


UtcDateTime = Annotated[
    dt.datetime,
    PlainSerializer(utc_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "A record timestamp: UTC, written with `Z` and microseconds.",
            "examples": ["2026-11-30T07:21:48.225513Z"],
        }
    ),
]
"""A record timestamp (created_at, updated_at, recorded_at, a change's `at`…): always UTC
with `Z` on the wire. A local time (a due time, an appointment, a receipt as given) is a plain
`dt.datetime` and keeps its offset (+07:00)."""
