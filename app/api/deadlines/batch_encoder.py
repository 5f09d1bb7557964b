"""The compute-batch answer encoded fast: the one specialised encoder of the API, behind its
declared type (`schemas.BatchResult`). tests/api/test_batch_encoder.py checks, as a property,
that its bytes decode to the same value as `dump_json` of `present.batch(...)`.

Vectorised results (10 000 a request) take a few hundred distinct values (one per due date,
flag and provisional mark): each distinct value is encoded once, by the declared item type's
own TypeAdapter, and picked by index; the other entries are encoded one by one the same way.
Only the joining of those encoded values into the list is done here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from app.api.deadlines import present
from app.api.deadlines import schemas as s
from app.api.wire.problem import invalid_item, item_problem
from app.services.compute import BatchOutcome, flags_of

_RESULT = TypeAdapter(s.BatchItemResult)
_ERROR = TypeAdapter(s.BatchItemError)
# The batch without its results: the head of the answer.
_HEAD = TypeAdapter(s.BatchResult)


def _from_key(key: int) -> s.BatchItemResult:
    """A vectorised result from its key (ordinal·6 + flag·2 + provisional)."""
    ordinal, rest = divmod(key, 6)
    flag, provisional = divmod(rest, 2)
    return {
        "due_date": dt.date.fromordinal(ordinal),
        "provisional": bool(provisional),
        "flags": flags_of(flag),
    }


@lru_cache(maxsize=32768)  # every (due date, flag, mark) of the supported years, with room
def _encoded(key: int) -> bytes:
    return _RESULT.dump_json(_from_key(key))


def encode(
    outcome: BatchOutcome,
    *,
    calendar_revision: int,
    catalog_revision: int,
    with_trace: bool,
    invalid: dict[int, list[dict[str, Any]]],
) -> bytes:
    entries = np.empty(outcome.size, dtype=object)
    where = np.flatnonzero(outcome.vectorised)
    if where.size:
        keys = outcome.due[where] * 6 + outcome.flag[where].astype(np.int64) * 2
        keys += outcome.provisional[where]
        unique, inverse = np.unique(keys, return_inverse=True)
        encoded = [_encoded(k) for k in unique.tolist()]
        entries[where] = np.array(encoded, dtype=object)[inverse]
    written: dict[int, bytes] = {}  # items of one rule and anchor share one Answer
    for i, found in outcome.answers.items():
        text = written.get(id(found))
        if text is None:
            text = written[id(found)] = _RESULT.dump_json(present.batch_answer(found, with_trace))
        entries[i] = text
    for i, error in outcome.errors.items():
        entries[i] = _ERROR.dump_json({"index": i, "error": item_problem(error, f"items[{i}]")})
    for i, errors in invalid.items():
        entries[i] = _ERROR.dump_json({"index": i, "error": invalid_item(errors)})
    head = _HEAD.dump_json(
        {
            "calendar_revision": calendar_revision,
            "catalog_revision": catalog_revision,
            "rules": [
                present.batch_rule(rule, profile) for rule, profile in outcome.rules.values()
            ],
            "results": [],
        }
    )
    # head ends with `"results":[]}`: the encoded entries go between the brackets.
    return head[:-2] + b",".join(entries.tolist()) + b"]}"
