"""The webhook delivery worker: follows the change feed for every subscription and POSTs
each matching event, in feed order, at least once.

- A subscription is worked by one worker at a time, replicas included: it is claimed with
  FOR UPDATE SKIP LOCKED and leased; a worker starts a send only while its lease outlasts the
  send's deadline, so two sends of the same event to the same receiver never overlap.
- Each subscription runs in its own task, at most `concurrency` at once: a slow receiver
  holds up only itself.
- The cursor moves only after the receiver's 2xx (at least once: a crash between the 2xx
  and the commit sends that event again, with the same webhook-id).
- A failed event is retried (capped exponential backoff with jitter) and blocks the events
  after it, which keeps order; after the retry period the subscription is disabled as
  failing with its cursor kept, and resumes there once enabled again.
- Workers wake on NOTIFY webhooks_wake (a feed append, a subscription created or enabled, a
  queued ping or redelivery), at the time of each retry they schedule, and poll as a fallback
  (a lease left by a crashed worker, a notification missed while reconnecting): an idle
  replica stays nearly silent. A worker whose claim found that nothing could ever be claimed
  (no subscription enabled, no ping or redelivery queued) lets feed appends pass until
  something else wakes it: ingesting events then costs no claim at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
import uuid

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.availability import OUTAGES, failure_class
from app.db.listen import listening
from app.db.repositories import webhooks as repo
from app.db.repositories.webhooks import Attempted, Claimed, FeedEvent
from app.domain.webhooks import retry, signing
from app.jobs import webhook_sender as sender
from app.jobs.webhook_message import body_of, ping_body
from app.jobs.webhook_metrics import DELIVERIES, SEND_SECONDS, set_lag
from app.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "webhooks_wake"
STOP_GRACE_SECONDS = 5.0
BATCH = 100  # events read per query; each is still sent on its own
RUN_SECONDS = 5.0  # then the subscription goes back to the queue, so others get a turn
LAG_EVERY_SECONDS = 15.0  # the lag gauge: fresh enough for a scrape every 15-30 s
PRUNE_EVERY_SECONDS = 60.0
# Busy feeds notify on every commit; claims are spaced at least this much so a burst of
# notifications costs one claim query, not one each (at most this much added latency).
CLAIM_GAP_SECONDS = 0.02
PRUNE_BATCH = 5000
MARGIN_SECONDS = 1.0


class DeliveryWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        dsn: str,
        *,
        concurrency: int,
        timeout: float,
        retry_seconds: float,
        poll_seconds: float,
        allowed_hosts: frozenset[str],
        log_days: float = 0.0,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._dsn = dsn
        self._concurrency = concurrency
        self._timeout = timeout
        self._retry_seconds = retry_seconds
        self._poll_seconds = poll_seconds
        self._allowed_hosts = allowed_hosts
        self._log_seconds = log_days * 86400
        # long enough for a run plus one send; a crashed worker's subscriptions wait this long
        self._lease = RUN_SECONDS + timeout + 2 * MARGIN_SECONDS
        self.name = f"worker-{uuid.uuid4().hex[:12]}"
        self._wake = asyncio.Event()
        # True once a claim found nothing to serve at all; `_changes` counts the wake-ups
        # that may end that (so a check never overwrites a change that came while it ran).
        self._nothing_to_serve = False
        self._changes = 0
        self._stop = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None

    @classmethod
    def from_settings(
        cls, sessionmaker: async_sessionmaker[AsyncSession], url: str, settings: Settings
    ) -> DeliveryWorker:
        return cls(
            sessionmaker,
            url.replace("postgresql+asyncpg://", "postgresql://", 1),
            concurrency=settings.webhook_concurrency,
            timeout=settings.webhook_timeout_seconds,
            retry_seconds=settings.webhook_retry_seconds,
            poll_seconds=settings.webhook_poll_seconds,
            allowed_hosts=settings.webhook_http_hosts,
            log_days=settings.webhook_log_days,
        )

    def start(self) -> None:
        if self._concurrency <= 0:
            return
        self._http = sender.client(self._concurrency, self._timeout, self._allowed_hosts)
        self._listener = asyncio.create_task(self._listen(), name="webhooks-listen")
        self._task = asyncio.create_task(self._loop(), name="webhooks-deliver")

    async def stop(self) -> None:
        """Let sends in progress finish and leases be released; cancel only what does not
        finish within seconds (its lease then expires and another worker resumes)."""
        self._stop.set()
        self._wake.set()
        tasks = [t for t in (self._task, self._listener, *self._running) if t is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            for task in pending:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._http is not None:
            await self._http.aclose()

    # -- the loop ---------------------------------------------------------------------------

    async def _listen(self) -> None:
        conn: asyncpg.Connection | None = None
        try:
            while not self._stop.is_set():
                try:
                    if conn is None or conn.is_closed():
                        conn = await listening(self._dsn, [CHANNEL], self._notified, seconds=5)
                except Exception as exc:  # the database is away: the loop's poll covers the gap
                    _failed(exc, "webhook-listen", "webhook listener failed; retrying")
                    conn = None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self._poll_seconds)
        finally:
            if conn is not None and not conn.is_closed():
                conn.terminate()

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        if payload != "feed":
            self._changes += 1
            self._nothing_to_serve = False
        if not self._nothing_to_serve:
            self._wake.set()

    async def _loop(self) -> None:
        lag_due = prune_due = claimed_at = 0.0
        while not self._stop.is_set():
            gap = claimed_at + CLAIM_GAP_SECONDS - time.monotonic()
            if gap > 0:
                await asyncio.sleep(gap)
            self._wake.clear()
            claimed_at = time.monotonic()
            try:
                await self._claim_and_start()
                if time.monotonic() >= lag_due:
                    lag_due = time.monotonic() + LAG_EVERY_SECONDS
                    async with self._sessionmaker() as session:
                        set_lag(await repo.lag(session))
                if self._log_seconds > 0 and time.monotonic() >= prune_due:
                    prune_due = time.monotonic() + PRUNE_EVERY_SECONDS
                    async with self._sessionmaker() as session:
                        await repo.prune(session, self._log_seconds, PRUNE_BATCH)
                        await session.commit()
            except Exception as exc:  # keep delivering: the next pass retries
                _failed(exc, "webhook-delivery", "webhook delivery pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_seconds)

    async def _claim_and_start(self) -> None:
        free = self._concurrency - len(self._running)
        if free <= 0:
            return
        started = time.monotonic()  # before the claim: the database's lease starts later
        changes = self._changes
        async with self._sessionmaker() as session:
            claimed = await repo.claim(session, self.name, self._lease, free)
            idle = not claimed and not self._running and not await repo.anything_to_serve(session)
            await session.commit()
        if changes == self._changes:
            self._nothing_to_serve = idle
        for sub in claimed:
            task = asyncio.create_task(self._run(sub, started), name=f"webhook-{sub.id}")
            self._running.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._wake.set()  # events may have come while the lease was held

    # -- one subscription -------------------------------------------------------------------

    async def _run(self, sub: Claimed, leased_at: float) -> None:
        deadline = leased_at + self._lease - MARGIN_SECONDS  # the lease ends after this
        run_ends = leased_at + RUN_SECONDS
        try:
            if await self._send_queued(sub, deadline) and sub.enabled:
                await self._follow_feed(sub, deadline, run_ends)
        except Exception as exc:
            _failed(exc, "webhook-delivery", "webhook run failed", subscription_id=sub.id)
        finally:
            with contextlib.suppress(Exception):
                async with self._sessionmaker() as session:
                    await repo.release(session, sub.id, self.name)
                    await session.commit()

    def _may_send(self, deadline: float) -> bool:
        return not self._stop.is_set() and time.monotonic() + self._timeout < deadline

    async def _send_queued(self, sub: Claimed, deadline: float) -> bool:
        """Pings and manual redeliveries, each tried once; False if the lease ran short."""
        async with self._sessionmaker() as session:
            queued = await repo.queued(session, sub.id, 20)
            bodies: list[bytes] = []
            for row in queued:
                events: list[FeedEvent] = []
                if row.event_id is not None:
                    events, _ = await repo.next_events(
                        session,
                        sub.id,
                        sub.max_batch,
                        after=row.event_id - 1,
                        upto=row.last_event_id or row.event_id,
                    )
                bodies.append(
                    body_of(events, sub.max_batch > 1)
                    if events
                    else ping_body(sub.id, row.created_at)
                )
        for row, body in zip(queued, bodies, strict=True):
            if not self._may_send(deadline):
                return False
            answer = await self._post(sub, row.message_id, body)
            DELIVERIES.labels("delivered" if answer.ok else "failed").inc()
            first = row.event_id or 0
            attempt = _attempted(first, first, row.event_type, row.message_id, answer)
            async with self._sessionmaker() as session:
                await repo.attempted_once(session, row.id, attempt)
                await session.commit()
        return True

    async def _follow_feed(self, sub: Claimed, deadline: float, run_ends: float) -> None:
        upto = sub.retrying_upto  # a failed batch goes again exactly as it was
        size = sub.max_batch
        while time.monotonic() < run_ends:
            async with self._sessionmaker() as session:
                events, high = await repo.next_events(
                    session, sub.id, size if upto is not None else BATCH, upto=upto
                )
            upto = None
            sent: list[Attempted] = []
            chunks = [events[i : i + size] for i in range(0, len(events), size)]
            for chunk in chunks:
                if not self._may_send(deadline):
                    break
                first, last = chunk[0], chunk[-1]
                message_id = retry.message_id(sub.id, first.id, last.id if size > 1 else None)
                answer = await self._post(sub, message_id, body_of(chunk, size > 1))
                event_type = "batch" if size > 1 else first.type
                attempt = _attempted(first.id, last.id, event_type, message_id, answer)
                if not answer.ok:
                    DELIVERIES.labels("retrying").inc()
                    await self._save(sub, sent, sent[-1].last_event_id if sent else None)
                    await self._failed(sub, attempt)
                    return
                DELIVERIES.labels("delivered").inc()
                sent.append(attempt)
            complete = len(sent) == len(chunks)
            cursor = high if complete else (sent[-1].last_event_id if sent else None)
            renewed_at = time.monotonic()
            if not await self._save(sub, sent, cursor):
                return  # lease lost: another worker has the subscription now
            deadline = renewed_at + self._lease - MARGIN_SECONDS
            if not complete or not events or self._stop.is_set():
                return

    async def _save(self, sub: Claimed, sent: list[Attempted], cursor: int | None) -> bool:
        if cursor is None:
            return True
        async with self._sessionmaker() as session:
            ok = await repo.delivered(session, sub.id, self.name, self._lease, sent, cursor)
            await session.commit()
        return ok

    async def _failed(self, sub: Claimed, attempt: Attempted) -> None:
        now = dt.datetime.now(dt.UTC)
        async with self._sessionmaker() as session:
            done = await repo.failed(session, sub.id, self.name, self._lease, attempt, None)
            if done is None:
                return
            attempts, first = done
            if (now - first).total_seconds() >= self._retry_seconds:
                await repo.give_up(session, sub.id, attempt.event_id)
                DELIVERIES.labels("failed").inc()
                log.warning(
                    "webhook subscription failing: retry period over",
                    extra={"subscription_id": sub.id, "event_id": attempt.event_id},
                )
            else:
                delay = retry.delay_after(attempts)
                later = now + dt.timedelta(seconds=delay)
                await repo.retry_at(session, sub.id, later)
                await repo.failed_next(session, sub.id, attempt.event_id, later)
                # wake when the retry is due, not at the next fallback poll
                asyncio.get_running_loop().call_later(delay, self._wake.set)
            await session.commit()

    async def _post(self, sub: Claimed, message_id: str, body: bytes) -> sender.Answer:
        assert self._http is not None
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signing.signature_header(
                list(sub.secrets), message_id, timestamp, body
            ),
        }
        answer = await sender.send(
            self._http,
            sub.url,
            headers,
            body,
            seconds=self._timeout,
        )
        SEND_SECONDS.observe(answer.latency_ms / 1000)
        return answer


def _attempted(
    first: int, last: int, event_type: str, message_id: str, answer: sender.Answer
) -> Attempted:
    return Attempted(
        first, last, event_type, message_id, answer.status_code, answer.error, answer.latency_ms
    )


def _failed(exc: Exception, where: str, message: str, **extra: object) -> None:
    """An outage is counted and summarised like the requests' (one line per failure class per
    interval, no traceback: it would carry SQL); anything else is a bug, logged in full."""
    kind = failure_class(exc)
    if kind is not None:
        OUTAGES.record(kind, where)
    else:
        log.exception(message, extra=extra)
