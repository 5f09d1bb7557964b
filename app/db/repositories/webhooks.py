"""Webhook subscriptions and deliveries: what the API reads and writes, and the delivery
worker's claims. A subscription is worked by one worker at a time: it is claimed with FOR
UPDATE SKIP LOCKED and leased (lease_owner, lease_until); every write the worker makes is
guarded by its lease, so a worker that lost its lease can change nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Event, WebhookDelivery, WebhookSubscription

# -- the API -------------------------------------------------------------------------------


async def add(session: AsyncSession, values: dict[str, Any]) -> WebhookSubscription:
    row = WebhookSubscription(**values)
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def get(
    session: AsyncSession, sub_id: int, owner: str | None, *, lock: bool = False
) -> WebhookSubscription | None:
    """The subscription, if `owner` may see it (None: an admin sees all); `lock` to change it."""
    query = select(WebhookSubscription).where(WebhookSubscription.id == sub_id)
    if owner is not None:
        query = query.where(WebhookSubscription.owner == owner)
    return await session.scalar(query.with_for_update() if lock else query)


async def page(
    session: AsyncSession, owner: str | None, after_id: int, limit: int
) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).where(WebhookSubscription.id > after_id)
    if owner is not None:
        query = query.where(WebhookSubscription.owner == owner)
    return list(await session.scalars(query.order_by(WebhookSubscription.id).limit(limit)))


async def change(session: AsyncSession, sub_id: int, values: dict[str, Any]) -> WebhookSubscription:
    row = await session.scalar(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == sub_id)
        .values(**values, updated_at=text("now()"))
        .returning(WebhookSubscription)
        .execution_options(populate_existing=True)
    )
    assert row is not None  # the caller holds the row lock
    return row


async def remove(session: AsyncSession, sub_id: int) -> None:
    await session.execute(delete(WebhookSubscription).where(WebhookSubscription.id == sub_id))


async def deliveries(
    session: AsyncSession, sub_id: int, before_id: int | None, limit: int
) -> list[WebhookDelivery]:
    """Newest first: the log answers "what happened lately"."""
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub_id)
    if before_id is not None:
        query = query.where(WebhookDelivery.id < before_id)
    return list(await session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)))


async def delivery(session: AsyncSession, sub_id: int, delivery_id: int) -> WebhookDelivery | None:
    return await session.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.subscription_id == sub_id
        )
    )


async def queue(
    session: AsyncSession,
    sub_id: int,
    *,
    kind: str,
    event_id: int | None,
    last_event_id: int | None,
    event_type: str,
    message_id: str | None,
) -> WebhookDelivery:
    """Queue a redelivery or a ping; a ping's message id is its own delivery id."""
    row = WebhookDelivery(
        subscription_id=sub_id,
        kind=kind,
        event_id=event_id,
        last_event_id=last_event_id,
        event_type=event_type,
        message_id=message_id or "",
        status="pending",
        next_attempt_at=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    await session.flush()
    if message_id is None:
        row.message_id = f"msg_{sub_id}_ping_{row.id}"
        await session.flush()
    await session.refresh(row)
    return row


async def event(session: AsyncSession, event_id: int) -> Event | None:
    return await session.get(Event, event_id)


# -- the delivery worker --------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """A subscription as a worker holds it for one run."""

    id: int
    url: str
    enabled: bool
    cursor: int
    max_batch: int
    secrets: tuple[str, ...]  # the secrets that sign now: the current one first
    retrying_upto: int | None  # a failed batch is retried as it was: up to this event


_CLAIM = text(
    """
    WITH due AS (
        SELECT s.id FROM webhook_subscriptions s
         WHERE (s.lease_until IS NULL OR s.lease_until < now())
           AND ((s.enabled AND s.next_attempt_at <= now()
                 AND EXISTS (SELECT 1 FROM events e WHERE e.id > s.cursor))
                OR EXISTS (SELECT 1 FROM webhook_deliveries d
                            WHERE d.subscription_id = s.id AND d.kind <> 'feed'
                              AND d.status = 'pending'))
         ORDER BY s.next_attempt_at, s.id
         LIMIT :n
           FOR UPDATE SKIP LOCKED
    )
    UPDATE webhook_subscriptions s
       SET lease_owner = :me, lease_until = now() + make_interval(secs => :lease)
      FROM due
     WHERE s.id = due.id
    RETURNING s.id, s.url, s.enabled, s.cursor, s.max_batch, s.secret,
              CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret END,
              (SELECT d.last_event_id FROM webhook_deliveries d
                WHERE d.subscription_id = s.id AND d.kind = 'feed'
                  AND d.status IN ('retrying', 'failed')
                  AND d.event_id > s.cursor
                ORDER BY d.event_id LIMIT 1)
    """
)


async def anything_to_serve(session: AsyncSession) -> bool:
    """Whether a subscription is enabled or a ping or redelivery is queued: what a claim could
    ever find, whatever the feed holds."""
    found = await session.scalar(
        text(
            "SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE enabled)"
            " OR EXISTS (SELECT 1 FROM webhook_deliveries"
            "            WHERE kind <> 'feed' AND status = 'pending')"
        )
    )
    return bool(found)


async def claim(session: AsyncSession, me: str, lease: float, limit: int) -> list[Claimed]:
    rows = await session.execute(_CLAIM, {"n": limit, "me": me, "lease": lease})
    return [
        Claimed(r[0], r[1], r[2], r[3], r[4], (r[5],) if r[6] is None else (r[5], r[6]), r[7])
        for r in rows
    ]


async def renew(session: AsyncSession, sub_id: int, me: str, lease: float) -> bool:
    """Extend the lease; False when it was lost (expired and taken, or the row deleted)."""
    result = await session.execute(
        text(
            "UPDATE webhook_subscriptions SET lease_until = now() + make_interval(secs => :lease)"
            " WHERE id = :id AND lease_owner = :me RETURNING id"
        ),
        {"id": sub_id, "me": me, "lease": lease},
    )
    return result.first() is not None


async def release(session: AsyncSession, sub_id: int, me: str) -> None:
    await session.execute(
        text(
            "UPDATE webhook_subscriptions SET lease_owner = NULL, lease_until = NULL"
            " WHERE id = :id AND lease_owner = :me"
        ),
        {"id": sub_id, "me": me},
    )


async def queued(session: AsyncSession, sub_id: int, limit: int) -> list[WebhookDelivery]:
    return list(
        await session.scalars(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.subscription_id == sub_id,
                WebhookDelivery.kind != "feed",
                WebhookDelivery.status == "pending",
            )
            .order_by(WebhookDelivery.id)
            .limit(limit)
        )
    )


