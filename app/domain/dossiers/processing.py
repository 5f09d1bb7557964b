"""A procedure's processing time (thời hạn giải quyết): an amount and a unit.

Procedures publish their processing time as "N ngày làm việc", "N giờ làm việc" or "N ngày"
(calendar days, docs/legal-basis.md#glossary). Half days ("0,5 ngày làm việc") occur; smaller
fractions of a day
do not, and an hour amount is kept to whole minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from app.domain.errors import DomainError


class TimeUnit(StrEnum):
    """The units of a processing time: one vocabulary for the procedure catalog and the
    dossier clock."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"

    @classmethod
    def _missing_(cls, value: object) -> TimeUnit | None:
        # The catalog's former `hours` (still stored so) are working hours: the law states
        # processing hours in working time ("8 giờ làm việc", Nghị định 118/2025/NĐ-CP Điều 17
        # khoản 2 điểm c), and a calendar-hour period would end at night.
        return cls.WORKING_HOURS if value == "hours" else None


# Sanity bounds, not law: no published procedure comes near them, and an amount past them is a
# typing error (a year's days keyed as working days, minutes keyed as hours) that must not
# silently produce a date years away. 365 working days is about a year and a half; the hour and
# calendar-day bounds are of the same order (8-hour day, QĐ 188/1999/QĐ-TTg; two years).
MAX_AMOUNT = {
    TimeUnit.WORKING_DAYS: Decimal(365),
    TimeUnit.WORKING_HOURS: Decimal(365 * 8),
    TimeUnit.CALENDAR_DAYS: Decimal(730),
}

# The finest step each unit is counted in: half a working day, one minute, one calendar day.
_STEPS_PER_UNIT = {
    TimeUnit.WORKING_DAYS: 2,
    TimeUnit.WORKING_HOURS: 60,
    TimeUnit.CALENDAR_DAYS: 1,
}
_STEP_NAMES = {
    TimeUnit.WORKING_DAYS: "half a day",
    TimeUnit.WORKING_HOURS: "one minute",
    TimeUnit.CALENDAR_DAYS: "one day",
}


@dataclass(frozen=True, slots=True)
class ProcessingTime:
    amount: Decimal
    unit: TimeUnit

    def __post_init__(self) -> None:
        if not isinstance(self.unit, TimeUnit):
            raise DomainError(f"unknown unit {self.unit!r}", field="unit")
        amount = self.amount
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise DomainError("amount must be a finite decimal number", field="amount")
        if amount <= 0:
            raise DomainError(f"a processing time must be positive, got {amount}", field="amount")
        bound = MAX_AMOUNT[self.unit]
        if amount > bound:
            raise DomainError(
                f"{amount} {self.unit.value} is beyond the bound of {bound}: "
                "no procedure takes that long, check the amount and the unit",
                field="amount",
            )
        if (amount * _STEPS_PER_UNIT[self.unit]) % 1:
            raise DomainError(
                f"{self.unit.value} are counted in steps of {_STEP_NAMES[self.unit]}, got {amount}",
                field="amount",
            )

    @classmethod
    def of(cls, amount: int | float | str | Decimal, unit: TimeUnit | str) -> ProcessingTime:
        """Build from loose input (API, data), turning every mistake into a DomainError."""
        try:
            parsed_unit = TimeUnit(unit)
        except ValueError:
            units = ", ".join(u.value for u in TimeUnit)
            raise DomainError(f"unit must be one of {units}, got {unit!r}", field="unit") from None
        if isinstance(amount, bool):
            raise DomainError("amount must be a number", field="amount")
        try:
            # str() first: a float such as 0.1 would otherwise carry its binary error along
            parsed = amount if isinstance(amount, Decimal) else Decimal(str(amount))
        except InvalidOperation:
            raise DomainError(f"amount must be a number, got {amount!r}", field="amount") from None
        return cls(parsed, parsed_unit)

    @property
    def steps(self) -> int:
        """The amount in the unit's finest step: half days, minutes or days."""
        return int(self.amount * _STEPS_PER_UNIT[self.unit])

    def __str__(self) -> str:
        return f"{self.amount.normalize():f} {self.unit.value.replace('_', ' ')}"
