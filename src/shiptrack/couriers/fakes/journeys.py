"""Which sandbox journey a fake carrier plays for a number, and how the carrier shows it.

A number of a fake carrier's format (its ``FakeSpec.recognise``) plays the journey assigned
to it, or the one its selector digit picks (:data:`SELECTORS`); :class:`CarrierJourneys`
plays it with the sandbox scenario engine and rewrites it the way that carrier would report
it (see the package docstring of :mod:`shiptrack.couriers.fakes`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from shiptrack.couriers.connectors.fakesource import JourneySource
from shiptrack.couriers.connectors.fakespec import FakeSpec
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.detection import detect
from shiptrack.couriers.detection.checkdigits import gs1_mod10_check, s10_check
from shiptrack.couriers.fakes.discovery import discover
from shiptrack.couriers.sandbox import numbers as sandbox_numbers
from shiptrack.couriers.sandbox.model import ScenarioError, utc_now
from shiptrack.couriers.sandbox.playback import SandboxTimeout, play
from shiptrack.couriers.sandbox.scenario import resolve
from shiptrack.status.logistics_time import format_as

#: registered scenario ``SBX_<NAME>``).
SELECTORS: dict[int, str] = {
    0: "SHIP24_SAMPLE_PENDING",
    1: "SHIP24_SAMPLE_INFO_RECEIVED",
    2: "SHIP24_SAMPLE_IN_TRANSIT",
    3: "SHIP24_SAMPLE_OUT_FOR_DELIVERY",
    4: "SHIP24_SAMPLE_FAILED_ATTEMPT",
    5: "SHIP24_SAMPLE_AVAILABLE_FOR_PICKUP",
    6: "SHIP24_SAMPLE_DELIVERED",
    7: "SHIP24_SAMPLE_EXCEPTION",
    8: "SBX_REDELIVERY",
    9: "SBX_FLAKY",
}
#: Short names accepted by :meth:`FakeCouriers.number` (``"DELIVERED"``, ``"FLAKY"``…).
JOURNEY_NAMES: dict[str, int] = {
    journey.removeprefix("SHIP24_SAMPLE_").removeprefix("SBX_"): selector
    for selector, journey in SELECTORS.items()
}


def _all_codes() -> frozenset[str]:
    return frozenset().union(*(spec.courier_codes for spec in discover().values()))


def _normalise(number: str) -> str:
    return re.sub(r"[\s-]", "", number).upper()


def carrier_of(number: str) -> str | None:
    """The fake carrier whose format ``number`` has (with a valid check digit), or None."""
    number = _normalise(number)
    for name, spec in discover().items():
        if spec.recognise(number) is not None:
            return name
    return None


def routes_to(spec: FakeSpec, number: str) -> bool:
    """Detection puts this carrier first and no other fake carrier among the engine's picks."""
    candidates = [c for c in detect(number) if c.confidence >= 0.3][:3]
    return (
        bool(candidates)
        and candidates[0].courier_code in spec.courier_codes
        and all(c.courier_code not in _all_codes() - spec.courier_codes for c in candidates)
    )


# --- journeys ----------------------------------------------------------------------------------

#: Set by :mod:`.servers` while a fake handles a request: a scripted timeout asks it to hang.
HANG_REQUEST: contextvars.ContextVar[list[bool]] = contextvars.ContextVar("shiptrack_fake_hang")

_LEG_POSTS = {
    "us-post": "US",
    "gb-post": "GB",
    "de-post": "DE",
    "ca-post": "CA",
    "fr-post": "FR",
    "nl-post": "NL",
    "cn-post": "CN",
    "jp-post": "JP",
    "au-post": "AU",
}


@functools.cache
def expressible(carrier: str) -> frozenset[str]:
    """The Ship24 status codes ``carrier``'s own event codes can say (its status tables)."""
    return discover()[carrier].expressible


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _leg_reference(number: str, courier_code: str | None, leg: int) -> str:
    """A made-up tracking number of a hand-over leg, in the postal operator's format."""
    serial = _digest(f"{number}.{leg}")
    if courier_code == "us-post":
        body = f"92001{serial % 10**16:016d}"
        return f"{body}{gs1_mod10_check(body)}"
    digits = f"{serial % 10**8:08d}"
    country = _LEG_POSTS.get(courier_code or "", "XX")
    return f"LX{digits}{s10_check(digits)}{country}"