# The subscription's events after its cursor, in feed order, and the feed's last id seen by
# the same statement, hence the same snapshot (one row with no event when none match): when
# fewer than :n match, everything up to that id has been looked at and the cursor may move
# there (the feed hands out ids in commit order, so nothing can appear below it later; see
# app/db/repositories/feed.py). Reading the last id in a statement of its own would see
# events committed in between and skip them. Filters narrow: an event without the filtered
# attribute does not match. An obligation's profile is its decision's.
_NEXT = text(
    """
    SELECT h.high, m.id, m.type, m.entity, m.entity_id, m.payload, m.at
      FROM (SELECT coalesce(max(id), 0) AS high FROM events) h
      LEFT JOIN LATERAL (
        SELECT e.id, e.type, e.entity, e.entity_id, e.payload, e.at
          FROM webhook_subscriptions s
          JOIN events e ON e.id > coalesce(CAST(:after AS bigint), s.cursor)
         WHERE s.id = :id
           AND e.id <= coalesce(CAST(:upto AS bigint), e.id)
           AND e.type = ANY (s.event_types)
           AND (s.office IS NULL OR e.payload ->> 'office' = s.office)
           AND (s.decision_id IS NULL
                OR (e.entity = 'decision' AND e.entity_id = s.decision_id::text)
                OR e.payload ->> 'decision_id' = s.decision_id::text)
           AND (s.profile IS NULL
                OR e.payload ->> 'profile' = s.profile
                OR (e.entity = 'obligation' AND EXISTS (
                        SELECT 1 FROM decisions d
                         WHERE d.id::text = e.payload ->> 'decision_id'
                           AND d.profile_code = s.profile)))
         ORDER BY e.id
         LIMIT :n
      ) m ON true
     ORDER BY m.id
    """
)


