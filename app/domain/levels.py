"""The administrative levels: one vocabulary for profiles, rules, publication decisions, the
procedure catalog and the reporting calendar (docs/legal-basis.md#glossary).

Each feature uses the levels that apply to it (a publication decision is issued at national or
province level; the reporting calendar has commune, district, department and province).
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Who issues or acts, by administrative level, from the lowest."""

    COMMUNE = "commune"  # cấp xã: xã, phường, thị trấn (đặc khu from 2025)
    DISTRICT = "district"  # cấp huyện; abolished from 1/7/2025 (docs/legal-basis.md#calendar)
    DEPARTMENT = "department"  # sở, ban, ngành cấp tỉnh: a provincial department
    PROVINCE = "province"  # cấp tỉnh: the provincial People's Committee or its chairman
    NATIONAL = "national"  # cấp trung ương: the Government, a ministry or ministry-level body

    @classmethod
    def _missing_(cls, value: object) -> Level | None:
        # Spellings the API used before one vocabulary (and the database still stores): a
        # minister's decision ("ministry") and a central-level procedure ("central").
        return LEGACY_LEVELS.get(value) if isinstance(value, str) else None


LEGACY_LEVELS = {"ministry": Level.NATIONAL, "central": Level.NATIONAL}

# What each feature accepts.
PROFILE_LEVELS = (Level.NATIONAL, Level.PROVINCE, Level.DEPARTMENT, Level.DISTRICT)
DECISION_LEVELS = (Level.NATIONAL, Level.PROVINCE)
PROCEDURE_LEVELS = (Level.NATIONAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
REPORTING_LEVELS = (Level.COMMUNE, Level.DISTRICT, Level.DEPARTMENT, Level.PROVINCE)
