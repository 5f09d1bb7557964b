"""Catalog documents travel as JSON (API bodies, JSONB rows) but are parsed from TOML values:
ISO dates are strings in JSON and `datetime.date` in TOML. These convert between the two."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_json(value: Any) -> Any:
    """TOML values → JSON-ready values (dates as ISO strings)."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_json(value: Any) -> Any:
    """JSON values → TOML-like values (ISO date strings back to dates)."""
    if isinstance(value, dict):
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # not a real date: the parser will name the field
    return value
