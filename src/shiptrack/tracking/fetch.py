"""Fetching: which connectors to ask about which numbers, and asking them concurrently.

For each tracker the numbers are its own plus every number linked to its shipment. A number
goes to the connectors that claim it (the sandbox's), else to those answering for the
tracker's courier codes, else (unless ``restrictTrackingToCourierCode``) to those of the
couriers detection finds plausible. Calls are grouped per connector into its batch size, made
concurrently under its rate limit with a timeout each; one slow or failing courier only holds
up its own numbers. Numbers revealed by the first answers (hand-overs) are asked about in a
second round.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shiptrack.couriers import detection
from shiptrack.couriers.connectors.protocol import (
    BudgetExhausted,
    Connector,
    CourierError,
    CourierRateLimited,
    CourierUnavailable,
    TrackingHints,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
    WaitingForPush,
)
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.tracking import metrics

log = logging.getLogger("shiptrack.engine")

#: Detection candidates below this confidence are not worth a courier call.
MIN_DETECTION_CONFIDENCE = 0.3
MAX_DETECTED_COURIERS = 3


@dataclass(slots=True)
class NumberToCheck:
    number: str
    courier_codes: tuple[str, ...]
    hints: TrackingHints


#: A tracker's outcome with a source when no source can track its number.
NO_SOURCE = "-"


def outcome_of(outcome: TrackOutcome) -> tuple[str, str | None]:
    """``(outcome, detail)`` of one source's answer, as a tracker's diagnostics show it."""
    if isinstance(outcome, TrackingResult):
        return "found", None
    if isinstance(outcome, BudgetExhausted):
        return "budget_exhausted", str(outcome)
    if isinstance(outcome, WaitingForPush):
        return "waiting_for_push", str(outcome)
    if isinstance(outcome, TrackingNumberNotFound):
        return "not_found", str(outcome)
    return "error", f"{type(outcome).__name__}: {outcome}"


@dataclass(slots=True)
class TrackerFetch:
    """What the couriers answered for one tracker."""

    tracker: Any
    results: list[TrackingResult] = field(default_factory=list)
    errors: list[CourierError] = field(default_factory=list)
    connectors: list[Connector] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)
    #: Each source's outcome for the tracker (source code → ``outcome_of``): for its own
    #: number, or "found" for a linked one; ``NO_SOURCE`` when nothing can track it.
    outcomes: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def note(self, source: str, number: str, outcome: TrackOutcome) -> None:
        said = outcome_of(outcome)
        if number == self.tracker.tracking_number or said[0] == "found":
            if said[0] == "found" or self.outcomes.get(source, ("",))[0] != "found":
                self.outcomes[source] = said


@dataclass(frozen=True, slots=True)
class Route:
    """Which connectors a number goes to, and why (a tracker's diagnostics show it)."""

    #: The connectors that claim the number whatever its courier (the sandbox's numbers).
    claimed_by: list[Connector]
    #: The courier codes the tracker gave, and whether detection was asked instead (their
    #: connectors are not running, and the tracker does not restrict itself to them).
    courier_codes: tuple[str, ...]
    detected: list[detection.Candidate]
    connectors: list[Connector]


def plan_route(connectors: ConnectorSet, check: NumberToCheck, *, restrict: bool) -> Route:
    """The engine's routing: the connectors that claim the number; else those of the
    tracker's courier codes; else (unless restricted to those codes) those of the couriers
    detection finds plausible (confidence ≥ ``MIN_DETECTION_CONFIDENCE``, at most
    ``MAX_DETECTED_COURIERS``)."""
    claiming = connectors.claiming(check.number)
    if claiming:
        return Route(claiming, check.courier_codes, [], claiming)
    chosen = connectors.for_codes(check.courier_codes)
    # Ship24 restricts tracking "to the courier codes given, if any": without codes the
    # flag restricts nothing and detection routes the number.
    if chosen or (restrict and check.courier_codes):
        return Route([], check.courier_codes, [], chosen)
    hints = check.hints
    candidates = detection.detect(
        check.number,
        origin_country_code=hints.origin_country_code,
        destination_country_code=hints.destination_country_code,
        destination_post_code=hints.destination_post_code,
    )
    plausible = [c for c in candidates if c.confidence >= MIN_DETECTION_CONFIDENCE][
        :MAX_DETECTED_COURIERS
    ]
    found = connectors.for_codes([c.courier_code for c in plausible])
    return Route([], check.courier_codes, plausible, found)


class RateGate:
    """A connector's call budget: at most ``rate`` calls per second, and no call at all
    before ``blocked_until`` (set from a 429's Retry-After)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_slot = 0.0
        self.blocked_until = 0.0
        #: Why it is blocked (a source's spent budget is reported as such, not as a 429).
        self.blocked_by: CourierRateLimited | None = None

    def blocked_for(self) -> float:
        return max(0.0, self.blocked_until - time.monotonic())

    async def wait(self) -> None:
        now = time.monotonic()
        slot = max(self.next_slot, now)
        self.next_slot = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class Fetcher:
    def __init__(self, connectors: ConnectorSet) -> None:
        self.connectors = connectors
        self._gates: dict[int, RateGate] = {}

    def _gate(self, connector: Connector) -> RateGate:
        gate = self._gates.get(id(connector))
        if gate is None:
            gate = self._gates[id(connector)] = RateGate(connector.info.rate_limit)
        return gate

    def route(self, check: NumberToCheck, *, restrict: bool) -> list[Connector]:
        return plan_route(self.connectors, check, restrict=restrict).connectors

    async def fetch(self, plans: dict[str, tuple[TrackerFetch, list[NumberToCheck], bool]]) -> None:
        """Ask the couriers about every planned number; answers land in each TrackerFetch.

        ``plans`` maps tracker id → (its fetch record, its numbers, restrict flag).
        """
        requests: dict[Connector, dict[str, TrackingHints]] = {}
        wanted: dict[tuple[int, str], list[TrackerFetch]] = {}
        for fetch, numbers, restrict in plans.values():
            for check in numbers:
                if check.number in fetch.asked:
                    continue
                fetch.asked.add(check.number)
                for connector in self.route(check, restrict=restrict):
                    requests.setdefault(connector, {}).setdefault(check.number, check.hints)
                    wanted.setdefault((id(connector), check.number), []).append(fetch)
                    if connector not in fetch.connectors:
                        fetch.connectors.append(connector)
            own = fetch.tracker.tracking_number
            if not fetch.connectors and any(check.number == own for check in numbers):
                # Nothing this installation runs can track the number: say so on every
                # check (the tracker's diagnostics say which source would, and what to set).
                metrics.CHECKS_WITHOUT_SOURCE.inc()
                fetch.outcomes[NO_SOURCE] = ("no_source", None)
                log.info(
                    "no source can track",
                    extra={
                        "tracker": fetch.tracker.id,
                        "tracking_number": own,
                        "courier_codes": ",".join(fetch.tracker.courier_codes),
                    },
                )
        calls = []
        for connector, numbers in requests.items():
            items = list(numbers.items())
            size = max(1, connector.info.batch_size)
            for start in range(0, len(items), size):
                calls.append(self._call(connector, dict(items[start : start + size])))
        for connector, outcomes in await asyncio.gather(*calls):
            for number, outcome in outcomes.items():
                for fetch in wanted.get((id(connector), number), ()):
                    fetch.note(connector.info.source_code, number, outcome)
                    if isinstance(outcome, TrackingResult):
                        fetch.results.append(outcome)
                    else:
                        fetch.errors.append(outcome)
                        metrics.COURIER_ERRORS.labels(
                            connector.info.source_code, outcome.__class__.__name__
                        ).inc()

    async def _call(
        self, connector: Connector, hints: dict[str, TrackingHints]
    ) -> tuple[Connector, dict[str, TrackOutcome]]:
        numbers = list(hints)
        source = connector.info.source_code
        gate = self._gate(connector)
        blocked = gate.blocked_for()
        if blocked:
            error: CourierError = CourierRateLimited(
                f"{source} asked us to wait", retry_after=blocked
            )
            if isinstance(gate.blocked_by, BudgetExhausted):
                error = BudgetExhausted(
                    str(gate.blocked_by),
                    budget=gate.blocked_by.budget,
                    retry_after=blocked,
                    courier_wide=True,
                    refills_at=gate.blocked_by.refills_at,
                )
            metrics.COURIER_CALLS.labels(source, "held_back").inc()
            return connector, dict.fromkeys(numbers, error)
        await gate.wait()
        started = time.monotonic()
        try:
            outcomes = await asyncio.wait_for(
                connector.track(numbers, hints), connector.info.timeout
            )
        except TimeoutError:
            outcomes = dict.fromkeys(
                numbers, CourierUnavailable(f"no answer within {connector.info.timeout:g} s")
            )
        except CourierError as exc:
            outcomes = dict.fromkeys(numbers, exc)
        except Exception as exc:  # a connector bug must not take the engine down
            log.exception("connector failed", extra={"courier": source})
            outcomes = dict.fromkeys(numbers, CourierUnavailable(f"connector error: {exc!r}"))
        for number in numbers:
            outcomes.setdefault(number, CourierUnavailable("connector gave no answer"))
        limited = [
            o for o in outcomes.values() if isinstance(o, CourierRateLimited) and o.courier_wide
        ]
        if limited:
            longest = max(limited, key=lambda o: o.retry_after or 1.0)
            gate.blocked_until = time.monotonic() + (longest.retry_after or 1.0)
            gate.blocked_by = longest
        failed = sum(isinstance(o, CourierError) for o in outcomes.values())
        metrics.COURIER_CALLS.labels(source, "ok" if not failed else "errors").inc()
        log.debug(
            "courier call",
            extra={
                "courier": source,
                "numbers": len(numbers),
                "failed": failed,
                "ms": round((time.monotonic() - started) * 1000),
            },
        )
        return connector, outcomes


def numbers_of(tracker: Any, linked: Sequence[dict[str, Any]]) -> list[NumberToCheck]:
    """The numbers to check for a tracker: its own, then its shipment's linked ones."""
    hints = TrackingHints(
        courier_codes=tuple(tracker.courier_codes),
        origin_country_code=tracker.origin_country_code,
        destination_country_code=tracker.destination_country_code,
        destination_post_code=tracker.destination_post_code,
        shipping_date=tracker.shipping_date,
        tracking_started_at=tracker.created_at,
        previous_checks=tracker.check_count,
    )
    checks = [NumberToCheck(tracker.tracking_number, tuple(tracker.courier_codes), hints)]
    for item in linked:
        number = item.get("tn")
        if number and number != tracker.tracking_number:
            code = item.get("courierCode")
            checks.append(NumberToCheck(number, (code,) if code else (), hints))
    return checks