@dataclass(frozen=True)
class FeedEvent:
    id: int
    type: str
    entity: str
    entity_id: str
    payload: dict[str, Any]
    at: dt.datetime


async def next_events(
    session: AsyncSession,
    sub_id: int,
    limit: int,
    *,
    after: int | None = None,
    upto: int | None = None,
) -> tuple[list[FeedEvent], int]:
    """Up to `limit` matching events after the cursor (or `after`), up to `upto` if given, and
    how far the feed was looked at."""
    params = {"id": sub_id, "n": limit, "after": after, "upto": upto}
    rows = (await session.execute(_NEXT, params)).all()
    high = int(rows[0][0])
    events = [FeedEvent(r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows if r[1] is not None]
    if len(events) == limit:
        return events, events[-1].id
    return events, high if upto is None else min(high, upto)


@dataclass(frozen=True)
class Attempted:
    """One attempt at one message: what the receiver said and how long it took."""

    event_id: int
    last_event_id: int  # the same as event_id unless the message is a batch
    event_type: str
    message_id: str
    status_code: int | None
    error: str | None
    latency_ms: float


_UPSERT_FEED = text(
    """
    INSERT INTO webhook_deliveries AS d
           (subscription_id, event_id, last_event_id, event_type, message_id, kind, status,
            attempts, last_status_code, last_error, latency_ms, first_attempt_at,
            last_attempt_at, next_attempt_at)
    SELECT :sub, a.event_id, a.last_event_id, a.event_type, a.message_id, 'feed', :status, 1,
           a.code, a.error, a.latency, now(), now(), :next
      FROM unnest(CAST(:events AS bigint[]), CAST(:lasts AS bigint[]), CAST(:types AS text[]),
                  CAST(:ids AS text[]), CAST(:codes AS int[]), CAST(:errors AS text[]),
                  CAST(:latencies AS float8[]))
           AS a(event_id, last_event_id, event_type, message_id, code, error, latency)
    ON CONFLICT (subscription_id, event_id) WHERE kind = 'feed' DO UPDATE
       SET status = EXCLUDED.status, attempts = d.attempts + 1,
           -- enabled again after giving up: a new retry period starts
           first_attempt_at = CASE WHEN d.status = 'failed' THEN now()
                                   ELSE d.first_attempt_at END,
           last_status_code = EXCLUDED.last_status_code, last_error = EXCLUDED.last_error,
           latency_ms = EXCLUDED.latency_ms, last_attempt_at = now(),
           next_attempt_at = EXCLUDED.next_attempt_at
    RETURNING d.attempts, d.first_attempt_at
    """
)


async def _upsert(
    session: AsyncSession,
    sub_id: int,
    status: str,
    attempted: list[Attempted],
    next_at: dt.datetime | None,
) -> list[tuple[int, dt.datetime]]:
    rows = await session.execute(
        _UPSERT_FEED,
        {
            "sub": sub_id,
            "status": status,
            "next": next_at,
            "events": [a.event_id for a in attempted],
            "lasts": [a.last_event_id for a in attempted],
            "types": [a.event_type for a in attempted],
            "ids": [a.message_id for a in attempted],
            "codes": [a.status_code for a in attempted],
            "errors": [a.error for a in attempted],
            "latencies": [a.latency_ms for a in attempted],
        },
    )
    return [(int(r[0]), r[1]) for r in rows]


async def delivered(
    session: AsyncSession,
    sub_id: int,
    me: str,
    lease: float,
    attempted: list[Attempted],
    cursor: int,
) -> bool:
    """Log delivered messages and move the cursor, if the lease still holds (else nothing)."""
    if not await renew(session, sub_id, me, lease):
        return False
    if attempted:
        await _upsert(session, sub_id, "delivered", attempted, None)
    await session.execute(
        text("UPDATE webhook_subscriptions SET cursor = :c WHERE id = :id AND cursor < :c"),
        {"id": sub_id, "c": cursor},
    )
    return True


async def failed(
    session: AsyncSession,
    sub_id: int,
    me: str,
    lease: float,
    attempt: Attempted,
    next_at: dt.datetime | None,
) -> tuple[int, dt.datetime] | None:
    """Log a failed attempt at the head of the stream; (attempts so far, first attempt)."""
    if not await renew(session, sub_id, me, lease):
        return None
    [(attempts, first)] = await _upsert(session, sub_id, "retrying", [attempt], next_at)
    return attempts, first


async def retry_at(session: AsyncSession, sub_id: int, at: dt.datetime) -> None:
    await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == sub_id)
        .values(next_attempt_at=at)
    )


