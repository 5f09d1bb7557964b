"""`value`: an immutable dataclass for the types built several times for every ingested event.

`@dataclass(frozen=True)` makes each field's assignment in `__init__` an
`object.__setattr__` call, about six times a plain slot store; the dossier clock's values
(its record, state, trace steps, appointments) and the stored rows around them are built
several times for every event appended, where it came to a seventh of the append's own CPU
(bench/results/NOTE.md). A `value` is frozen for the type checker, which refuses any
assignment to its fields (mypy strict, in CI), and is a plain slotted dataclass at run time:
equal by its fields and hashed by them, as a frozen one.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from typing_extensions import dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def value(cls: type[T]) -> type[T]:
    return dataclasses.dataclass(slots=True, unsafe_hash=True)(cls)
