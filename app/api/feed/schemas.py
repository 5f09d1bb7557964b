from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from app.api.wire.dates import UtcDateTime
from app.domain.webhooks.events import EventType


class Change(BaseModel):
    id: int = Field(description="The cursor of this change; pass it as `after` to resume.")
    type: EventType = Field(description="What happened; every type is listed.")
    entity: str
    entity_id: str
    payload: dict[str, Any]
    at: UtcDateTime


class Changes(BaseModel):
    items: list[Change]
    next_cursor: int = Field(description="Pass as `after` for the next page (same when empty).")


class ScanResult(BaseModel):
    as_of: dt.datetime
    changed: dict[str, int]
