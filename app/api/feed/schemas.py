from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class Change(BaseModel):
    id: int = Field(description="The cursor of this change; pass it as `after` to resume.")
    type: str = Field(description="e.g. decision.created, obligation.overdue, dossier.event")
    entity: str
    entity_id: str
    payload: dict[str, Any]
    at: dt.datetime


class Changes(BaseModel):
    items: list[Change]
    next_cursor: int = Field(description="Pass as `after` for the next page (same when empty).")


class ScanResult(BaseModel):
    as_of: dt.datetime
    changed: dict[str, int]
