"""Why a tracker is, or is not, being tracked: the sources the engine asks for its number.

The view follows the engine's own routing (``tracking.fetch.plan_route``): the sources that
claim the number (the sandbox's), else those running for the tracker's courier codes, else
(unless the tracker is restricted to its codes) those of the couriers detection finds, each
with its confidence and reason. For every courier it lists the sources that could track it in
this installation, enabled or not, and what to set to enable one — so a tracker that nothing
can track says so instead of staying pending in silence. ``sources`` lists what each source
said at the engine's checks (``tracker_source_outcomes``, written in the refresh's
transaction): ``found``, ``not_found``, ``error``, ``budget_exhausted``, ``waiting_for_push``
or ``no_source``, with the time; ``current`` marks those of the last check.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shiptrack.clock import format_timestamp
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.couriers.coverage import Coverage
from shiptrack.db.engine import Database
from shiptrack.db.source_tables import tracker_source_outcomes as outcomes
from shiptrack.tracking.fetch import NO_SOURCE, Route, numbers_of, plan_route

#: What each outcome means, for people.
OUTCOMES = {
    "found": "has data for the number",
    "not_found": "does not know the number (yet)",
    "error": "could not answer",
    "budget_exhausted": "was not asked: its budget is spent until the refill (next check then)",
    "waiting_for_push": "has the number registered and nothing yet; its push will bring it",
    "no_source": "no running source can track the number",
}


async def source_outcomes(db: Database, tracker_id: str) -> list[dict[str, Any]]:
    """Each source's last outcome for the tracker, newest first (see the module docstring)."""
    async with db.read() as conn:
        rows = (
            await conn.execute(
                select(outcomes)
                .where(outcomes.c.tracker_id == tracker_id)
                .order_by(outcomes.c.checked_at.desc(), outcomes.c.source)
            )
        ).all()
    latest = rows[0].checked_at if rows else None
    return [
        {
            "sourceCode": None if r.source == NO_SOURCE else r.source,
            "outcome": r.outcome,
            "meaning": OUTCOMES.get(r.outcome, r.outcome),
            "detail": r.detail,
            "checkedAt": format_timestamp(r.checked_at),
            "current": r.checked_at == latest,
        }
        for r in rows
    ]


def route_of(tracker: Any, connectors: ConnectorSet) -> Route:
    """The engine's route for the tracker's own number (checked as the engine checks it)."""
    own = numbers_of(tracker, ())[0]
    return plan_route(connectors, own, restrict=tracker.restrict_to_courier)


def _sources(courier_code: str, coverage: Coverage) -> list[dict[str, Any]]:
    return [
        {
            "source": state.info.name,
            "sourceCode": state.info.source_code,
            "kind": state.info.kind,
            "enabled": state.enabled,
            "enable": None if state.enabled else state.info.enable or None,
        }
        for state in coverage.for_courier(courier_code)
    ]


def _explanation(route: Route, couriers: list[dict[str, Any]], restrict: bool) -> str:
    if route.claimed_by:
        names = ", ".join(c.info.source_code for c in route.claimed_by)
        return f"Asked: {names}, which recognises the number as its own."
    if route.connectors:
        return "Asked: " + ", ".join(c.info.source_code for c in route.connectors) + "."
    if not couriers:
        return (
            "The tracker names no courier and detection found none for this number: add its "
            "courierCode (GET /v1/couriers lists them)."
        )
    names = ", ".join(c["courierCode"] for c in couriers)
    could = list(dict.fromkeys(s["source"] for c in couriers for s in c["sources"]))
    fix = (
        f" Enable a source that covers them ({', '.join(could)}: each one's `enable` says "
        "what to set)."
        if could
        else " No source shipped with shiptrack covers them."
    )
    restricted = " The tracker is restricted to its courier codes." if restrict else ""
    return f"No running source can track {names}: the tracker waits.{restricted}{fix}"


def routing_view(
    tracker: Any,
    connectors: ConnectorSet,
    coverage: Coverage,
    sources: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``routing`` of a tracker's diagnostics (see the module's docstring); ``sources`` from
    :func:`source_outcomes`."""
    route = route_of(tracker, connectors)
    couriers: list[dict[str, Any]] = []
    if not route.claimed_by:
        for code in route.courier_codes:
            couriers.append({"courierCode": code, "from": "courierCode"})
        for candidate in route.detected:
            couriers.append(
                {
                    "courierCode": candidate.courier_code,
                    "from": "detection",
                    "confidence": candidate.confidence,
                    "reason": candidate.reason,
                }
            )
        for courier in couriers:
            courier["sources"] = _sources(courier["courierCode"], coverage)
    explanation = _explanation(route, couriers, tracker.restrict_to_courier)
    waiting = [s for s in sources or () if s["current"] and s["outcome"] == "budget_exhausted"]
    if waiting:
        explanation += " Waiting for budget: " + "; ".join(str(s["detail"]) for s in waiting) + "."
    return {
        "claimedBy": [c.info.source_code for c in route.claimed_by],
        "couriers": couriers,
        "asked": [c.info.source_code for c in route.connectors],
        "trackable": bool(route.connectors),
        "explanation": explanation,
        "sources": sources or [],
    }
