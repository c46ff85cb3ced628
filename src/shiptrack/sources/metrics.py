"""Prometheus metrics of the upstream sources (served at /metrics): what each provider was
asked and what it cost (registrations are what providers bill), and what is left of the
operator's budgets. The calls each upstream connector makes, and their errors, are counted by
the connector kit (``shiptrack_upstream_calls_total`` with ``outcome="error"``,
``couriers.connectors.aggregator``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

REGISTRATIONS = Counter(
    "shiptrack_upstream_registrations_total",
    "Upstream registrations, by source and outcome (registered, error, stopped, stop_error)",
    ["source", "outcome"],
)
CALLBACKS = Counter(
    "shiptrack_source_callbacks_total",
    "Push callbacks received, by source and outcome (stored, duplicate, bad_signature, "
    "invalid, unknown_source)",
    ["source", "outcome"],
)
BUDGET_REMAINING = Gauge(
    "shiptrack_source_budget_remaining",
    "What is left of a source's budget in its current window (registrations_day, "
    "registrations_month, calls_minute), as last seen by this process",
    ["source", "budget"],
    multiprocess_mode="mostrecent",
)
BUDGET_EXHAUSTED = Counter(
    "shiptrack_source_budget_exhausted_total",
    "Times a source's budget refused a registration or call (the tracker waits for the refill)",
    ["source", "budget"],
)
