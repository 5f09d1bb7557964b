"""Capped exponential backoff with full jitter, for loops that wait for the database."""

from __future__ import annotations

import random


class Backoff:
    def __init__(self, first: float = 0.25, cap: float = 5.0) -> None:
        self._first = first
        self._cap = cap
        self._attempt = 0

    def next_delay(self) -> float:
        """Seconds to wait before the next attempt: a random share of first·2ⁿ, at most `cap`
        (replicas that lost the database together do not all come back at the same instant)."""
        ceiling = min(self._cap, self._first * 2**self._attempt)
        self._attempt += 1
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not a secret)

    def reset(self) -> None:
        self._attempt = 0
