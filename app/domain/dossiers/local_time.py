"""Local time of Vietnamese public bodies, and the checks every date-time input goes through.

Offices count in Asia/Ho_Chi_Minh (UTC+07:00, no daylight saving since 1975). The domain takes
date-times with any offset, converts them, and refuses naive ones: a naive time could be read in
the wrong zone, and a wrong zone moves a receipt across closing time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from app.domain.errors import DomainError

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

SECONDS_PER_DAY = 24 * 3600

# Spelled out rather than strftime("%a"), which follows the process locale.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def require_aware(value: dt.datetime, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(f"{field} must be a date-time", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise DomainError(f"{field} must carry a UTC offset, e.g. +07:00", field=field)
    return value


def to_local(value: dt.datetime, field: str) -> dt.datetime:
    """The instant in office time. Clocks count whole seconds: sub-second parts are dropped."""
    if type(value) is dt.datetime and value.tzinfo is VIETNAM and not value.microsecond:
        return value  # already so (the clock's own instants): nothing to convert
    return require_aware(value, field).astimezone(VIETNAM).replace(microsecond=0)


def seconds_of_day(value: dt.datetime | dt.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def at_seconds(day: dt.date, seconds: int) -> dt.datetime:
    """The local instant `seconds` after midnight starting `day`; 86400 is 24:00 (next midnight)."""
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=VIETNAM)
    return midnight + dt.timedelta(seconds=seconds)


def hhmm(value: dt.datetime) -> str:
    """'2024-03-05 09:00 (Tue)' — how a trace names an instant."""
    # Formatted by hand: strftime costs half as much again, and a fold names every instant
    # it passes.
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    if value.second:
        text += f":{value.second:02d}"
    return f"{text} ({_WEEKDAYS[value.weekday()]})"


def day_label(day: dt.date) -> str:
    return f"{day.isoformat()} ({_WEEKDAYS[day.weekday()]})"


def duration(value: dt.timedelta) -> str:
    """'3 h 45 min' — how a trace names a span of working time."""
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} min")
    if seconds:
        parts.append(f"{seconds} s")
    return sign + " ".join(parts)
