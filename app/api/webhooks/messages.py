"""The messages receivers get, declared as OpenAPI `webhooks` so client generators and readers
see their shape and headers. Nothing is served here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header

from app.jobs.webhook_message import WebhookMessage

messages = APIRouter(tags=["webhooks"])

_HEADERS = {
    "webhook_id": Header(
        alias="webhook-id",
        description="`msg_<webhook>_<change id>` (a batch: `…_<first>-<last>`): the same on "
        "every retry and redelivery; de-duplicate on it.",
    ),
    "webhook_timestamp": Header(
        alias="webhook-timestamp",
        description="Seconds since the epoch, when this attempt was sent.",
    ),
    "webhook_signature": Header(
        alias="webhook-signature",
        description="Space-separated `v1,<base64 HMAC-SHA256>` of `{webhook-id}."
        "{webhook-timestamp}.{body}` keyed with the secret's bytes; two entries while a rotated "
        "secret overlaps the new one.",
    ),
}


@messages.post(
    "change",
    operation_id="webhooks.message",
    summary="A change, a batch of changes, or a ping, POSTed to your URL (answer 2xx)",
    description="Standard Webhooks. `type` is the event type with `data` the change as "
    "GET /v1/changes serves it; `batch` (subscriptions with `max_batch` > 1) with "
    "`data.events`; or `webhook.ping`. Any answer but a 2xx within the timeout is retried.",
    status_code=204,
)
def change_message(
    body: Annotated[WebhookMessage, Body()],
    webhook_id: Annotated[str, _HEADERS["webhook_id"]],
    webhook_timestamp: Annotated[int, _HEADERS["webhook_timestamp"]],
    webhook_signature: Annotated[str, _HEADERS["webhook_signature"]],
) -> None:
    """Documentation only."""
