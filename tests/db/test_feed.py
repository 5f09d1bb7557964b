"""The change feed under concurrent writers: a reader following the cursor sees every event
exactly once, in order, even while transactions commit out of order."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.engine import make_sessionmaker
from app.db.models import Event
from app.db.repositories import feed

WRITERS = 12
EVENTS_EACH = 5


async def test_reader_sees_every_event_once_in_order(engine: AsyncEngine) -> None:
    maker = make_sessionmaker(engine)
    async with maker() as s:
        start = await feed.last_id(s)
    rng = random.Random(3)
    done = asyncio.Event()

    async def writer(w: int) -> None:
        for i in range(EVENTS_EACH):
            async with maker() as session:
                await asyncio.sleep(rng.random() / 100)
                await feed.append(session, [("test.feed", "test", f"{w}-{i}", {"w": w, "i": i})])
                await asyncio.sleep(rng.random() / 50)  # hold the transaction open a while
                await session.commit()

    seen: list[int] = []
    labels: list[str] = []

    async def reader() -> None:
        cursor = start
        while True:
            finished = done.is_set()
            async with maker() as session:
                page = await feed.after(session, cursor, 7)
            for event in page:
                if event.type == "test.feed":
                    seen.append(event.id)
                    labels.append(event.entity_id)
            cursor = page[-1].id if page else cursor
            if finished and not page:
                return
            await asyncio.sleep(0.003)

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer(w) for w in range(WRITERS)))
    done.set()
    await reading
    try:
        assert seen == sorted(seen), "the feed went backwards"
        assert len(set(labels)) == len(labels) == WRITERS * EVENTS_EACH, "gap or duplicate"
    finally:
        async with maker() as session:
            await session.execute(delete(Event).where(Event.type == "test.feed"))
            await session.commit()
