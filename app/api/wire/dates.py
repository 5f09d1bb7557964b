"""Date and date-time parameters: ISO 8601 text, nothing else.

Pydantic's lax mode would read `0` or `1700000000` as a Unix timestamp (`as_of=0` as
1970-01-01); a public API should refuse them with a 422 naming the parameter instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

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
