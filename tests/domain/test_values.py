"""`value` types behave as the frozen dataclasses they stand for (app/domain/values.py): equal
and hashed by their fields, copied with `dataclasses.replace`, slotted."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.dossiers import DossierEvent, EventKind
from app.domain.values import value

ICT = dt.timezone(dt.timedelta(hours=7))


@value
class _Pair:
    left: int
    right: tuple[str, ...] = ()


def test_equal_and_hashed_by_fields() -> None:
    at = dt.datetime(2026, 3, 2, 9, tzinfo=ICT)
    one, same = DossierEvent(EventKind.PAUSED, at), DossierEvent(EventKind.PAUSED, at)
    assert one == same and hash(one) == hash(same) and len({one, same}) == 1
    assert one != DossierEvent(EventKind.RESUMED, at)


def test_replace_copies_and_leaves_the_original() -> None:
    pair = _Pair(1, ("a",))
    moved = dataclasses.replace(pair, left=2)
    assert (moved.left, moved.right) == (2, ("a",)) and pair.left == 1


def test_slotted_without_instance_dict() -> None:
    pair = _Pair(1)
    assert not hasattr(pair, "__dict__")
    with pytest.raises(AttributeError):
        pair.other = 3  # type: ignore[attr-defined]
