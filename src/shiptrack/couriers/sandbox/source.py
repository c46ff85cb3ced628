"""Sandbox journeys as a fake courier server's journey source.

A fake courier server asks "what do you know about this number now?" with nothing else: no
tracking start, no check count. :class:`JourneySource` remembers both — a journey starts the
first time any of its numbers is asked about (its legs share that start), and each number's
checks are counted — and answers with :func:`~shiptrack.couriers.sandbox.playback.play`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.sandbox import numbers
from shiptrack.couriers.sandbox.model import utc_now
from shiptrack.couriers.sandbox.playback import play


class JourneySource:
    """``source(number) -> TrackingResult | CourierError | None`` (None: not a sandbox number)."""

    def __init__(
        self, *, clock: Callable[[], dt.datetime] = utc_now, time_scale: float = 1.0
    ) -> None:
        self.clock = clock
        self.time_scale = time_scale
        self._started: dict[str, dt.datetime] = {}
        self._checks: Counter[str] = Counter()

    def start(self, journey_number: str, started_at: dt.datetime) -> None:
        """Fix when a journey started (e.g. the tracker's creation) instead of its first call."""
        self._started[numbers.split_leg(journey_number)[0]] = started_at

    def __call__(self, number: str) -> TrackingResult | CourierError | None:
        number = numbers.normalise(number)
        now = self.clock()
        started = self._started.setdefault(numbers.split_leg(number)[0], now)
        checks = self._checks[number]
        self._checks[number] += 1
        return play(number, started, now, checks, self.time_scale)
