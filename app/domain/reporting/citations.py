"""Where a value comes from, and how sure we are of it (DOMAIN.md confidence marks)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    VERIFIED = "V"  # read in the primary text
    SECONDARY = "S"  # secondary sources only
    UNCERTAIN = "?"  # not found, or a choice this service made where the text is silent


@dataclass(frozen=True, slots=True)
class Citation:
    document: str
    article: str
    confidence: Confidence
