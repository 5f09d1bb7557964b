from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from app.api.wire.dates import UtcDateTime
from app.api.wire.page import Page
from app.domain.webhooks.events import EventType


class Change(BaseModel):
    id: int = Field(
        description="The change's id, increasing; also accepted as `cursor` to resume after it."
    )
    type: EventType = Field(description="What happened; every type is listed.")
    entity: str
    entity_id: str
    payload: dict[str, Any]
    at: UtcDateTime


class Changes(Page[Change]):
    next_cursor: str = Field(
        description="Opaque: pass it as `cursor` for the next page. Never null: with no new "
        "change it is a cursor at the same position, to poll again from."
    )


class ScanResult(BaseModel):
    as_of: dt.datetime
    changed: dict[str, int]
