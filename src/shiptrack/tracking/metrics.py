"""Prometheus metrics of the engine (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REFRESHES = Counter(
    "shiptrack_refreshes_total",
    "Tracker refreshes, by outcome (data, not_found, error, stopped)",
    ["outcome"],
)
COURIER_CALLS = Counter(
    "shiptrack_courier_calls_total",
    "Calls to courier connectors, by source and outcome",
    ["source", "outcome"],
)
COURIER_ERRORS = Counter(
    "shiptrack_courier_errors_total",
    "Per-number courier errors, by source and error type",
    ["source", "error"],
)
EVENTS_DISCOVERED = Counter("shiptrack_events_discovered_total", "New events stored")
CHECKS_WITHOUT_SOURCE = Counter(
    "shiptrack_checks_without_source_total",
    "Tracker checks for which no running source could track the number (no connector claims "
    "it, none runs for its courier codes or the couriers detection finds)",
)
CHECK_LAG = Histogram(
    "shiptrack_check_lag_seconds",
    "Delay between a tracker's due time and its check",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)
REFRESH_SECONDS = Histogram(
    "shiptrack_refresh_batch_seconds",
    "Duration of a refresh batch (fetch and store)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60),
)
DUE_BACKLOG = Gauge(
    "shiptrack_due_backlog",
    "Trackers due for a check and not yet claimed (counted by each engine every 15 s; with "
    "several processes, the latest count)",
    multiprocess_mode="mostrecent",
)
