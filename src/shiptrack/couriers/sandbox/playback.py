"""What a sandbox number shows at a given moment: the scenario engine, pure and on its own.

:func:`play` is all a caller needs — the sandbox connector, and the fake courier servers that
replay the same journeys in each carrier's own wire format. Given the same arguments it always
answers the same thing.

Time: ``time_scale`` simulated seconds pass per real second since ``started_at``. A scripted
event at 1 day after the start is visible from ``started_at + 86400 s / time_scale`` on, and it
*says* it happened 1 day after the start (its ``occurrenceDatetime``, in the place's local
time). Sample journeys are history: all visible at once, whatever the scale.

Faults (scripted per check, for the journey's own number only; leg numbers always answer)::

    NF    TrackingNumberNotFound      the courier does not know the number yet (HTTP 404)
    TO    SandboxTimeout              a subclass of CourierUnavailable, returned at once; a
                                      fake HTTP server should hang past its client's timeout
    SE    CourierUnavailable          HTTP 503, retry_after from R<seconds> if given
    RL    CourierRateLimited          HTTP 429, retry_after from R<seconds> (default 30)
    BAD   CourierResponseInvalid      a malformed body
    AUTH  CourierAuthError            HTTP 401

``retry_after`` is in real seconds, unscaled: it is what the courier said.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import replace

from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.sandbox import numbers
from shiptrack.couriers.sandbox.model import (
    EtaWindow,
    Fault,
    PlannedEvent,
    Scenario,
    ScenarioError,
    as_utc,
)
from shiptrack.couriers.sandbox.scenario import resolve
from shiptrack.status.logistics_time import format_as

__all__ = [
    "SOURCE_CODE",
    "InvalidSandboxNumber",
    "SandboxTimeout",
    "fault_error",
    "next_reveal_in",
    "play",
]

#: ``sourceCode`` of every sandbox event.
SOURCE_CODE = "sandbox"

_RECIPIENTS = ("A MORGAN", "J CHEN", "S OKAFOR", "L BERNARD", "K TANAKA", "P NOWAK")


class SandboxTimeout(CourierUnavailable):
    """A scripted timeout: the courier did not answer in time."""


class InvalidSandboxNumber(TrackingNumberNotFound):
    """A number in the sandbox's form that breaks the scenario grammar; the message says why."""


def fault_error(fault: Fault, check: int) -> CourierError:
    """The typed error a scripted fault answers with."""
    if fault.kind == "NF":
        return TrackingNumberNotFound(f"sandbox: not found yet (scripted, check {check})")
    if fault.kind == "TO":
        return SandboxTimeout("timeout")
    if fault.kind == "SE":
        return CourierUnavailable("HTTP 503 Service Unavailable", retry_after=fault.retry_after)
    if fault.kind == "RL":
        # Scripted for one number: other sandbox numbers are not held back.
        return CourierRateLimited(
            "HTTP 429 Too Many Requests", retry_after=fault.retry_after, courier_wide=False
        )
    if fault.kind == "BAD":
        return CourierResponseInvalid("malformed body: expected JSON, got '<html><body>Bad Gat'")
    return CourierAuthError("HTTP 401 Unauthorized")


def _simulated_now(started_at: dt.datetime, now: dt.datetime, time_scale: float) -> dt.datetime:
    if time_scale <= 0:
        raise ValueError(f"time_scale must be positive, got {time_scale}")
    started_at = as_utc(started_at)
    elapsed = max(0.0, (as_utc(now) - started_at).total_seconds())
    return started_at + dt.timedelta(seconds=elapsed * time_scale)


