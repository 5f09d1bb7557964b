"""What a receiver gets: the Standard Webhooks envelope `{type, timestamp, data}`.

By default one event per request: `type` is the event type and `data` the change exactly as
GET /v1/changes serves it. A subscription with `max_batch` > 1 always gets batches instead:
`type` is `batch` and `data.events` lists up to `max_batch` changes in feed order (fewer when
fewer are waiting). A receiver's 2xx acknowledges the whole message; order holds either way.
Batches exist because order forbids sending a subscription's messages in parallel: one at a
time, a receiver 100 ms away takes at most ten messages a second."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, field_serializer

from app.db.repositories.webhooks import FeedEvent


def utc(moment: dt.datetime) -> str:
    """UTC with `Z` and microseconds, as the API writes every record timestamp
    (app/api/wire/dates.py): a message's `data` is the change exactly as GET /v1/changes
    serves it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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


class BatchData(BaseModel):
    events: list[ChangeData]


class WebhookMessage(BaseModel):
    type: str = Field(description="The event type, `batch`, or `webhook.ping`.")
    timestamp: dt.datetime = Field(description="When the (last) change was committed (UTC).")
    data: ChangeData | BatchData | dict[str, Any]

    @field_serializer("timestamp")
    def _timestamp(self, value: dt.datetime) -> str:
        return utc(value)


def _change(event: FeedEvent) -> ChangeData:
    return ChangeData(
        id=event.id,
        type=event.type,
        entity=event.entity,
        entity_id=event.entity_id,
        payload=event.payload,
        at=event.at,
    )


def event_body(event: FeedEvent) -> bytes:
    message = WebhookMessage(type=event.type, timestamp=event.at, data=_change(event))
    return message.model_dump_json().encode()


def batch_body(events: list[FeedEvent]) -> bytes:
    data = BatchData(events=[_change(e) for e in events])
    return (
        WebhookMessage(type="batch", timestamp=events[-1].at, data=data).model_dump_json().encode()
    )


def body_of(events: list[FeedEvent], batched: bool) -> bytes:
    return batch_body(events) if batched else event_body(events[0])


def ping_body(subscription_id: int, at: dt.datetime) -> bytes:
    message = WebhookMessage(
        type="webhook.ping", timestamp=at, data={"subscription_id": subscription_id}
    )
    return message.model_dump_json().encode()
