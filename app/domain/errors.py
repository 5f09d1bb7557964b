"""Errors the domain raises; the API turns each into an RFC 9457 problem."""

from __future__ import annotations


class DomainError(Exception):
    """A request the law or the data cannot answer. `field` names the offending input."""

    code = "domain-error"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class OutOfRange(DomainError):
    """A date outside the calendar's supported range: refused, never guessed
    (docs/legal-basis.md#calendar)."""

    code = "date-out-of-range"


class OutsidePeriod(DomainError):
    """A record dated outside the period a jurisdiction profile's rules cover: refused rather
    than recorded with the profile's rules silently dropped (docs/legal-basis.md#profile-period)."""

    code = "outside-profile-period"


class NotFound(DomainError):
    """A rule, profile or other catalog entry that does not exist."""

    code = "not-found"


class Conflict(DomainError):
    """A request that contradicts what is already recorded."""

    code = "conflict"


class InvalidEntries(DomainError):
    """A document refused for what its entries say, each problem named by its entry
    (e.g. "swaps[0].working_day")."""

    code = "invalid-entries"

    def __init__(self, detail: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(detail, field=problems[0][0] if problems else None)
        self.problems = problems
