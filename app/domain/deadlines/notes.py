"""Legal bases and interpretation notes shown in traces.

The Civil Code articles are the counting law itself (docs/legal-basis.md#counting); the notes state
the
reading used wherever docs/legal-basis.md#confidence marks the law as unsettled
(#counting-backward, #counting-before, #counting-fixed-day), so
that every answer
that depends on such a reading says so.
"""

from __future__ import annotations

import datetime as dt

from app.domain.calendar.model import DayInfo, DayKind
from app.domain.citations import Citation, Confidence
from app.domain.deadlines.model import Roll, Unit

CIVIL_CODE = "Bộ luật Dân sự 2015"
ROLL_FOLLOWING = Citation(CIVIL_CODE, "Điều 148(5)", Confidence.VERIFIED)
# A count excludes the anchor day (Art. 147(2)-(3)) and measures its unit (Art. 148); a
# working-day count counts working days only (docs/legal-basis.md#counting-working-days).
COUNT_BASIS = {
    Unit.CALENDAR_DAYS: Citation(
        CIVIL_CODE, "Điều 147(2)-(3), Điều 148(1),(6)", Confidence.VERIFIED
    ),
    Unit.WEEKS: Citation(CIVIL_CODE, "Điều 147(2)-(3), Điều 148(2)", Confidence.VERIFIED),
    Unit.MONTHS: Citation(CIVIL_CODE, "Điều 147(2)-(3), Điều 148(3)", Confidence.VERIFIED),
    Unit.WORKING_DAYS: Citation(CIVIL_CODE, "Điều 147(2)-(3)", Confidence.VERIFIED),
}
UNIT_WORDS = {
    Unit.CALENDAR_DAYS: "calendar day",
    Unit.WORKING_DAYS: "working day",
    Unit.WEEKS: "week",
    Unit.MONTHS: "month",
}

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def fmt(d: dt.date) -> str:
    """'Tue 2024-03-05', whatever the process locale."""
    return f"{_WEEKDAYS[d.weekday()]} {d.isoformat()}"


def amount_words(amount: int, unit: Unit) -> str:
    return f"{amount} {UNIT_WORDS[unit]}{'' if amount == 1 else 's'}"


def why_off(day: DayInfo) -> str:
    if day.kind is DayKind.WEEKEND:
        return "a weekly rest day"
    return f"{day.name_en or day.kind} ({day.source})" if day.source else str(day.name_en)


def backward(roll: Roll) -> str:
    return (
        "Counted backwards ('chậm nhất trước N ngày tính đến ngày E'): the latest day is E − N, "
        "with no forward roll, which would pass the limit. Rolling back to the previous working "
        "day is an option the law does not settle (docs/legal-basis.md#counting-backward); "
        f"roll used: {roll}."
    )


def strict_before(named: dt.date, latest: dt.date) -> str:
    return (
        "'trước ngày D' is ambiguous in practice (docs/legal-basis.md#counting-before): "
        "read as strictly "
        f"before {named.isoformat()}, so the latest day is {latest.isoformat()}."
    )


INCLUSIVE_BEFORE = (
    "This profile reads 'trước ngày D' inclusively: D itself is still in time "
    "(docs/legal-basis.md#counting-before)."
)


def named_day_off(day: DayInfo, roll: Roll, result: dt.date) -> str:
    effect = {
        Roll.NONE: "the day stays and is flagged",
        Roll.FOLLOWING: f"moved to the next working day, {result.isoformat()}",
        Roll.PRECEDING: f"moved to the previous working day, {result.isoformat()}",
    }[roll]
    return (
        f"{day.date.isoformat()} is a day off ({why_off(day)}). Whether a day the text names "
        "moves when it falls on a day off is not settled "
        "(docs/legal-basis.md#counting-fixed-day); this rule's "
        f"roll is {roll}: {effect}."
    )


IMMEDIATE = (
    "'Ngay sau khi …' sets no period. Read as due on the first working day after the event: the "
    f"event's own day is not counted ({CIVIL_CODE}, Điều 147(2)-(3)) and a day off moves the last "
    f"day on ({ROLL_FOLLOWING}); a reading chosen where the phrase is silent."
)
AFTER_EVENT = "'Sau khi …' sets when the work starts (the day after the event), not a due date."
CONTINUOUS = "'Thường xuyên': a continuous duty, with no due date."
EXTERNAL = "The date is set by another document or on request ('Theo Kế hoạch …', 'Theo yêu cầu')."
INSTALMENTS = "One due date per named period; the due date shown is the last of them."


def projected(code: str, due: dt.date) -> str:
    return (
        f"Counted from the due date of {code} ({due.isoformat()}), which is not completed yet: a "
        "projection, recomputed when that duty is completed."
    )
