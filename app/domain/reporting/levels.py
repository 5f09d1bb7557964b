"""Administrative levels that report, with the dates they exist.

The district level (cấp huyện) ends with the two-tier local government of 1/7/2025
(docs/legal-basis.md#calendar,
#source-plans); the end date is data (the national profile's reporting section) with its
citation, so a correction is a data change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.citations import Citation
from app.domain.errors import DomainError
from app.domain.levels import REPORTING_LEVELS, Level

__all__ = ["REPORTING_LEVELS", "Level", "LevelAbolished", "ReportingLevel"]


@dataclass(frozen=True, slots=True)
class ReportingLevel:
    code: Level
    name_vi: str
    name_en: str
    # First day the level no longer exists; None while it does. Never guessed: from the data.
    abolished_from: dt.date | None = None
    citation: Citation | None = None
    note: str = ""

    def exists_on(self, d: dt.date) -> bool:
        return self.abolished_from is None or d < self.abolished_from

    def absence_reason(self) -> str:
        """Why the level does not exist on a day on or after abolished_from."""
        if self.abolished_from is None:
            return f"{self.name_en} exists"
        cited = f" ({self.citation.document})" if self.citation else ""
        return (
            f"{self.name_en} ({self.name_vi}) does not exist from "
            f"{self.abolished_from.isoformat()}{cited}. {self.note}".rstrip()
        )


class LevelAbolished(DomainError):
    """A level asked for where it no longer exists (the API answers 422)."""

    code = "level-abolished"
