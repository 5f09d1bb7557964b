"""The injectable clock: now, in office time. A dependency, so that tests set the clock with
`app.dependency_overrides[current_time]`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request

from app.domain.dossiers import VIETNAM


async def current_time() -> dt.datetime:
    """Now, in office time (Asia/Ho_Chi_Minh)."""
    return dt.datetime.now(VIETNAM)


NowDep = Annotated[dt.datetime, Depends(current_time)]


async def now_of(request: Request) -> dt.datetime:
    """`current_time` for a route that resolves no dependencies (app/api/kit/hot_lane.py),
    honouring the tests' override as FastAPI would."""
    clock = request.app.dependency_overrides.get(current_time, current_time)
    now: dt.datetime = await clock()
    return now
