"""The wire shapes of /v1/webhooks."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from app.api.kit import cursor as pager
from app.api.kit.problems import ApiProblem
from app.api.wire.dates import UtcDateTime
from app.api.wire.page import Page
from app.domain.webhooks.events import EventType
from app.domain.webhooks.receivers import MAX_URL_LENGTH


class SubscriptionRecord(Protocol):
    """What a stored subscription offers (the schemas do not import the ORM)."""

    id: int
    url: str
    event_types: list[str]
    profile: str | None
    office: str | None
    decision_id: int | None
    description: str
    max_batch: int
    enabled: bool
    cursor: int
    owner: str
    failing_since: dt.datetime | None
    previous_secret_expires_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


def _feed_cursor(value: object) -> object:
    return pager.feed_id(value) if isinstance(value, str) else value


FeedCursorIn = Annotated[
    int,
    BeforeValidator(_feed_cursor),
    Field(ge=0, le=2**63 - 1),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": pager.MAX_CURSOR},
                {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
            ],
            "examples": ["WzEsImNoYW5nZXMiLDEyXQ", 12],
        }
    ),
]
"""A position in GET /v1/changes as a client gives it: a feed cursor, or a change's id."""


class Filters(BaseModel):
    """Deliver only events about this profile, office or decision (all given must match;
    an event that does not carry the attribute does not match). An obligation's profile is
    its decision's."""

    model_config = ConfigDict(extra="forbid")

    profile: str | None = Field(default=None, max_length=100, examples=["quang-nam"])
    office: str | None = Field(default=None, max_length=200)
    decision_id: int | None = Field(default=None, ge=1, le=2**63 - 1)


Url = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        description="https (http only to hosts the operator allows); redirects are not followed.",
        examples=["https://erp.example.vn/hooks/deadlines"],
    ),
]
EventTypes = Annotated[
    list[EventType],
    Field(min_length=1, max_length=len(EventType), description="The event types to deliver."),
]


MaxBatch = Annotated[
    int,
    Field(
        ge=1,
        le=100,
        description="1: one event per request (`type` is the event type). More: every "
        "request is a batch (`type` `batch`, `data.events`) of up to this many events, in "
        "feed order: for receivers far away or busy feeds, since a subscription's messages "
        "go one at a time to keep their order.",
    ),
]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    event_types: EventTypes
    filters: Filters = Field(default_factory=Filters)
    description: str = Field(default="", max_length=500)
    max_batch: MaxBatch = 1
    enabled: bool = True
    start_after: FeedCursorIn | None = Field(
        default=None,
        description="Deliver the changes after this cursor of GET /v1/changes (its "
        "`next_cursor`, or a change's integer id); omitted: only changes from now on.",
    )


class WebhookPatch(BaseModel):
    """Only the fields sent change. `enabled: true` on a failing subscription clears the
    failure and resumes after its cursor."""

    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    event_types: EventTypes | None = None
    filters: Filters | None = None
    description: str | None = Field(default=None, max_length=500)
    max_batch: MaxBatch | None = None
    enabled: bool | None = None


Status = Literal["active", "disabled", "failing"]


class WebhookOut(BaseModel):
    id: int
    url: str
    event_types: list[EventType]
    filters: Filters
    description: str
    max_batch: MaxBatch
    enabled: bool
    status: Status = Field(
        description="`failing`: a message went undelivered for the whole retry period, "
        "so delivery stopped; enable the subscription to resume where it stopped."
    )
    cursor: str = Field(
        description="Where delivery stands in GET /v1/changes: the cursor after the last change "
        "delivered or skipped as not matching (pass it as `cursor` to read what follows)."
    )
    owner: str
    failing_since: UtcDateTime | None
    previous_secret_expires_at: UtcDateTime | None = Field(
        description="Until then, messages carry a second signature with the previous secret."
    )
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @classmethod
    def of(cls, row: SubscriptionRecord) -> WebhookOut:
        now = dt.datetime.now(dt.UTC)
        expires = row.previous_secret_expires_at
        return cls(
            id=row.id,
            url=row.url,
            event_types=[EventType(t) for t in row.event_types],
            filters=Filters(profile=row.profile, office=row.office, decision_id=row.decision_id),
            description=row.description,
            max_batch=row.max_batch,
            enabled=row.enabled,
            status="active" if row.enabled else "failing" if row.failing_since else "disabled",
            cursor=pager.encode(pager.FEED, row.cursor),
            owner=row.owner,
            failing_since=row.failing_since,
            previous_secret_expires_at=expires if expires is not None and expires > now else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


Secret = Annotated[
    str,
    Field(
        description="`whsec_` + base64 of the key bytes; shown only in this response.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ),
]


class WebhookCreated(WebhookOut):
    secret: Secret


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overlap_seconds: int = Field(
        default=86400,
        ge=0,
        le=7 * 86400,
        description="How long the previous secret keeps signing beside the new one.",
    )


class SecretOut(BaseModel):
    secret: Secret
    previous_secret_expires_at: UtcDateTime | None


class DeliveryOut(BaseModel):
    id: int
    kind: Literal["feed", "redelivery", "ping"]
    event_id: int | None = Field(description="The change's id in GET /v1/changes.")
    last_event_id: int | None = Field(description="A batch's last change (else `event_id`).")
    event_type: str
    message_id: str = Field(description="The `webhook-id` header: the same on every attempt.")
    status: Literal["pending", "retrying", "delivered", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    latency_ms: float | None
    first_attempt_at: UtcDateTime | None
    last_attempt_at: UtcDateTime | None
    next_attempt_at: UtcDateTime | None
    created_at: UtcDateTime

    @classmethod
    def of(cls, row: object) -> DeliveryOut:
        return cls.model_validate(row, from_attributes=True)


class WebhookPage(Page[WebhookOut]):
    pass


class DeliveryPage(Page[DeliveryOut]):
    pass


def page_key(cursor: str, kind: str) -> int:
    """The id a `next_cursor` of these lists carries; the `w<id>` cursors issued before the
    common codec still decode."""
    try:
        return int(pager.decode(cursor, kind, (int,))[0])
    except ApiProblem:
        try:
            raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        except (ValueError, UnicodeError):
            raise pager.invalid() from None
        if raw[:1] != "w" or not raw[1:].isdigit() or len(raw) > 20:
            raise pager.invalid() from None
        return int(raw[1:])
