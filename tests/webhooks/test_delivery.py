"""Delivery to real receivers: signatures checked with an independent verifier, feed order,
retries after 500s and timeouts, recovery, two workers, restarts, secret rotation, giving up
and resuming, and hostile receivers."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import httpcore
import pytest
from sqlalchemy import select, text

from app.db.models import WebhookDelivery
from app.db.repositories import webhooks as repo
from app.jobs.webhook_delivery import BATCH
from app.jobs.webhook_sender import PublicOnly
from app.services import webhooks
from tests.webhooks.conftest import ADMIN, Harness, eventually
from tests.webhooks.receiver import Received, Receiver, Reply
from tests.webhooks.verify import verifies


async def settled(harness: Harness, sub_id: int, event_id: int) -> None:
    """Wait until the worker has recorded the event as delivered (the cursor moved past it)."""
    for _ in range(200):
        if (await harness.state(sub_id)).cursor >= event_id:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"cursor of {sub_id} never reached {event_id}")


def ids(receiver: Receiver) -> list[int]:
    return [json.loads(r.body)["data"]["id"] for r in receiver.received]


async def test_signed_messages_in_feed_order(harness: Harness) -> None:
    receiver = await harness.receiver()
    sub_id, secret = await harness.subscribe(receiver.url)
    harness.worker()
    emitted = []
    for _ in range(5):  # several transactions, several events each
        emitted += await harness.emit(10)
    await eventually(lambda: len(receiver.received) >= 50)
    assert ids(receiver) == emitted
    for got in receiver.received:
        assert verifies(secret, got.headers, got.body), got.headers
        assert not verifies("whsec_" + "A" * 44, got.headers, got.body)
        assert got.headers["content-type"] == "application/json"
    first = receiver.received[0]
    body = json.loads(first.body)
    assert first.headers["webhook-id"] == f"msg_{sub_id}_{emitted[0]}"
    assert body["type"] == "decision.created"
    assert body["data"]["entity"] == "decision" and body["data"]["payload"] == {"n": 0}
    assert body["timestamp"].endswith("Z")
    # a tampered body does not verify
    assert not verifies(secret, first.headers, first.body.replace(b'"n":0', b'"n":1'))
    await settled(harness, sub_id, emitted[-1])


async def test_types_and_filters_narrow_what_is_sent(harness: Harness) -> None:
    receiver = await harness.receiver()
    await harness.subscribe(receiver.url, ("dossier.event",), office="UBND-QN")
    harness.worker()
    await harness.emit(3, "decision.created", office="UBND-QN")
    await harness.emit(2, "dossier.event", office="UBND-DN")
    wanted = await harness.emit(2, "dossier.event", office="UBND-QN")
    await eventually(lambda: len(receiver.received) >= 2)
    await asyncio.sleep(0.3)
    assert ids(receiver) == wanted


async def test_retries_after_500s_with_a_stable_id(harness: Harness) -> None:
    answers = iter([500, 503])
    receiver = await harness.receiver(Receiver(lambda _: Reply(next(answers, 200))))
    sub_id, secret = await harness.subscribe(receiver.url)
    harness.worker()
    [event_id, later] = await harness.emit(2)
    # attempt 1 fails, retried within 1 s; attempt 2 fails, retried within 2 s
    await eventually(lambda: len(receiver.received) >= 4, 8)
    assert ids(receiver) == [event_id, event_id, event_id, later]
    assert {r.headers["webhook-id"] for r in receiver.received[:3]} == {f"msg_{sub_id}_{event_id}"}
    assert all(verifies(secret, r.headers, r.body) for r in receiver.received)
    await settled(harness, sub_id, later)
    async with harness.maker() as session:
        log = await webhooks.deliveries(session, ADMIN, sub_id, None, 10)
    first = next(d for d in log if d.event_id == event_id)
    assert (first.status, first.attempts, first.last_status_code) == ("delivered", 3, 200)
    assert first.latency_ms is not None and first.next_attempt_at is None


async def test_a_retry_is_sent_when_due_not_at_the_fallback_poll(harness: Harness) -> None:
    # The fallback poll is a minute here: the first attempt comes by NOTIFY, the retry (due
    # within a second, the first backoff step) by the worker's own timer.
    answers = iter([500])
    receiver = await harness.receiver(Receiver(lambda _: Reply(next(answers, 200))))
    await harness.subscribe(receiver.url)
    harness.worker(poll_seconds=60.0)
    for _ in range(100):  # its listener is connected: the event's NOTIFY will be heard
        if await _listening(harness):
            break
        await asyncio.sleep(0.1)
    [event_id] = await harness.emit(1)
    await eventually(lambda: len(receiver.received) >= 2, 10)
    assert ids(receiver) == [event_id, event_id]


async def _listening(harness: Harness) -> bool:
    async with harness.maker() as session:
        found = await session.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %webhooks_wake%'")
        )
        return int(found.scalar_one()) > 0


async def test_a_receiver_that_hangs_is_timed_out_and_retried(harness: Harness) -> None:
    calls = []

    def behaviour(got: Received) -> Reply:
        calls.append(got)
        return Reply(delay=30 if len(calls) == 1 else 0)

    receiver = await harness.receiver(Receiver(behaviour))
    sub_id, _ = await harness.subscribe(receiver.url)
    other = await harness.receiver()
    await harness.subscribe(other.url)
    harness.worker(timeout=0.5)
    [event_id] = await harness.emit(1)
    # the other subscription is not held up by the hanging receiver
    await eventually(lambda: len(other.received) == 1, 2)
    await eventually(lambda: len(receiver.received) >= 2, 5)
    assert ids(receiver) == [event_id, event_id]
    await settled(harness, sub_id, event_id)
    async with harness.maker() as session:
        [row] = await webhooks.deliveries(session, ADMIN, sub_id, None, 10)
    assert row.attempts == 2 and row.status == "delivered"


async def test_recovers_when_the_receiver_comes_back(harness: Harness) -> None:
    receiver = await harness.receiver()
    port = receiver.port
    sub_id, _ = await harness.subscribe(receiver.url)
    await receiver.stop()
    harness.worker()
    emitted = await harness.emit(3)
    await asyncio.sleep(1.5)  # connection refused, retried at least once
    async with harness.maker() as session:
        [row] = await webhooks.deliveries(session, ADMIN, sub_id, None, 10)
    assert row.status == "retrying" and row.attempts >= 1 and row.last_status_code is None
    assert row.next_attempt_at is not None
    back = await harness.receiver(Receiver(port=port))
    await eventually(lambda: len(back.received) >= 3, 10)
    assert ids(back) == emitted


async def test_two_workers_never_send_one_event_twice_at_once(harness: Harness) -> None:
    receivers = [await harness.receiver(Receiver(lambda _: Reply(delay=0.01))) for _ in range(3)]
    for r in receivers:
        await harness.subscribe(r.url)
    harness.worker(concurrency=2)
    harness.worker(concurrency=2)
    emitted = []
    for _ in range(6):
        emitted += await harness.emit(10)
        await asyncio.sleep(0.05)
    await eventually(lambda: all(len(r.received) >= 60 for r in receivers), 20)
    await asyncio.sleep(0.3)
    for r in receivers:
        assert ids(r) == emitted  # each once, in order
        assert r.max_in_flight == 1


async def test_resumes_after_a_restart(harness: Harness) -> None:
    receiver = await harness.receiver()
    _, _ = await harness.subscribe(receiver.url)
    first = harness.worker()
    before = await harness.emit(5)
    await eventually(lambda: len(receiver.received) >= 5)
    await first.stop()
    # nobody delivers these: a backlog longer than one read of the feed (BATCH)
    during = await harness.emit(BATCH + 50)
    await asyncio.sleep(0.3)
    assert len(receiver.received) == 5
    harness.worker()  # the service again
    await eventually(lambda: len(receiver.received) >= len(before + during), 20)
    await asyncio.sleep(0.2)
    assert ids(receiver) == before + during


async def test_another_worker_resumes_when_a_crashed_workers_lease_runs_out(
    harness: Harness,
) -> None:
    """A replica that died mid-run never released its lease: nobody sends until the lease
    runs out, then another worker resumes from the cursor, in order, nothing lost."""
    receiver = await harness.receiver()
    sub_id, _ = await harness.subscribe(receiver.url)
    async with harness.maker() as session:
        await session.execute(
            text(
                "UPDATE webhook_subscriptions SET lease_owner = 'worker-crashed',"
                " lease_until = now() + interval '2 seconds' WHERE id = :id"
            ),
            {"id": sub_id},
        )
        await session.commit()
    emitted = await harness.emit(3)
    harness.worker()
    await asyncio.sleep(1.0)
    assert receiver.received == []  # the dead worker's lease still holds
    await eventually(lambda: len(receiver.received) >= 3, 10)
    assert ids(receiver) == emitted
    await settled(harness, sub_id, emitted[-1])
    assert (await harness.state(sub_id)).lease_owner != "worker-crashed"


async def test_secret_rotation_signs_with_both_during_the_overlap(harness: Harness) -> None:
    receiver = await harness.receiver()
    sub_id, old = await harness.subscribe(receiver.url)
    async with harness.maker() as session:
        _, new = await webhooks.rotate_secret(session, ADMIN, sub_id, dt.timedelta(hours=1))
    harness.worker()
    await harness.emit(1)
    await eventually(lambda: len(receiver.received) == 1)
    got = receiver.received[0]
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert verifies(old, got.headers, got.body) and verifies(new, got.headers, got.body)
    async with harness.maker() as session:
        _, newest = await webhooks.rotate_secret(session, ADMIN, sub_id, dt.timedelta(0))
    await asyncio.sleep(5.5)  # the worker's run with the previous secrets has ended
    await harness.emit(1)
    await eventually(lambda: len(receiver.received) == 2)
    got = receiver.received[1]
    assert verifies(newest, got.headers, got.body)
    assert not verifies(new, got.headers, got.body) and not verifies(old, got.headers, got.body)


async def test_gives_up_after_the_retry_period_and_resumes_when_enabled(
    harness: Harness,
) -> None:
    failing = True
    receiver = await harness.receiver(Receiver(lambda _: Reply(500 if failing else 200)))
    sub_id, _ = await harness.subscribe(receiver.url)
    harness.worker(retry_seconds=1.0)
    emitted = await harness.emit(2)

    async def failing_now() -> bool:
        return (await harness.state(sub_id)).failing_since is not None

    async def wait_failing() -> None:
        for _ in range(100):
            if await failing_now():
                return
            await asyncio.sleep(0.1)

    await wait_failing()
    state = await harness.state(sub_id)
    assert state.enabled is False and state.failing_since is not None
    assert state.cursor < emitted[0]  # kept before the undelivered event
    async with harness.maker() as session:
        lag = {sub: events for sub, events, _ in await repo.lag(session)}
    assert lag[sub_id] >= 2  # a failing subscription stays in the lag gauge
    # enabled again while the receiver still fails: a new retry period, not an instant failure
    tried = len(receiver.received)
    async with harness.maker() as session:
        await webhooks.update(session, ADMIN, sub_id, {"enabled": True}, frozenset())
    await eventually(lambda: len(receiver.received) > tried, 3)
    await asyncio.sleep(0.2)
    assert not await failing_now()
    await wait_failing()
    failing = False
    async with harness.maker() as session:
        await webhooks.update(session, ADMIN, sub_id, {"enabled": True}, frozenset())
    await eventually(lambda: ids(receiver)[-2:] == emitted, 5)
    assert set(ids(receiver)) == set(emitted)


async def test_hostile_receivers_do_not_block_delivery(harness: Harness) -> None:
    big = await harness.receiver(Receiver(lambda _: Reply(body=b"x" * 10_000_000)))
    moved = await harness.receiver(
        Receiver(lambda _: Reply(302, headers={"location": "http://127.0.0.1:1/"}))
    )
    big_id, _ = await harness.subscribe(big.url)
    moved_id, _ = await harness.subscribe(moved.url)
    # https to a name that resolves to loopback, not on the operator's list: refused
    private_id, _ = await harness.subscribe(f"https://localhost:{big.port}/hook")
    harness.worker()
    [event_id] = await harness.emit(1)
    await eventually(lambda: len(big.received) == 1 and len(moved.received) >= 1, 5)
    await asyncio.sleep(0.5)
    async with harness.maker() as session:
        rows = {
            d.subscription_id: d
            for d in await session.scalars(
                select(WebhookDelivery).where(WebhookDelivery.event_id == event_id)
            )
        }
    assert rows[big_id].status == "delivered"
    assert rows[big_id].latency_ms is not None and rows[big_id].latency_ms < 2000  # type: ignore[operator]
    assert rows[moved_id].status == "retrying" and rows[moved_id].last_status_code == 302
    assert "redirect" in (rows[moved_id].last_error or "")
    assert rows[private_id].status == "retrying"
    assert "non-public" in (rows[private_id].last_error or "")
    assert len(moved.received) == 1 or ids(moved) == [event_id] * len(moved.received)


async def test_ping_and_redelivery_keep_the_message_id(harness: Harness) -> None:
    receiver = await harness.receiver()
    sub_id, secret = await harness.subscribe(receiver.url)
    harness.worker()
    [event_id] = await harness.emit(1)
    await eventually(lambda: len(receiver.received) == 1)
    await settled(harness, sub_id, event_id)
    async with harness.maker() as session:
        [done] = await webhooks.deliveries(session, ADMIN, sub_id, None, 10)
        await webhooks.redeliver(session, ADMIN, sub_id, done.id)
    async with harness.maker() as session:
        ping = await webhooks.ping(session, ADMIN, sub_id)
    await eventually(lambda: len(receiver.received) == 3)
    again, pinged = receiver.received[1], receiver.received[2]
    assert again.headers["webhook-id"] == receiver.received[0].headers["webhook-id"]
    assert again.body == receiver.received[0].body
    assert json.loads(pinged.body)["type"] == "webhook.ping"
    assert pinged.headers["webhook-id"] == ping.message_id
    assert all(verifies(secret, r.headers, r.body) for r in receiver.received)


async def test_batches_keep_order_and_are_retried_as_they_were(harness: Harness) -> None:
    answers = iter([500])
    receiver = await harness.receiver(Receiver(lambda _: Reply(next(answers, 200))))
    sub_id, secret = await harness.subscribe(receiver.url, max_batch=10)
    emitted = await harness.emit(4)
    harness.worker()
    await eventually(lambda: len(receiver.received) >= 2, 5)
    more = await harness.emit(25)
    await settled(harness, sub_id, more[-1])
    messages = [json.loads(r.body) for r in receiver.received]
    assert all(m["type"] == "batch" for m in messages)
    batches = [[c["id"] for c in m["data"]["events"]] for m in messages]
    # the failed batch went again as it was (same events, same id), though more had come
    assert batches[0] == batches[1] == emitted
    assert receiver.received[0].headers["webhook-id"] == f"msg_{sub_id}_{emitted[0]}-{emitted[-1]}"
    assert receiver.received[1].headers["webhook-id"] == receiver.received[0].headers["webhook-id"]
    assert [i for b in batches[1:] for i in b] == emitted + more
    assert all(len(b) <= 10 for b in batches)
    assert all(verifies(secret, r.headers, r.body) for r in receiver.received)


async def test_nothing_is_skipped_while_events_keep_coming(harness: Harness) -> None:
    """Workers read while producers commit: the cursor moves only as far as the worker saw,
    never over an event committed between two of its reads."""
    single, batched = await harness.receiver(), await harness.receiver()
    await harness.subscribe(single.url)
    await harness.subscribe(batched.url, max_batch=20)
    # A generous timeout: on a loaded machine the receivers (in this process) may answer after
    # the harness's one second, and the retry that follows sends that message twice (at least
    # once, as designed; the retry tests check it). What is checked here is the cursor.
    harness.worker(timeout=10.0)
    wanted: list[int] = []
    for _ in range(60):
        await harness.emit(2, "obligation.overdue")  # not subscribed: skipped over
        wanted += await harness.emit(1)
        await asyncio.sleep(0.005)
    await eventually(lambda: len(ids(single)) >= len(wanted), 10)

    def batched_ids() -> list[int]:
        return [c["id"] for r in batched.received for c in json.loads(r.body)["data"]["events"]]

    await eventually(lambda: len(batched_ids()) >= len(wanted), 10)
    assert ids(single) == wanted and batched_ids() == wanted


async def test_the_log_forgets_finished_deliveries_after_its_age(harness: Harness) -> None:
    receiver = await harness.receiver()
    sub_id, _ = await harness.subscribe(receiver.url)
    harness.worker()
    emitted = await harness.emit(3)
    await settled(harness, sub_id, emitted[-1])
    async with harness.maker() as session:
        ping = await webhooks.ping(session, ADMIN, sub_id)
    await eventually(lambda: len(receiver.received) == 4)
    async with harness.maker() as session:
        # two days old, one still retrying; then forget what finished over a day ago
        await session.execute(
            text(
                "UPDATE webhook_deliveries SET created_at = now() - interval '2 days' "
                "WHERE subscription_id = :s"
            ),
            {"s": sub_id},
        )
        await session.execute(
            text("UPDATE webhook_deliveries SET status = 'retrying' WHERE id = :id"),
            {"id": ping.id},
        )
        assert await repo.prune(session, 86400, 1000) == 3
        await session.commit()
        left = await webhooks.deliveries(session, ADMIN, sub_id, None, 10)
    assert [d.id for d in left] == [ping.id]


async def test_the_address_checked_is_the_address_connected_to() -> None:
    """The name is looked up once, by the check, and the connection goes to that address:
    a second lookup (DNS rebinding: public to the check, private to the connection) is never
    made. Allowed hosts are connected to by name."""
    lookups: list[str] = []
    connected: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["93.184.215.14"] if len(lookups) == 1 else ["127.0.0.1"]

    class Inner(httpcore.AsyncNetworkBackend):
        async def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.AsyncNetworkStream:
            connected.append(host)
            raise httpcore.ConnectError("stop here")

    backend = PublicOnly(frozenset({"localhost"}), Inner(), resolve)
    with pytest.raises(httpcore.ConnectError, match="stop here"):
        await backend.connect_tcp("hooks.example.vn", 443)
    assert (lookups, connected) == (["hooks.example.vn"], ["93.184.215.14"])
    with pytest.raises(httpcore.ConnectError, match="non-public address"):
        await backend.connect_tcp("rebound.example.vn", 443)  # the second answer: private
    assert connected == ["93.184.215.14"]
    with pytest.raises(httpcore.ConnectError, match="stop here"):
        await backend.connect_tcp("LOCALHOST", 8000)
    assert connected[-1] == "LOCALHOST" and len(lookups) == 2
