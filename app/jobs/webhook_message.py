"""What a receiver gets: the Standard Webhooks envelope `{type, timestamp, data}` whose
`data` is the change exactly as GET /v1/changes serves it. One event per request: the
receiver's 2xx acknowledges exactly one event, which keeps retries and order simple."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, field_serializer

from app.db.repositories.webhooks import FeedEvent


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class ChangeData(BaseModel):
    id: int = Field(description="The change's cursor in GET /v1/changes.")
    type: str
    entity: str
    entity_id: str
    payload: dict[str, Any]
    at: dt.datetime

    @field_serializer("at")
    def _at(self, value: dt.datetime) -> str:
        return utc(value)


class WebhookMessage(BaseModel):
    type: str = Field(description="The event type (or `webhook.ping` for a test ping).")
    timestamp: dt.datetime = Field(description="When the change was committed (UTC).")
    data: ChangeData | dict[str, Any]

    @field_serializer("timestamp")
    def _timestamp(self, value: dt.datetime) -> str:
        return utc(value)


def event_body(event: FeedEvent) -> bytes:
    data = ChangeData(
        id=event.id,
        type=event.type,
        entity=event.entity,
        entity_id=event.entity_id,
        payload=event.payload,
        at=event.at,
    )
    return WebhookMessage(type=event.type, timestamp=event.at, data=data).model_dump_json().encode()


def ping_body(subscription_id: int, at: dt.datetime) -> bytes:
    message = WebhookMessage(
        type="webhook.ping", timestamp=at, data={"subscription_id": subscription_id}
    )
    return message.model_dump_json().encode()
