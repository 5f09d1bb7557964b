"""An office schedule as a reference document: the hours in which the dossier clock counts at
one office (or for a profile shared by many), and where a receipt outside them counts from.
Hours are a local decision, not the law's (docs/legal-basis.md#office-hours). The shipped
schedules are the `[[schedule]]` tables of app/data/dossiers.toml; the database keeps them as
versioned documents an administrator may change (PUT /v1/office-schedules/{code}); both are
validated by this model and turned into the domain's OfficeSchedule here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictBool, StrictStr, ValidationInfo, field_validator

from app.data.dossier_rules import Code
from app.data.profile_document import ConfidenceName, Strict, enum_schema, member_of
from app.domain.dossiers import AfterHoursPolicy, CalendarDayEnd, OfficeSchedule, Window
from app.domain.errors import DomainError

AfterHoursName = Annotated[
    StrictStr, AfterValidator(member_of(AfterHoursPolicy)), enum_schema(AfterHoursPolicy)
]
DayEndName = Annotated[
    StrictStr, AfterValidator(member_of(CalendarDayEnd)), enum_schema(CalendarDayEnd)
]


def _local(value: dt.time) -> dt.time:
    if value.tzinfo is not None or value.microsecond:
        raise ValueError("a local time of day in whole seconds, without an offset")
    return value


LocalTime = Annotated[dt.time, AfterValidator(_local), Field(examples=["07:30:00"])]


class Session(Strict):
    """One opening of the office on a day, from `opens` to `closes` (local time)."""

    opens: LocalTime
    closes: LocalTime

    @field_validator("closes")
    @classmethod
    def _after_opening(cls, closes: dt.time, info: ValidationInfo) -> dt.time:
        opens = info.data.get("opens")
        if isinstance(opens, dt.time) and closes <= opens:
            raise ValueError(f"the session ends at {closes} before it starts at {opens}")
        return closes

    def window(self) -> Window:
        return Window(opens=self.opens, closes=self.closes)


Sessions = Annotated[list[Session], Field(max_length=6)]


class Weekdays(Strict):
    """Hours of one weekday that differ from `windows` (e.g. a shorter Friday)."""

    mon: Sessions | None = None
    tue: Sessions | None = None
    wed: Sessions | None = None
    thu: Sessions | None = None
    fri: Sessions | None = None


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


class OfficeScheduleDocument(Strict):
    """The hours of one office. Days come from the calendar; the schedule says which hours of
    a working day count and where a receipt outside them counts from."""

    code: Code = Field(examples=["default"])
    source: StrictStr = Field(
        "", description="Where the hours come from (the office's own decision, usually)."
    )
    confidence: ConfidenceName | None = Field(
        None, description="How sure the service is of these hours (? for common practice)."
    )
    windows: Sessions = Field(
        min_length=1,
        description="The counting hours of a working day (also of a make-up working Saturday).",
    )
    weekdays: Weekdays | None = None
    saturday_reception: Sessions | None = Field(
        None, description="Hours the counter receives on an ordinary Saturday (not counted)."
    )
    after_hours: AfterHoursName = Field(
        AfterHoursPolicy.NEXT_OPENING.value,
        description="Where a receipt after closing counts from.",
    )
    receipt_cutoff: LocalTime | None = Field(
        None, description="Receipts at or after it on a working day count as after hours."
    )
    return_by_session: StrictBool = Field(
        False,
        description="Nhận sáng trả sáng, nhận chiều trả chiều: periods of working days are "
        "counted in sessions (needs two windows a day).",
    )
    calendar_days_end: DayEndName = Field(
        CalendarDayEnd.MIDNIGHT.value,
        description="midnight (Civil Code 2015 Art. 148(6)) or the office's closing time.",
    )

    def as_json(self) -> dict[str, Any]:
        """The document as stored and hashed (times as ISO strings)."""
        return self.model_dump(mode="json", exclude_unset=True)

    def schedule(self) -> OfficeSchedule:
        """The domain's schedule (DomainError naming the field on hours it cannot count)."""
        weekdays = self.weekdays or Weekdays()
        try:
            return self._schedule(weekdays)
        except DomainError as error:  # the domain names weekday 4; the document says fri
            field = re.sub(
                r"^weekday_windows\[(\d)\]",
                lambda m: f"weekdays.{_WEEKDAYS[int(m[1])]}",
                error.field or "windows",
            )
            raise type(error)(error.detail, field=field) from None

    def _schedule(self, weekdays: Weekdays) -> OfficeSchedule:
        return OfficeSchedule(
            code=self.code,
            windows=tuple(s.window() for s in self.windows),
            weekday_windows=tuple(
                (index, tuple(s.window() for s in sessions))
                for index, name in enumerate(_WEEKDAYS)
                if (sessions := getattr(weekdays, name)) is not None
            ),
            saturday_reception=tuple(s.window() for s in self.saturday_reception or ()),
            after_hours=AfterHoursPolicy(self.after_hours),
            receipt_cutoff=self.receipt_cutoff,
            return_by_session=self.return_by_session,
            calendar_days_end=CalendarDayEnd(self.calendar_days_end),
            source=self.source,
        )


def schedules_of(documents: Iterable[OfficeScheduleDocument]) -> dict[str, OfficeSchedule]:
    """The domain's schedules by code (DomainError naming the field of one it cannot count)."""
    return {d.code: d.schedule() for d in documents}
