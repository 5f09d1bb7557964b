from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, CreatedAtMixin


class CalendarNotice(CreatedAtMixin, Base):
    """One version of an official notice deciding days off and make-up days
    (docs/legal-basis.md#calendar-swaps). A changed notice with the same number is a new
    version; the older ones are kept (current = false); a withdrawn one keeps its row."""

    __tablename__ = "calendar_notices"
    __table_args__ = (
        CheckConstraint("length(number) > 0", name="number_given"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("status IN ('proposed', 'decided')", name="status"),
        CheckConstraint(
            "cardinality(decides_years) BETWEEN 1 AND 5 AND 1900 <= ALL (decides_years) "
            "AND 2200 >= ALL (decides_years)",
            name="years",
        ),
        CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawn_by IS NULL)", name="withdrawn_by_whom"
        ),
        UniqueConstraint("number", "version", name="uq_calendar_notices_number"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(Text, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    current: Mapped[bool] = mapped_column(Boolean, nullable=False)
    issuer: Mapped[str] = mapped_column(Text, nullable=False)
    signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    link: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    decides_years: Mapped[list[int]] = mapped_column(ARRAY(Integer), nullable=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    content_hash: Mapped[str] = mapped_column(Text, nullable=False)
    created_by: Mapped[str] = mapped_column(Text, nullable=False)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(Text)


class CalendarAdjustment(CreatedAtMixin, Base):
    """An official change to the statutory calendar: a day off or a worked Saturday, with the
    notice entry it comes from (`entry`, e.g. "swaps[0].day_off"). Adjustments recorded one by
    one (POST /v1/calendar/adjustments) have no notice."""

    __tablename__ = "calendar_adjustments"
    __table_args__ = (
        CheckConstraint("kind IN ('day_off', 'working_day')", name="kind"),
        CheckConstraint("status IN ('proposed', 'decided')", name="status"),
        CheckConstraint("length(source) > 0", name="source_given"),
        CheckConstraint("(notice_id IS NULL) = (entry IS NULL)", name="entry_of_notice"),
        CheckConstraint("swap_with IS NULL OR notice_id IS NOT NULL", name="swap_in_notice"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    name_vi: Mapped[str] = mapped_column(Text, nullable=False)
    name_en: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    created_by: Mapped[str] = mapped_column(Text, nullable=False)
    notice_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("calendar_notices.id", ondelete="RESTRICT"), index=True
    )
    entry: Mapped[str | None] = mapped_column(Text)
    swap_with: Mapped[dt.date | None] = mapped_column(Date)


class CalendarYear(Base):
    """Whether a year's Tết / 2-9 / swap schedule is decided; undecided years are provisional."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    provisional: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)


class CalendarRevision(Base):
    """One row: bumped by triggers on every calendar change, then NOTIFY calendar_changed."""

    __tablename__ = "calendar_revision"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
