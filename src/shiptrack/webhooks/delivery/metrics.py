"""Prometheus metrics of webhook delivery (served at /metrics with the engine's)."""

from __future__ import annotations

import datetime as dt

from prometheus_client import Counter, Histogram

from shiptrack.webhooks.delivery.http import AttemptResult

ATTEMPTS = Counter(
    "shiptrack_webhook_attempts_total",
    "Webhook delivery attempts, by outcome: delivered (2xx), rejected (another HTTP status), "
    "unreachable (no HTTP answer: refused, timeout, TLS, blocked address)",
    ["outcome"],
)
ATTEMPT_SECONDS = Histogram(
    "shiptrack_webhook_attempt_seconds",
    "Duration of one delivery attempt (request sent to response read)",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
DELIVERY_DELAY = Histogram(
    "shiptrack_webhook_delivery_delay_seconds",
    "From a message stored (in the refresh that found its events) to its delivery, retries "
    "included",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400),
)
GIVEN_UP = Counter(
    "shiptrack_webhook_messages_given_up_total",
    "Messages dropped after their last scheduled retry failed",
)
ENDPOINTS_DISABLED = Counter(
    "shiptrack_webhook_endpoints_disabled_total",
    "Account webhook endpoints disabled, by reason (gone: 410; failing: every delivery failed "
    "for the configured days)",
    ["reason"],
)


def attempt_outcome(result: AttemptResult) -> str:
    if result.ok:
        return "delivered"
    return "rejected" if result.status_code is not None else "unreachable"


def observe_attempt(result: AttemptResult, started: dt.datetime, created: dt.datetime) -> None:
    """Count one attempt that started at ``started`` for a message stored at ``created``."""
    ATTEMPTS.labels(attempt_outcome(result)).inc()
    ATTEMPT_SECONDS.observe(result.duration_ms / 1000)
    if result.ok:
        waited = (started - created).total_seconds() + result.duration_ms / 1000
        DELIVERY_DELAY.observe(max(0.0, waited))
