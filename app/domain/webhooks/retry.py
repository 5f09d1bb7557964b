"""When to try a failed delivery again: capped exponential backoff with full jitter, so that
receivers coming back from an outage are not hit by every sender at the same instant."""

from __future__ import annotations

import random

FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 3600.0


def delay_after(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th failed attempt (1 → up to 1 s, 2 → up to 2 s,
    … capped at an hour). Full jitter: uniform in [cap/2, cap] so retries still spread out
    but never come back immediately."""
    cap = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** max(0, attempts - 1))
    return (rng or random).uniform(cap / 2, cap)


def message_id(subscription_id: int, event_id: int, last_event_id: int | None = None) -> str:
    """The `webhook-id` of an event (or of a batch of events, first to last) for a
    subscription: the same on every retry and every redelivery, so receivers can
    de-duplicate. A failed batch is retried with the same events, so its id holds too."""
    if last_event_id is None or last_event_id == event_id:
        return f"msg_{subscription_id}_{event_id}"
    return f"msg_{subscription_id}_{event_id}-{last_event_id}"