def play(
    number: str,
    started_at: dt.datetime,
    now: dt.datetime,
    previous_checks: int = 0,
    time_scale: float = 1.0,
) -> TrackingResult | CourierError | None:
    """What the sandbox courier answers for ``number`` at ``now``.

    ``started_at`` is when tracking started (the tracker's creation), ``previous_checks`` how
    many times the number was checked before (it picks the scripted fault), ``time_scale`` the
    simulated seconds per real second. Returns None for a number that is not the sandbox's,
    ``TrackingNumberNotFound`` while no event is visible yet or for an invalid sandbox number
    (the message says why), a scripted fault's error, or the visible part of the journey.
    """
    try:
        resolved = resolve(number)
    except ScenarioError as exc:
        return InvalidSandboxNumber(f"sandbox: {exc}")
    if resolved is None:
        return None
    scenario, journey, leg = resolved
    if leg == 0 and (fault := scenario.fault_at(previous_checks)) is not None:
        return fault_error(fault, previous_checks)

    anchor = scenario.anchor_time(started_at)
    sim_now = _simulated_now(started_at, now, time_scale)
    revealed = [anchor + e.reveal_at <= sim_now for e in scenario.events]
    legs = {leg} if leg or scenario.split_legs else set(range(len(scenario.legs)))
    in_scope = [pair for pair in zip(scenario.events, revealed, strict=True) if pair[0].leg in legs]
    visible = [(order, e) for order, (e, seen) in enumerate(in_scope, 1) if seen]
    if not visible:
        return TrackingNumberNotFound("sandbox: no events yet")

    repeat = 2 if scenario.duplicate_all else 1
    # Each leg's number and courier, worked out once for all of its events.
    leg_numbers = [numbers.leg_number(journey, k) for k in range(len(scenario.legs) + 1)]
    couriers = [leg.courier_code for leg in scenario.legs]
    listing = [
        _courier_event(e, order, anchor, leg_numbers, couriers)
        for order, e in visible
        for _ in range(e.copies * repeat)
    ]
    if scenario.shuffle:
        listing = [replace(e, order=None) for e in listing]
        random.Random(f"{journey}:{len(visible)}").shuffle(listing)
    else:
        listing.reverse()  # newest first, as most couriers list them

    delivered = any(e.status_code == "delivery_delivered" for _, e in visible)
    eta = _eta(scenario.eta, anchor)
    return TrackingResult(
        tracking_number=numbers.leg_number(journey, leg),
        courier_code=scenario.legs[leg].courier_code,
        source_code=SOURCE_CODE,
        events=listing,
        origin_country_code=scenario.origin_country_code,
        destination_country_code=scenario.destination_country_code,
        estimated_delivery=eta[1] if eta else None,
        estimated_delivery_from=eta[0] if eta else None,
        estimated_delivery_to=eta[1] if eta else None,
        service=scenario.legs[leg].service,
        signed_by=(scenario.signed_by or _recipient(journey)) if delivered else None,
        linked_numbers=_linked(scenario, journey, legs, revealed),
        recipient_post_code=scenario.recipient_post_code,
        recipient_city=scenario.recipient_city,
    )


def next_reveal_in(
    number: str, started_at: dt.datetime, now: dt.datetime, time_scale: float = 1.0
) -> float | None:
    """Real seconds until the journey's next event becomes visible; None when none is left
    (or the number is not a valid sandbox number). Lets a scheduler check exactly then."""
    try:
        resolved = resolve(number)
    except ScenarioError:
        return None
    if resolved is None:
        return None
    scenario = resolved[0]
    anchor = scenario.anchor_time(started_at)
    sim_now = _simulated_now(started_at, now, time_scale)
    pending = [anchor + e.reveal_at for e in scenario.events if anchor + e.reveal_at > sim_now]
    if not pending:
        return None
    return (min(pending) - sim_now).total_seconds() / time_scale


def _courier_event(
    planned: PlannedEvent,
    order: int,
    anchor: dt.datetime,
    leg_numbers: list[str],
    couriers: list[str],
) -> CourierEvent:
    """A planned event as the courier lists it; ``leg_numbers[k]`` is leg k's number (one
    more than the legs: a hand-over's text names the next leg's), ``couriers[k]`` its
    courier."""
    text = planned.status
    if "{" in text:
        text = text.replace("{leg_number}", leg_numbers[planned.leg + 1])
    return CourierEvent(
        leg_numbers[planned.leg],
        format_as(planned.time_form, anchor + planned.at, planned.utc_offset),
        text,
        planned.status_code,
        planned.location,
        couriers[planned.leg],
        SOURCE_CODE,
        planned.carrier_status_code,
        order,
    )


def _linked(
    scenario: Scenario, journey: str, legs: set[int], revealed: list[bool]
) -> list[LinkedTrackingNumber]:
    """Leg k+1's number, for each reported leg k whose last event (the hand-over) is visible."""
    last_of_leg = {e.leg: i for i, e in enumerate(scenario.events)}
    return [
        LinkedTrackingNumber(numbers.leg_number(journey, k + 1), scenario.legs[k + 1].courier_code)
        for k in sorted(legs)
        if k + 1 < len(scenario.legs) and revealed[last_of_leg[k]]
    ]


def _eta(window: EtaWindow | None, anchor: dt.datetime) -> tuple[str, str] | None:
    """The window as local wall clocks, on the hour (couriers promise hours, not minutes)."""
    if window is None:
        return None
    start, end = (
        format_as("local", (anchor + at).replace(minute=0, second=0), window.utc_offset)
        for at in (window.start, window.end)
    )
    return start, end


def _recipient(journey: str) -> str:
    digest = hashlib.sha256(journey.encode()).digest()
    return _RECIPIENTS[digest[0] % len(_RECIPIENTS)]