class CarrierJourneys:
    """Which sandbox journey each carrier number plays, and the journey sources of the fakes.

    ``source(carrier)`` is the ``JourneySource`` a fake app is built with: ``number →
    TrackingResult | CourierError | None`` (None: not a number of that carrier).
    """

    def __init__(
        self, *, clock: Callable[[], dt.datetime] = utc_now, time_scale: float = 1.0
    ) -> None:
        if time_scale <= 0:
            raise ValueError(f"time_scale must be positive, got {time_scale}")
        self.clock = clock
        self.time_scale = time_scale
        self._assigned: dict[str, str] = {}
        self._started: dict[str, dt.datetime] = {}
        self._checks: Counter[str] = Counter()

    # -- mapping ---------------------------------------------------------------------------

    def assign(self, number: str, journey: str) -> str:
        """Make carrier number ``number`` play sandbox journey ``journey``; the normalised
        number. ``ValueError`` when no fake carrier knows the number or the journey is not a
        valid sandbox number (``docs/sandbox.md``)."""
        number = _normalise(number)
        if carrier_of(number) is None:
            raise ValueError(
                f"{number}: not a number of any fake carrier (see shiptrack.couriers."
                "fakes for the formats)"
            )
        journey = sandbox_numbers.normalise(journey)
        if sandbox_numbers.split_leg(journey)[1]:
            raise ValueError(f"{journey}: give the journey's own number, not a leg's")
        try:
            resolved = resolve(journey)
        except ScenarioError as exc:
            raise ValueError(str(exc)) from None
        if resolved is None:
            raise ValueError(f"{journey}: not a sandbox number (SHIP24_SAMPLE_…, SBX-…, SBX_…)")
        self._assigned[number] = journey
        return number

    def journey_for(self, carrier: str, number: str) -> str | None:
        """The sandbox journey ``carrier``'s fake plays for ``number`` (None: not its format)."""
        number = _normalise(number)
        recognised = discover()[carrier].recognise(number)
        if recognised is None:
            return None
        if number in self._assigned:
            return self._assigned[number]
        journey = SELECTORS[recognised[1]]
        tag = _digest(number)
        if journey.startswith(sandbox_numbers.SAMPLE_PREFIX):
            return f"{journey}_{tag % 1000:03d}"
        return f"{journey}_{tag % 10000:04d}"

    def start(self, number: str, started_at: dt.datetime) -> None:
        """Fix when the carrier learnt of ``number`` (default: the first call about it)."""
        self._started[_normalise(number)] = started_at

    def checks(self, number: str) -> int:
        """Tracking calls that asked about ``number`` so far."""
        return self._checks[_normalise(number)]

    # -- playing ---------------------------------------------------------------------------

    def source(self, carrier: str) -> JourneySource:
        spec = discover()[carrier]

        def answer(number: str) -> TrackingResult | CourierError | None:
            return self.answer(spec, number)

        return answer

    def answer(self, spec: FakeSpec, number: str) -> TrackingResult | CourierError | None:
        number = _normalise(number)
        recognised = spec.recognise(number)
        journey = self.journey_for(spec.name, number)
        if recognised is None or journey is None:
            return None
        now = self.clock()
        started = self._started.setdefault(number, now)
        checks = self._checks[number]
        self._checks[number] += 1
        outcome = play(journey, started, now, checks, self.time_scale)
        if outcome is None:  # cannot happen: journeys are validated sandbox numbers
            return None
        if isinstance(outcome, SandboxTimeout):
            hang = HANG_REQUEST.get(None)
            if hang is not None:
                hang.append(True)
            return outcome
        if isinstance(outcome, CourierError):
            return outcome
        return self._as_carrier(spec, outcome, number, recognised[0], journey, started)

    def _as_carrier(
        self,
        spec: FakeSpec,
        result: TrackingResult,
        number: str,
        courier_code: str,
        journey: str,
        started: dt.datetime,
    ) -> TrackingResult:
        resolved = resolve(journey)
        assert resolved is not None
        scenario = resolved[0]
        anchor = scenario.anchor_time(started)
        references = {
            sandbox_numbers.leg_number(journey, leg): _leg_reference(
                number, scenario.legs[leg].courier_code, leg
            )
            for leg in range(1, len(scenario.legs))
        }
        events = []
        for event in result.events:
            code = event.status_code
            if code and code.startswith("data_") and code not in expressible(spec.name):
                continue  # a carrier with no word for it has no such event
            when = event.occurrence_datetime
            if spec.offsets and event.order is not None and not scenario.shuffle:
                planned = scenario.events[event.order - 1]
                if planned.time_form == "local":
                    when = format_as("offset", anchor + planned.at, planned.utc_offset)
            text = event.status
            for leg_number, reference in references.items():
                text = text.replace(leg_number, reference) if text else text
            events.append(
                replace(
                    event,
                    tracking_number=number,
                    occurrence_datetime=when,
                    status=text,
                    courier_code=courier_code,
                )
            )
        return replace(
            result,
            tracking_number=number,
            courier_code=courier_code,
            events=events,
            linked_numbers=[],
        )
