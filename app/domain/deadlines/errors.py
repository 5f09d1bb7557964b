"""Errors of the deadline domain; each is a DomainError, so the API turns it into a problem."""

from __future__ import annotations

from app.domain.errors import DomainError


class InvalidPeriod(DomainError):
    """An ad-hoc period the law cannot count (e.g. a negative amount)."""

    code = "invalid-period"


class AnchorRequired(DomainError):
    """A rule counted from an event was asked for without the event's date."""

    code = "anchor-required"


class RuleNotInForce(DomainError):
    """The rule was not (or no longer) in force on the anchor date."""

    code = "rule-not-in-force"


class NotComputedHere(DomainError):
    """A recurring rule: its due dates are per period and belong to the reporting module."""

    code = "rule-not-computed-here"
