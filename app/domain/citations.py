"""Where a legal value comes from, and how sure we are of it (DOMAIN.md confidence marks)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    VERIFIED = "V"  # read in the primary legal text
    SECONDARY = "S"  # secondary sources only
    UNCERTAIN = "?"  # not found, or a reading this service chose where the text is unclear


@dataclass(frozen=True, slots=True)
class Citation:
    """A value's source with its own confidence (rules carry theirs beside their citation)."""

    document: str
    article: str
    confidence: Confidence

    def __str__(self) -> str:
        return f"{self.document}, {self.article} [{self.confidence.value}]"
