"""Bodies of the calendar notices API: the notice itself is app/data/notices.CalendarNotice."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from app.api.wire.dates import UtcDateTime
from app.data.notices import CalendarNotice
from app.domain.calendar import DayKind
from app.services.calendar_notices import NoticeChange


class DayChange(BaseModel):
    date: dt.date
    entry: str | None = Field(description="The notice entry deciding the day; null if withdrawn.")
    kind: tuple[DayKind, DayKind] = Field(description="from, to")
    working: tuple[bool, bool] = Field(description="from, to")
    name_vi: str | None
    name_en: str | None


class YearChange(BaseModel):
    year: int
    provisional: tuple[bool, bool] = Field(description="from, to")


class DueDateMove(BaseModel):
    kind: Literal["obligation", "dossier"]
    id: int
    label: str = Field(description="The obligation's rule; the dossier's office and code.")
    due: tuple[str | None, str | None] = Field(description="from, to (ISO 8601)")
    reason: str


class NoticeChangeOut(BaseModel):
    action: Literal["import", "withdraw"]
    outcome: Literal["applied", "unchanged", "preview"] = Field(
        description="preview: nothing was written (dry_run); unchanged: the same notice was "
        "already in force; applied: committed as one change."
    )
    number: str
    version: int
    from_revision: int
    calendar_revision: int = Field(description="The calendar revision the change produces.")
    days: list[DayChange]
    years: list[YearChange]
    moves: list[DueDateMove] = Field(
        description="Every open obligation and dossier whose due date moves."
    )
    notice: CalendarNotice

    @classmethod
    def of(cls, change: NoticeChange) -> NoticeChangeOut:
        return cls(
            action=change.action,
            outcome=change.outcome,
            number=change.notice.number,
            version=change.version,
            from_revision=change.from_revision,
            calendar_revision=change.calendar_revision,
            days=[
                DayChange(
                    date=d.date,
                    entry=d.entry,
                    kind=(d.from_kind, d.to_kind),
                    working=(d.from_working, d.to_working),
                    name_vi=d.name_vi,
                    name_en=d.name_en,
                )
                for d in change.days
            ],
            years=[
                YearChange(year=y.year, provisional=(y.from_provisional, y.to_provisional))
                for y in change.years
            ],
            moves=[
                DueDateMove(
                    kind=m.kind, id=m.id, label=m.label, due=(m.from_due, m.to_due), reason=m.reason
                )
                for m in change.moves
            ],
            notice=change.notice,
        )


class NoticeRecord(BaseModel):
    number: str
    version: int
    status: Literal["proposed", "decided"]
    withdrawn_at: UtcDateTime | None
    withdrawn_by: str | None
    created_by: str
    created_at: UtcDateTime
    notice: CalendarNotice


class NoticeRecords(BaseModel):
    items: list[NoticeRecord]
