"""Administrative levels that report, with the dates they exist.

The district level (cấp huyện) ends with the two-tier local government of 1/7/2025
(docs/legal-basis.md#calendar,
#source-plans); the end date is data (the national profile's reporting section) with its
citation, so a correction is a data change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.citations import Citation
from app.domain.errors import DomainError


class LevelCode(StrEnum):
    COMMUNE = "commune"  # cấp xã: xã, phường, thị trấn (đặc khu from 2025)
    DISTRICT = "district"  # cấp huyện: huyện, quận, thị xã, thành phố thuộc tỉnh
    DEPARTMENT = "department"  # sở, ban, ngành cấp tỉnh
    PROVINCE = "province"  # UBND cấp tỉnh


@dataclass(frozen=True, slots=True)
class Level:
    code: LevelCode
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
