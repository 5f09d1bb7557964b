"""The vocabulary of deadline rules: units, directions, rolls, shapes and anchors.

Values are the strings the catalog data and the API use, so a StrEnum round-trips unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """How a period is measured (Civil Code 2015, Art. 148; docs/legal-basis.md#counting)."""

    CALENDAR_DAYS = "calendar_days"  # "ngày", "ngày thông thường"
    WORKING_DAYS = "working_days"  # "ngày làm việc"
    WEEKS = "weeks"
    MONTHS = "months"


class Direction(StrEnum):
    FORWARD = "forward"  # "kể từ ngày …": counted after the anchor
    BACKWARD = "backward"  # "chậm nhất trước N ngày tính đến ngày E": counted back from it


class Roll(StrEnum):
    """What happens to a last day that is not a working day."""

    FOLLOWING = "following"  # to the next working day, Civil Code 2015 Art. 148(5)
    PRECEDING = "preceding"  # to the previous working day
    NONE = "none"  # the day stays; the answer flags it


class Bound(StrEnum):
    INCLUSIVE = "inclusive"  # "chậm nhất ngày D": D itself is still in time
    STRICT = (
        "strict"  # "trước ngày D": read by default as D − 1 (docs/legal-basis.md#counting-before)
    )


class Shape(StrEnum):
    """The kinds of deadline phrase the law and the plans use
    (docs/legal-basis.md#national-rules)."""

    PERIOD = "period"  # N units from an anchor, forward or backward
    ON_ANCHOR = "on_anchor"  # "đúng ngày … có hiệu lực": the anchor day itself
    IMMEDIATE = "immediate"  # "ngay sau khi …": right after an event
    AFTER_EVENT = "after_event"  # "sau khi …": starts after an event, no due date
    FIXED_DATE = "fixed_date"  # "trước ngày 21/02/2023", "15/02/2023"
    PERIOD_END = "period_end"  # "Quý I/2024", "Tháng 02/2023", "Trong năm 2023"
    WINDOW = "window"  # "Tháng 3 đến tháng 7 năm 2022": a start and a due date
    CONTINUOUS = "continuous"  # "Thường xuyên": no due date
    RECURRING = "recurring"  # "hằng tháng", "ngày 17 của tháng cuối quý": per period
    EXTERNAL = "external"  # "Theo Kế hoạch …", "Theo yêu cầu": set elsewhere, no date


# Shapes whose date is counted from an event the caller supplies.
ANCHORED_SHAPES = frozenset({Shape.PERIOD, Shape.ON_ANCHOR, Shape.IMMEDIATE, Shape.AFTER_EVENT})


class AnchorEvent(StrEnum):
    """The event a period counts from."""

    DECISION_SIGNED = "decision_signed"  # publication decision signed (ngày ký ban hành)
    DECISION_EFFECTIVE = "decision_effective"  # publication decision takes effect
    DECISION_POSTED = "decision_posted"  # a decision posted publicly on the national portal
    MINISTRY_LIST_SIGNED = "ministry_list_signed"  # minister signs the procedure list
    LEGAL_DOCUMENT_SIGNED = "legal_document_signed"  # văn bản QPPL signed / promulgated
    LEGAL_DOCUMENT_EFFECTIVE = "legal_document_effective"  # văn bản QPPL takes effect
    PLAN_ISSUED = "plan_issued"  # the plan itself is issued ("ban hành Kế hoạch này")
    DOSSIER_RECEIVED = "dossier_received"
    DOSSIER_DUE = "dossier_due"  # the due date on the appointment slip
    FEEDBACK_RECEIVED = "feedback_received"  # phản ánh, kiến nghị received
    FEEDBACK_RESOLVED = "feedback_resolved"  # report on the feedback's resolution issued
    INSPECTION_DONE = "inspection_done"
    GUIDANCE_ISSUED = "guidance_issued"  # a guiding circular issued (e.g. by the VPCP)
    DUTY_COMPLETED = "duty_completed"  # another rule's duty completed (see Rule.chain_from)


# What a recorded publication decision can supply as anchors (the next step creates duties).
DECISION_ANCHORS = frozenset(
    {AnchorEvent.DECISION_SIGNED, AnchorEvent.DECISION_EFFECTIVE, AnchorEvent.MINISTRY_LIST_SIGNED}
)


class DutyTrigger(StrEnum):
    """The record whose creation turns a rule into a tracked duty (an obligation)."""

    PUBLICATION_DECISION = "publication_decision"
    LEGAL_DOCUMENT = "legal_document"
    DOSSIER = "dossier"
    FEEDBACK = "feedback"


class Scope(StrEnum):
    """Which publication decisions or documents a national rule applies to (ND 63/2010)."""

    MINISTRY = "ministry"  # issued by a minister / head of a ministry-level body
    PROVINCE = "province"  # issued by a provincial chairman
    SHORTENED = "shortened"  # legal document made under the shortened procedure


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A periodic deadline, computed per period by the reporting module, not here.

    `day`: the day of the month named ("ngày 17"), None when the text names none ("Hàng
    tháng"). `last_month`: the day is in the period's last month ("tháng cuối quý").
    `reporting_duty`: the code of the same duty in the reporting catalog, when it has one.
    """

    frequency: Frequency
    day: int | None = None
    last_month: bool = False
    reporting_duty: str | None = None

    def __post_init__(self) -> None:
        if self.day is not None and not 1 <= self.day <= 31:
            raise ValueError(f"recurrence day {self.day} is not a day of a month")

    def __str__(self) -> str:
        if self.day is None:
            return str(self.frequency)
        where = " of the period's last month" if self.last_month else ""
        return f"{self.frequency}, day {self.day}{where}"
