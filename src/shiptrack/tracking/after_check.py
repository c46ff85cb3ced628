"""What a check means for its tracker: when to check again (or stop), and how it is counted.

The last stage of a refresh (``tracking/refresh.py``): ``cadence`` decides the next check
from the milestone, the errors, the courier's hints and a spent source budget's refill;
the outcome is counted in the batch's ``BatchStats`` and the refresh metric, and failures
and stops are logged one line each.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from shiptrack.config import Settings
from shiptrack.couriers.connectors.protocol import (
    RATE_LIMIT_BUDGET,
    BudgetExhausted,
    TrackingNumberNotFound,
)
from shiptrack.tracking import cadence, metrics
from shiptrack.tracking.fetch import TrackerFetch
from shiptrack.tracking.shipment_state import ShipmentState

log = logging.getLogger("shiptrack.engine")


@dataclass(slots=True)
class BatchStats:
    refreshed: int = 0
    #: Trackers whose check found new events.
    with_news: int = 0
    new_events: int = 0
    stopped: int = 0
    errors: int = 0


def schedule_after_check(
    settings: Settings,
    owner: str,
    fetch: TrackerFetch,
    state: ShipmentState,
    now: dt.datetime,
    stats: BatchStats,
    fetched_ms: int,
) -> dict[str, Any]:
    """A checked tracker's row for ``schedule_sql.finish_checks``: its next check (or its
    stop, decided by ``cadence``), error count and data flag; counts the check into
    ``stats`` and the refresh metric, and logs failures and stops at INFO (checks that
    found events at DEBUG: the batch's ``refresh batch`` line counts them)."""
    tracker = fetch.tracker
    # A spent budget is no failure: the tracker waits for the refill (and says so).
    refills = [
        e.refills_at or now + dt.timedelta(seconds=e.retry_after or 60.0)
        for e in fetch.errors
        if isinstance(e, BudgetExhausted)
    ]
    real_errors = [
        e for e in fetch.errors if not isinstance(e, TrackingNumberNotFound | BudgetExhausted)
    ]
    failed = not fetch.results and bool(real_errors)
    errors = tracker.error_count + 1 if failed else 0
    retry_after = max((e.retry_after or 0.0 for e in real_errors), default=None)
    time_scale = max((c.info.time_scale for c in fetch.connectors), default=1.0)
    min_interval = max((c.info.min_interval for c in fetch.connectors), default=0.0)
    hints = [
        c.check_again_in(tracker.tracking_number, tracker.created_at) for c in fetch.connectors
    ]
    reveal = min((h for h in hints if h is not None), default=None)
    last_event_at = now if state.new_events else tracker.last_event_at
    decision = cadence.decide(
        settings,
        cadence.TrackerClock(now=now, created_at=tracker.created_at, last_event_at=last_event_at),
        state.milestone,
        errors=errors,
        retry_after=retry_after,
        time_scale=time_scale,
        min_interval=min_interval,
        next_reveal_in=reveal,
    )
    next_check_at = decision.next_check_at
    if refills and not fetch.results and not failed and next_check_at is not None:
        # Nothing to show until the budget refills: check again then, not sooner; a
        # provider's per-second limit refills within seconds: then, not later either.
        paced = all(
            e.budget == RATE_LIMIT_BUDGET for e in fetch.errors if isinstance(e, BudgetExhausted)
        )
        next_check_at = min(refills) if paced else max(next_check_at, min(refills))
    stats.new_events += len(state.new_events)
    stats.with_news += bool(state.new_events)
    stats.errors += failed
    stats.stopped += decision.stops
    outcome = (
        "stopped"
        if decision.stops
        else "error"
        if failed
        else "data"
        if fetch.results
        else "not_found"
    )
    metrics.REFRESHES.labels(outcome).inc()
    # Failures and stops, one line each at INFO (what operators act on); a check that
    # found events only at DEBUG: the batch's ``refresh batch`` line counts them.
    level = logging.INFO if decision.stops or failed else logging.DEBUG
    if (state.new_events or decision.stops or failed) and log.isEnabledFor(level):
        log.log(
            level,
            "refresh",
            extra={
                "tracker": tracker.id,
                "outcome": outcome,
                "new_events": len(state.new_events),
                "milestone": state.milestone,
                "couriers": ",".join(c.info.source_code for c in fetch.connectors) or "-",
                "errors": ",".join(type(e).__name__ for e in real_errors) or "-",
                "fetch_ms": fetched_ms,
            },
        )
    return {
        "id": tracker.id,
        "owner": owner,
        "now": now,
        "next_check_at": next_check_at,
        "last_event_at": last_event_at,
        "error_count": errors,
        "has_data": bool(fetch.results) or tracker.has_data,
        "is_tracked": not decision.stops,
        "stop_reason": decision.stop_reason,
    }
