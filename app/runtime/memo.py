"""Answers already given, by request, for the reference data in force.

The portal asks the same questions again and again (the same period from the same day, for
every dossier of that day). Answers depend only on the request and on immutable reference
objects (the calendar snapshot, the rule catalog), so an answer stays right until one of them
is replaced; the memo then starts afresh. Bounded: the oldest entry goes first (an ordered
dict: taking the first key of a plain dict again and again walks the slots deleted before it,
8 µs an answer once the memo is full of never-repeated questions).
"""

from __future__ import annotations

from collections import OrderedDict
from operator import is_


class ReferenceMemo:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[bytes, bytes] = OrderedDict()
        self._refs: tuple[object, ...] = ()

    def _same(self, refs: tuple[object, ...]) -> bool:
        return len(refs) == len(self._refs) and all(map(is_, refs, self._refs))

    def get(self, refs: tuple[object, ...], key: bytes) -> bytes | None:
        return self._items.get(key) if self._same(refs) else None

    def put(self, refs: tuple[object, ...], key: bytes, value: bytes) -> None:
        if not self._same(refs):
            self._items = OrderedDict()
            self._refs = refs
        if len(self._items) >= self._size:
            self._items.popitem(last=False)
        self._items[key] = value
