"""Vietnamese statutory deadline service: working-day calendar, deadline rules, tracked duties."""

__version__ = "0.1.0"
