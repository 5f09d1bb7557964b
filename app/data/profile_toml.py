"""A profile document written as the TOML of the shipped catalog files (app/data/rules/), so
that a draft read from a plan can be reviewed, edited and shipped like the hand-written ones.

Only the values a profile document holds are written: strings, integers, booleans, dates,
lists of strings, and the small tables (citation, recurrence) inline, as the shipped files do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from app.data.documents import from_json

# TOML comments hold no control character but tab (and end at the line's end).
_NOT_IN_COMMENT = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        # a JSON string is a TOML basic string (the same escapes, \uXXXX included), except
        # that TOML also refuses DEL unescaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"a profile document holds no {type(value).__name__}")


def _comment(text: str) -> str:
    return f"# {_NOT_IN_COMMENT.sub(' ', text)}".rstrip()


def _table(values: Mapping[str, Any]) -> list[str]:
    return [f"{key} = {_value(v)}" for key, v in values.items()]


def profile_toml(document: Mapping[str, Any], comments: Mapping[str, Iterable[str]]) -> str:
    """The document (JSON form) as TOML; `comments`: lines written above each rule, by code,
    and above the whole under the key ""."""
    doc = from_json(dict(document))
    lines = [_comment(c) for c in comments.get("", ())]
    top = {k: v for k, v in doc.items() if k not in ("profile", "rule")}
    lines += _table(top)
    profile = dict(doc.get("profile", {}))
    source = profile.pop("source", None)
    lines += ["", "[profile]", *_table(profile)]
    if source:
        lines += ["", "[profile.source]", *_table(source)]
    for rule in doc.get("rule", []):
        lines.append("")
        lines += [_comment(c) for c in comments.get(str(rule.get("code")), ())]
        lines += ["[[rule]]", *_table(rule)]
    return "\n".join(lines) + "\n"
