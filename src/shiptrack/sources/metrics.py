"""Prometheus metrics of the upstream sources (served at /metrics): what each provider was
asked and what it cost (registrations are what providers bill). The calls each upstream
connector makes are counted by the connector kit (``couriers.connectors.aggregator``)."""

from __future__ import annotations

from prometheus_client import Counter

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
