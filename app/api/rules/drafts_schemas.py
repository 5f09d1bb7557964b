"""Request and response bodies of profile drafts: a plan's text in, a draft profile out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.api.wire.dates import UtcDateTime
from app.api.wire.page import Page
from app.domain.deadlines import Level
from app.domain.plans.profile import PlanHeader
from app.services.catalog_admin import MAX_CODE, PROFILE_CODE

# A year's plan is tens of kilobytes (the largest of the five source plans is 44 kB); seven
# times that is still a plan (a few seconds to read, off the event loop), more is a paste gone
# wrong.
MAX_PLAN_CHARS = 300_000
# bytes: the text JSON-escaped (\uXXXX, 6 bytes a character) at worst, and the header. The body
# gate (app/main.py) lets this route's bodies through up to this size, not the service-wide one.
MAX_DRAFT_BODY = 6 * MAX_PLAN_CHARS + 64 * 1024

_PLAN_EXAMPLE = (
    "STT\tNội dung công việc\tCơ quan chủ trì\tThời gian thực hiện\n"
    "I\tCông bố, công khai TTHC\t\t\n"
    "1\tNiêm yết, công khai TTHC tại Bộ phận Một cửa\tVăn phòng UBND tỉnh\t"
    "Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố\n"
    "2\tKế hoạch kiểm tra\tVăn phòng UBND tỉnh\tQuý I/2025\n"
)


class PlanHeaderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        max_length=MAX_CODE,
        pattern=PROFILE_CODE.pattern,
        description="The profile's code; its rules are coded '<code>.<row number>'.",
        examples=["quang-nam-2025"],
    )
    issuer: str = Field(min_length=1, max_length=300, examples=["UBND tỉnh Quảng Nam"])
    level: Level = Field(description="Administrative level of the issuer.")
    year: int = Field(ge=2000, le=2100, description="The plan's year ('Trong năm', dd/mm).")
    document: str | None = Field(None, max_length=100, examples=["35/QĐ-UBND"])
    signed: dt.date | None = Field(None, description="The plan's signing day (its start).")
    title: str | None = Field(None, max_length=500)
    name_vi: str | None = Field(None, max_length=300)
    jurisdiction: str | None = Field(None, max_length=300)
    extends: str | None = Field("national", max_length=MAX_CODE)

    def domain(self) -> PlanHeader:
        return PlanHeader(
            code=self.code,
            issuer=self.issuer,
            level=self.level,
            year=self.year,
            document=self.document,
            signed=self.signed,
            title=self.title,
            name_vi=self.name_vi,
            jurisdiction=self.jurisdiction,
            extends=self.extends,
        )


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=MAX_PLAN_CHARS,
        description="The plan as pasted: its table (tab- or pipe-separated, the header row "
        "with a 'Thời gian thực hiện' column included) or the document's plain text.",
        examples=[_PLAN_EXAMPLE],
    )
    profile: PlanHeaderIn


class DraftEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: dict[str, Any] = Field(
        description="The draft's profile document (as GET returns it), edited."
    )
    revision: int | None = Field(
        None, description="The revision edited; a stale one is a 409. Omit to overwrite."
    )


class SummaryOut(BaseModel):
    rows: int = Field(description="Rows read (a note column read as a deadline counts too).")
    parsed: int = Field(description="Rows read with no choice to make.")
    interpreted: int = Field(description="Rows read with a stated interpretation.")
    not_understood: int = Field(description="Rows that gave no rule.")
    rules: int = Field(description="Rules in the draft's document.")


class RowOut(BaseModel):
    line: int = Field(description="The line of the pasted text the row starts on.")
    number: str = Field(description="The row's number in the plan, e.g. 'II.3'.")
    task: str
    phrase: str = Field(description="The deadline phrase, verbatim (lines joined).")
    column: str = Field(description="'time', or 'notes' when read from a notes column.")
    reading: str = Field(description="parsed, interpreted or not_understood.")
    interpretations: list[str]
    unread: str | None = Field(description="Not understood: the part that could not be read.")
    rules: list[str] = Field(description="Codes of the rules drawn from the phrase.")
    alternatives: bool = Field(description="The rules are alternatives ('hoặc').")
    needs_anchor: list[str] = Field(
        description="Events the phrase names that map to no anchor the engine knows."
    )


class DraftBrief(BaseModel):
    id: int
    profile: str
    status: str = Field(description="draft, or published")
    revision: int
    summary: SummaryOut
    published_version: int | None
    created_by: str
    created_at: UtcDateTime
    updated_by: str
    updated_at: UtcDateTime


class DraftOut(DraftBrief):
    rows: list[RowOut] = Field(description="How each row of the plan was read.")
    document: dict[str, Any] = Field(
        description="The draft profile document, in the form POST /v1/profiles accepts."
    )


class DraftPage(Page[DraftBrief]):
    pass
