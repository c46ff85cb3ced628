"""The console's health page: the figures of ``/metrics`` for people.

It reads the process's own Prometheus exposition (``monitoring.exposition``: with several
workers, all of theirs together, as a scrape would) and lays it out per source (calls and
errors by type, upstream calls, what is left of each budget and how often one ran out), for
the engine (due backlog, check lag, refresh outcomes) and for webhooks (attempts by outcome,
delivery delay, messages given up, and the account's own backlog from the database).
Counters count since the processes started; lags and delays are estimated from the
histograms' buckets.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from prometheus_client.parser import text_string_to_metric_families
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.console import render
from shiptrack.console.services import services
from shiptrack.console.sessions import Session, signed_in
from shiptrack.monitoring import exposition
from shiptrack.webhooks.endpoints import service as webhooks


@dataclass(slots=True)
class SourceHealth:
    name: str
    title: str
    kind: str
    enabled: bool
    calls: dict[str, float] = field(default_factory=dict)
    errors: dict[str, float] = field(default_factory=dict)
    upstream: dict[str, float] = field(default_factory=dict)
    #: What is left of each budget (``registrations_day``, ``registrations_month``,
    #: ``calls_minute``) in its current window; budgets a source does not have are absent.
    budget_left: dict[str, float] = field(default_factory=dict)
    #: How many times each budget refused a registration or a call.
    budget_exhausted: dict[str, float] = field(default_factory=dict)

    @property
    def error_share(self) -> float | None:
        total = sum(self.calls.values())
        failed = total - self.calls.get("ok", 0.0) - self.calls.get("data", 0.0)
        return failed / total if total else None


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every sample of an exposition: name → [(labels, value)]."""
    found: dict[str, list[tuple[dict[str, str], float]]] = defaultdict(list)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[sample.name].append((dict(sample.labels), float(sample.value)))
    return found


def total(found: dict[str, list[tuple[dict[str, str], float]]], name: str) -> float:
    return sum(value for _, value in found.get(name, []))


def by_label(
    found: dict[str, list[tuple[dict[str, str], float]]], name: str, label: str
) -> dict[str, float]:
    counts: dict[str, float] = defaultdict(float)
    for labels, value in found.get(name, []):
        counts[labels.get(label, "")] += value
    return dict(counts)


def quantile(found: dict[str, list[tuple[dict[str, str], float]]], name: str, q: float) -> Any:
    """The upper bound of the bucket holding the ``q`` quantile of histogram ``name``
    (``None`` without observations; ``math.inf`` past the last bucket)."""
    buckets: dict[float, float] = defaultdict(float)
    for labels, value in found.get(f"{name}_bucket", []):
        buckets[float(labels["le"])] += value
    if not buckets:
        return None
    ordered = sorted(buckets.items())
    count = ordered[-1][1]
    if count == 0:
        return None
    for bound, cumulative in ordered:
        if cumulative >= q * count:
            return bound
    return math.inf


def sources_from(found: dict[str, Any], states: Iterable[Any]) -> list[SourceHealth]:
    """One row per source of the installation (``states``: the coverage's source states) and
    per source the figures name, errors first."""
    shown = {
        state.info.source_code: SourceHealth(
            state.info.source_code, state.info.title, str(state.info.kind), state.enabled
        )
        for state in states
    }

    def entry(code: str) -> SourceHealth:
        if code not in shown:
            shown[code] = SourceHealth(code, code, "", True)
        return shown[code]

    for labels, value in found.get("shiptrack_courier_calls_total", []):
        calls = entry(labels.get("source", "")).calls
        calls[labels.get("outcome", "")] = calls.get(labels.get("outcome", ""), 0.0) + value
    for labels, value in found.get("shiptrack_courier_errors_total", []):
        errors = entry(labels.get("source", "")).errors
        errors[labels.get("error", "")] = errors.get(labels.get("error", ""), 0.0) + value
    for labels, value in found.get("shiptrack_upstream_calls_total", []):
        key = f"{labels.get('call', '')} {labels.get('outcome', '')}"
        upstream = entry(labels.get("source", "")).upstream
        upstream[key] = upstream.get(key, 0.0) + value
    for labels, value in found.get("shiptrack_source_budget_remaining", []):
        left = entry(labels.get("source", "")).budget_left
        left[labels.get("budget", "")] = value
    for labels, value in found.get("shiptrack_source_budget_exhausted_total", []):
        spent = entry(labels.get("source", "")).budget_exhausted
        budget = labels.get("budget", "")
        spent[budget] = spent.get(budget, 0.0) + value
    return sorted(shown.values(), key=lambda s: (not s.enabled, -sum(s.errors.values()), s.name))


@signed_in
async def health_page(request: Request, session: Session) -> Response:
    found = samples((await exposition()).decode())
    counts = await webhooks.message_counts(services(request).db, session.account_id)
    return render.page(
        request,
        "health.html",
        session,
        sources=sources_from(found, services(request).coverage.sources),
        engine={
            "due_backlog": total(found, "shiptrack_due_backlog"),
            "lag_p50": quantile(found, "shiptrack_check_lag_seconds", 0.5),
            "lag_p95": quantile(found, "shiptrack_check_lag_seconds", 0.95),
            "checks": total(found, "shiptrack_check_lag_seconds_count"),
            "refreshes": by_label(found, "shiptrack_refreshes_total", "outcome"),
            "without_source": total(found, "shiptrack_checks_without_source_total"),
            "events": total(found, "shiptrack_events_discovered_total"),
        },
        hooks={
            "attempts": by_label(found, "shiptrack_webhook_attempts_total", "outcome"),
            "delay_p50": quantile(found, "shiptrack_webhook_delivery_delay_seconds", 0.5),
            "delay_p95": quantile(found, "shiptrack_webhook_delivery_delay_seconds", 0.95),
            "given_up": total(found, "shiptrack_webhook_messages_given_up_total"),
            "counts": counts,
        },
    )
