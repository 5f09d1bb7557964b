"""Office time: Vietnam keeps one zone (UTC+7, no daylight saving)."""

from __future__ import annotations

import datetime as dt

ZONE = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


def now_local() -> dt.datetime:
    return dt.datetime.now(ZONE)
