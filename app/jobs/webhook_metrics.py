"""Webhook delivery metrics, on the service's one Prometheus registry."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from app.api.ops.metrics import REGISTRY

DELIVERIES = Counter(
    "webhook_deliveries_total",
    "Webhook delivery attempts by outcome: delivered; retrying (a feed message tried again "
    "later); failed (given up after the retry period, or a ping or redelivery without a 2xx).",
    ["outcome"],
    registry=REGISTRY,
)
SEND_SECONDS = Histogram(
    "webhook_send_duration_seconds",
    "Time receivers took to answer a delivery.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
LAG_EVENTS = Gauge(
    "webhook_lag_events",
    "Feed events after a subscription's cursor (not yet delivered or skipped).",
    ["subscription"],
    registry=REGISTRY,
)
LAG_SECONDS = Gauge(
    "webhook_lag_seconds",
    "Age of the oldest feed event after a subscription's cursor (0 when caught up).",
    ["subscription"],
    registry=REGISTRY,
)


def set_lag(rows: list[tuple[int, int, float]]) -> None:
    LAG_EVENTS.clear()
    LAG_SECONDS.clear()
    for sub_id, events, seconds in rows:
        LAG_EVENTS.labels(str(sub_id)).set(events)
        LAG_SECONDS.labels(str(sub_id)).set(seconds)
