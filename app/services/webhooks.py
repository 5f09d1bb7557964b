"""Webhook subscriptions: the use cases behind /v1/webhooks. Each write is one transaction,
audited, committed here. A caller sees and changes its own subscriptions (the owner is its API
key); an admin key sees and changes all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import WebhookDelivery, WebhookSubscription
from app.db.repositories import audit, feed
from app.db.repositories import webhooks as repo
from app.domain.errors import DomainError, NotFound
from app.domain.webhooks import signing
from app.domain.webhooks.events import PING
from app.domain.webhooks.receivers import check_url

ENTITY = "webhook"


@dataclass(frozen=True)
class Caller:
    """Who asks: `owner` is the API key's actor; an admin sees every owner's subscriptions."""

    owner: str
    admin: bool

    @property
    def sees(self) -> str | None:
        return None if self.admin else self.owner


@dataclass(frozen=True)
class Draft:
    url: str
    event_types: list[str]
    profile: str | None
    office: str | None
    decision_id: int | None
    description: str
    max_batch: int
    enabled: bool
    start_after: int | None


def _public(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of a change: everything but secrets and worker state."""
    return {k: v for k, v in values.items() if "secret" not in k}


async def _found(
    session: AsyncSession, caller: Caller, sub_id: int, *, lock: bool = False
) -> WebhookSubscription:
    row = await repo.get(session, sub_id, caller.sees, lock=lock)
    if row is None:
        raise NotFound(f"webhook {sub_id} does not exist (or belongs to another key)")
    return row


async def create(
    session: AsyncSession, caller: Caller, draft: Draft, allowed_hosts: frozenset[str]
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (shown this once). It starts after `start_after`,
    a feed cursor, or after the feed's last event: "from now"."""
    check_url(draft.url, allowed_hosts)
    last = await feed.last_id(session)
    if draft.start_after is not None and draft.start_after > last:
        raise DomainError(
            f"start_after {draft.start_after} is beyond the feed's last change ({last})",
            field="start_after",
        )
    secret = signing.new_secret()
    values: dict[str, Any] = {
        "owner": caller.owner,
        "url": draft.url,
        "event_types": sorted(set(draft.event_types)),
        "profile": draft.profile,
        "office": draft.office,
        "decision_id": draft.decision_id,
        "description": draft.description,
        "max_batch": draft.max_batch,
        "enabled": draft.enabled,
        "secret": secret,
        "cursor": last if draft.start_after is None else draft.start_after,
    }
    row = await repo.add(session, values)
    await audit.record(
        session,
        actor=caller.owner,
        action="create",
        entity=ENTITY,
        entity_id=str(row.id),
        detail=_public(values),
    )
    await session.commit()
    return row, secret


async def get(session: AsyncSession, caller: Caller, sub_id: int) -> WebhookSubscription:
    return await _found(session, caller, sub_id)


async def page(
    session: AsyncSession, caller: Caller, after_id: int, limit: int
) -> list[WebhookSubscription]:
    return await repo.page(session, caller.sees, after_id, limit)


async def update(
    session: AsyncSession,
    caller: Caller,
    sub_id: int,
    changes: dict[str, Any],
    allowed_hosts: frozenset[str],
) -> WebhookSubscription:
    """Change some fields. Enabling a failing or disabled subscription clears its failure and
    resumes delivery after its cursor at once."""
    row = await _found(session, caller, sub_id, lock=True)
    if "url" in changes:
        check_url(changes["url"], allowed_hosts)
    if "event_types" in changes:
        changes["event_types"] = sorted(set(changes["event_types"]))
    asked = dict(changes)
    if changes.get("enabled") is True and not row.enabled:
        changes |= {"failing_since": None, "next_attempt_at": dt.datetime.now(dt.UTC)}
    updated = await repo.change(session, sub_id, changes) if changes else row
    await audit.record(
        session,
        actor=caller.owner,
        action="update",
        entity=ENTITY,
        entity_id=str(sub_id),
        detail=_public(asked),
    )
    await session.commit()
    return updated


async def delete(session: AsyncSession, caller: Caller, sub_id: int) -> None:
    await _found(session, caller, sub_id, lock=True)
    await repo.remove(session, sub_id)
    await audit.record(
        session, actor=caller.owner, action="delete", entity=ENTITY, entity_id=str(sub_id)
    )
    await session.commit()


async def rotate_secret(
    session: AsyncSession, caller: Caller, sub_id: int, overlap: dt.timedelta
) -> tuple[WebhookSubscription, str]:
    """A new secret (shown this once); the old one keeps signing beside it for `overlap`, so
    receivers can switch without dropping a message."""
    row = await _found(session, caller, sub_id, lock=True)
    secret = signing.new_secret()
    updated = await repo.change(
        session,
        sub_id,
        {
            "secret": secret,
            "previous_secret": row.secret if overlap.total_seconds() > 0 else None,
            "previous_secret_expires_at": dt.datetime.now(dt.UTC) + overlap
            if overlap.total_seconds() > 0
            else None,
        },
    )
    await audit.record(
        session,
        actor=caller.owner,
        action="rotate_secret",
        entity=ENTITY,
        entity_id=str(sub_id),
        detail={"overlap_seconds": overlap.total_seconds()},
    )
    await session.commit()
    return updated, secret


async def deliveries(
    session: AsyncSession, caller: Caller, sub_id: int, before_id: int | None, limit: int
) -> list[WebhookDelivery]:
    await _found(session, caller, sub_id)
    return await repo.deliveries(session, sub_id, before_id, limit)


async def redeliver(
    session: AsyncSession, caller: Caller, sub_id: int, delivery_id: int
) -> WebhookDelivery:
    """Queue the message of a past delivery again, once, with its webhook-id unchanged (the
    receiver may de-duplicate). It goes out beside the in-order stream, not within it."""
    await _found(session, caller, sub_id)
    past = await repo.delivery(session, sub_id, delivery_id)
    if past is None:
        raise NotFound(f"webhook {sub_id} has no delivery {delivery_id}")
    if past.kind == "ping" or past.event_id is None:
        return await ping(session, caller, sub_id)
    row = await repo.queue(
        session,
        sub_id,
        kind="redelivery",
        event_id=past.event_id,
        last_event_id=past.last_event_id,
        event_type=past.event_type,
        message_id=past.message_id,
    )
    await session.commit()
    return row


async def ping(session: AsyncSession, caller: Caller, sub_id: int) -> WebhookDelivery:
    """Queue a `webhook.ping` message (even to a disabled subscription: it is how one checks a
    receiver before enabling it again)."""
    await _found(session, caller, sub_id)
    row = await repo.queue(
        session,
        sub_id,
        kind="ping",
        event_id=None,
        last_event_id=None,
        event_type=PING,
        message_id=None,
    )
    await session.commit()
    return row
