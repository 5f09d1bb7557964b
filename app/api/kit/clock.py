"""The injectable clock: now, in office time. A dependency, so that tests set the clock with
`app.dependency_overrides[current_time]`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends

from app.domain.dossiers import VIETNAM


async def current_time() -> dt.datetime:
    """Now, in office time (Asia/Ho_Chi_Minh)."""
    return dt.datetime.now(VIETNAM)


NowDep = Annotated[dt.datetime, Depends(current_time)]
