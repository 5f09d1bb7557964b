"""Scanner job: persist the overdue transition of obligations past their due date.

The due day itself is still in time ("chậm nhất ngày D" is inclusive,
docs/legal-basis.md#counting-before): an
obligation is overdue from the next day, in Asia/Ho_Chi_Minh. Rows are claimed FOR UPDATE SKIP
LOCKED, so replicas scanning at once split the work, and a row already marked overdue no longer
matches: each transition happens once and emits exactly one `obligation.overdue` event.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories import feed
from app.db.repositories import obligations as repo
from app.services.obligations import FeedEvent, obligation_event
from app.services.office_time import ZONE

BATCH = 1000
MAX_PER_PASS = 20_000  # the rest waits for the next pass; keeps one transaction bounded


async def mark_overdue(session: AsyncSession, now: dt.datetime) -> int:
    today = now.astimezone(ZONE).date()
    events: list[FeedEvent] = []
    while len(events) < MAX_PER_PASS:
        rows = await repo.mark_overdue(session, today, BATCH)
        events += [obligation_event("overdue", row, as_of=today.isoformat()) for row in rows]
        if len(rows) < BATCH:
            break
    await feed.append(session, events)
    return len(events)