async def give_up(session: AsyncSession, sub_id: int, event_id: int) -> None:
    """The retry period is over: the message failed, the subscription is failing and stops
    (its cursor stays before the message; enabling it again resumes there)."""
    await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == sub_id,
            WebhookDelivery.event_id == event_id,
            WebhookDelivery.kind == "feed",
        )
        .values(status="failed", next_attempt_at=None)
    )
    await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == sub_id)
        .values(enabled=False, failing_since=text("now()"), updated_at=text("now()"))
    )


async def attempted_once(session: AsyncSession, delivery_id: int, attempt: Attempted) -> None:
    """A redelivery or a ping is tried once; its outcome is its log entry."""
    ok = attempt.status_code is not None and 200 <= attempt.status_code < 300
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .values(
            status="delivered" if ok else "failed",
            attempts=WebhookDelivery.attempts + 1,
            last_status_code=attempt.status_code,
            last_error=attempt.error,
            latency_ms=attempt.latency_ms,
            first_attempt_at=text("coalesce(first_attempt_at, now())"),
            last_attempt_at=text("now()"),
            next_attempt_at=None,
        )
    )


# Oldest first along the primary key, so each pass stops after :n rows it may delete. The
# message at the head of a failing subscription's stream stays: it is retried as it was.
_PRUNE = text(
    """
    DELETE FROM webhook_deliveries
     WHERE id IN (SELECT id FROM webhook_deliveries
                   WHERE created_at < now() - make_interval(secs => :age)
                     AND (status = 'delivered' OR (status = 'failed' AND kind <> 'feed'))
                   ORDER BY id
                   LIMIT :n)
    """
)


async def prune(session: AsyncSession, age_seconds: float, limit: int) -> int:
    """Forget finished deliveries older than `age_seconds`; how many were removed."""
    result = await session.execute(_PRUNE, {"age": age_seconds, "n": limit})
    return int(getattr(result, "rowcount", 0) or 0)


_LAG = text(
    """
    SELECT s.id,
           greatest((SELECT coalesce(max(id), 0) FROM events) - s.cursor, 0),
           coalesce(extract(epoch FROM now() - (
               SELECT e.at FROM events e WHERE e.id > s.cursor ORDER BY e.id LIMIT 1)), 0)
      FROM webhook_subscriptions s
     WHERE s.enabled OR s.failing_since IS NOT NULL
    """
)


async def lag(session: AsyncSession) -> list[tuple[int, int, float]]:
    """Per enabled or failing subscription: feed events after its cursor, and the age of the
    oldest. A failing one stays in the gauge (and its lag keeps growing): it is what an
    alert on the lag is for; one disabled on purpose leaves it."""
    return [(int(r[0]), int(r[1]), float(r[2])) for r in await session.execute(_LAG)]


async def failed_next(session: AsyncSession, sub_id: int, event_id: int, at: dt.datetime) -> None:
    await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == sub_id,
            WebhookDelivery.event_id == event_id,
            WebhookDelivery.kind == "feed",
        )
        .values(next_attempt_at=at)
    )
