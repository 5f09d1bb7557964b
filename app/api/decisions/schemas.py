"""Request and response bodies of publication decisions and their obligations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.api.wire.citation import Citation
from app.api.wire.dates import UtcDateTime
from app.api.wire.page import Page
from app.api.wire.text import NonBlank
from app.api.wire.trace import TraceStep, stored_step
from app.domain.deadlines import AnchorEvent, Roll, Shape
from app.domain.errors import DomainError
from app.domain.levels import DECISION_LEVELS, Level
from app.domain.obligations import ObligationStatus

PROCEDURE_CODE = r"^[0-9]\.[0-9]{6}$"
# "467/QĐ-UBND", "1234/QĐ-BTP", "08/2024/QĐ-UBND": a number, then the document's symbol.
DECISION_NUMBER = r"^[0-9]+(/[0-9]{4})?/\S+$"

ProcedureCode = Annotated[
    str,
    Field(
        pattern=PROCEDURE_CODE,
        description="National procedure code: a digit, a dot, six digits.",
        examples=["1.001234"],
    ),
]


class DecisionKind(StrEnum):
    NEW = "new"  # công bố TTHC mới ban hành
    AMENDED = "amended"  # sửa đổi, bổ sung
    REPLACED = "replaced"  # thay thế
    ABOLISHED = "abolished"  # bãi bỏ
    LIST = "list"  # công bố Danh mục TTHC
    INTERNAL = "internal"  # TTHC nội bộ


class ProcedureAction(StrEnum):
    NEW = "new"
    AMENDED = "amended"
    REPLACED = "replaced"
    ABOLISHED = "abolished"


_DEFAULT_ACTION = {
    DecisionKind.NEW: ProcedureAction.NEW,
    DecisionKind.AMENDED: ProcedureAction.AMENDED,
    DecisionKind.REPLACED: ProcedureAction.REPLACED,
    DecisionKind.ABOLISHED: ProcedureAction.ABOLISHED,
    DecisionKind.LIST: ProcedureAction.NEW,
    DecisionKind.INTERNAL: ProcedureAction.NEW,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PublishedProcedureIn(_Strict):
    code: ProcedureCode
    name: NonBlank = Field(min_length=1, max_length=1000)
    action: ProcedureAction | None = Field(
        default=None,
        description="What the decision does to it; by default what the decision's kind says "
        "(list and internal: new).",
    )


class DecisionIn(_Strict):
    number: str = Field(
        min_length=3, max_length=100, pattern=DECISION_NUMBER, examples=["467/QĐ-UBND"]
    )
    issuer: NonBlank = Field(min_length=1, max_length=300, examples=["UBND tỉnh Quảng Nam"])
    level: Level = Field(
        description="national (a minister's decision) or province (a provincial chairman's); "
        "`ministry` is read as national."
    )
    shortened: bool = Field(
        default=False,
        description="The procedures come from a legal document made under the shortened "
        "procedure (ND 63/2010 Art. 24(2): 2 working days for the national database).",
    )
    profile: str = Field(min_length=1, max_length=100, examples=["quang-nam-2024"])
    kind: DecisionKind
    title: str | None = Field(default=None, max_length=2000)
    signed_on: dt.date
    effective_on: dt.date
    ministry_list_signed_on: dt.date | None = Field(
        default=None, description="When the minister signed the list this decision derives from."
    )
    note: str | None = Field(default=None, max_length=4000)
    procedures: list[PublishedProcedureIn] = Field(min_length=1, max_length=2000)

    @field_validator("level")
    @classmethod
    def _decision_level(cls, value: Level) -> Level:
        if value not in DECISION_LEVELS:
            raise ValueError("a publication decision is issued at national or province level")
        return value

    @field_validator("number", "issuer")
    @classmethod
    def _squeeze(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("procedures")
    @classmethod
    def _distinct(cls, items: list[PublishedProcedureIn]) -> list[PublishedProcedureIn]:
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                raise ValueError(f"procedure {item.code} is listed twice")
            seen.add(item.code)
        return items

    def actions(self) -> list[tuple[str, str, str]]:
        """(code, name, action), the action defaulted from the kind; an abolishing decision
        abolishes every procedure it lists."""
        default = _DEFAULT_ACTION[self.kind]
        found = []
        for i, item in enumerate(self.procedures):
            action = item.action or default
            if self.kind is DecisionKind.ABOLISHED and action is not ProcedureAction.ABOLISHED:
                raise DomainError(
                    "an abolishing decision abolishes every procedure it lists",
                    field=f"procedures[{i}].action",
                )
            found.append((item.code, item.name, action.value))
        return found


class DecisionPatch(_Strict):
    """Corrections; absent fields stay as they are. Level, profile and kind cannot change:
    delete the decision and record it again."""

    number: str | None = Field(default=None, min_length=3, max_length=100, pattern=DECISION_NUMBER)
    issuer: NonBlank | None = Field(default=None, min_length=1, max_length=300)
    title: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=4000)
    signed_on: dt.date | None = None
    effective_on: dt.date | None = None
    ministry_list_signed_on: dt.date | None = None

    def changes(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True)
        for required in ("number", "issuer", "signed_on", "effective_on"):
            if required in given and given[required] is None:
                raise DomainError(f"{required} cannot be removed", field=required)
        for name in ("number", "issuer"):
            if name in given:
                given[name] = " ".join(given[name].split())
        return given


class CompleteIn(_Strict):
    completed_on: dt.date = Field(description="The day the duty was done (not in the future).")
    evidence: str | None = Field(
        default=None,
        max_length=4000,
        description="What shows it: a document number, a link, a note.",
    )


class WaiveIn(_Strict):
    reason: str = Field(min_length=3, max_length=4000)


class ChangeOut(BaseModel):
    reason: str
    old_due_date: dt.date | None
    new_due_date: dt.date | None
    old_calendar_revision: int
    new_calendar_revision: int
    actor: str
    at: UtcDateTime
    detail: dict[str, Any]


class ObligationTrace(BaseModel):
    """How an obligation's due date was computed (the rule's shape and anchor, each step), or
    what it waits for."""

    shape: Shape | None = Field(default=None, description="null while the duty waits.")
    anchor: dt.date | None = None
    anchor_event: AnchorEvent | None = None
    roll: Roll | None = None
    calendar_revision: int | None = None
    provisional: bool | None = None
    waiting_for: str | None = Field(default=None, description="The duty it waits for, if any.")
    notes: list[str] = Field(default_factory=list)
    steps: list[TraceStep]

    @classmethod
    def of(cls, stored: dict[str, Any]) -> ObligationTrace:
        """The trace as kept with the obligation (app/services/obligation_trace.py); rows
        kept before the one trace shape read the same (app/api/wire/trace.py)."""
        return cls(
            shape=stored.get("shape"),
            anchor=stored.get("anchor"),
            anchor_event=stored.get("anchor_event"),
            roll=stored.get("roll"),
            calendar_revision=stored.get("calendar_revision"),
            provisional=stored.get("provisional"),
            waiting_for=stored.get("waiting_for"),
            notes=stored.get("notes", []),
            steps=[stored_step(step) for step in stored.get("steps", [])],
        )


class ObligationOut(BaseModel):
    id: int
    decision_id: int
    profile: str
    rule: str
    title_vi: str
    title_en: str
    chain_from: str | None = Field(description="The rule whose completion this one counts from.")
    due_date: dt.date | None
    status: ObligationStatus = Field(description="As of `as_of`.")
    as_of: dt.date
    projected: bool = Field(
        description="The due date counts from the projected due date of the duty it follows, "
        "not yet completed; it becomes real when that one is completed."
    )
    waiting_for: str | None
    flags: list[str]
    provisional: bool
    citation: Citation = Field(description="The rule's source and its confidence.")
    completed_on: dt.date | None
    evidence: str | None
    waived_reason: str | None
    calendar_revision: int
    catalog_revision: int
    profile_version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
    trace: ObligationTrace | None = Field(
        default=None, description="How the due date was computed (left out of lists)."
    )
    changes: list[ChangeOut] | None = Field(
        default=None, description="Every move of the due date (on the single obligation)."
    )


class ObligationPage(Page[ObligationOut]):
    as_of: dt.date


class PublishedProcedureOut(BaseModel):
    code: str
    name: str
    action: ProcedureAction


class DecisionStatus(StrEnum):
    OPEN = "open"  # some obligation is open, none overdue
    OVERDUE = "overdue"  # some open obligation is past its due date
    CLOSED = "closed"  # every obligation completed or waived


class _DecisionBase(BaseModel):
    id: int
    number: str
    issuer: str
    level: Level
    shortened: bool
    profile: str
    kind: DecisionKind
    title: str | None
    signed_on: dt.date
    effective_on: dt.date
    ministry_list_signed_on: dt.date | None
    note: str | None
    status: DecisionStatus = Field(description="As of `as_of`.")
    as_of: dt.date
    catalog_revision: int
    profile_version: int
    version: int = Field(description="Also the ETag; send it as If-Match to PATCH or DELETE.")
    created_by: str
    created_at: UtcDateTime
    updated_at: UtcDateTime


def decision_status(statuses: dict[str, int]) -> DecisionStatus:
    if statuses.get(ObligationStatus.OVERDUE.value):
        return DecisionStatus.OVERDUE
    if statuses.get(ObligationStatus.PENDING.value):
        return DecisionStatus.OPEN
    return DecisionStatus.CLOSED


class DecisionOut(_DecisionBase):
    procedures: list[PublishedProcedureOut]
    obligations: list[ObligationOut]


class DecisionSummary(_DecisionBase):
    obligations: dict[str, int] = Field(description="How many obligations per status.")


class DecisionPage(Page[DecisionSummary]):
    pass
