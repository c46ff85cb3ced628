"""The sandbox courier (code ``sandbox``) as a connector: the scenario engine behind the protocol.

It answers for every sandbox number (:func:`is_sandbox_number`), including the numbers of
hand-over legs, whatever courier code the tracker was given. Each call waits ``latency`` seconds
(a real courier's round trip; the benchmark uses 0.2), then plays each number at ``clock()``
from the number's ``hints.tracking_started_at`` (``clock()`` itself when missing: only history
is then visible) and ``hints.previous_checks``.

A scripted timeout comes back at once as ``SandboxTimeout``, a ``CourierUnavailable``: the
engine sees what its own timeout would have produced, without the test waiting for it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence

from shiptrack.couriers.connectors.protocol import (
    ConnectorInfo,
    SourceInfo,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)
from shiptrack.couriers.sandbox.model import utc_now
from shiptrack.couriers.sandbox.numbers import is_sandbox_number
from shiptrack.couriers.sandbox.playback import (
    SOURCE_CODE,
    InvalidSandboxNumber,
    next_reveal_in,
    play,
)
from shiptrack.couriers.sandbox.scenario import number_problem as scenario_number_problem

__all__ = ["SOURCE", "SandboxConnector", "build_sandbox_connector", "is_sandbox_number"]

#: The sandbox as a source (``shiptrack.couriers.coverage``); it also claims its own numbers
#: whatever courier code a tracker names.
SOURCE = SourceInfo(
    name="sandbox",
    title="shiptrack sandbox",
    kind="sandbox",
    source_code=SOURCE_CODE,
    courier_codes=frozenset({"sandbox"}),
    enable="set SHIPTRACK_SANDBOX_ENABLED=true (the default)",
)

log = logging.getLogger("shiptrack.sandbox")

#: Real seconds between two checks of a number at time scale 1, and the floor when scaled.
_MIN_INTERVAL = 60.0
_MIN_INTERVAL_FLOOR = 0.1


class SandboxConnector:
    """Serves Ship24's sample numbers and scripted scenarios (see ``docs/sandbox.md``)."""

    def __init__(
        self,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        time_scale: float = 1.0,
        latency: float = 0.0,
    ) -> None:
        if time_scale <= 0:
            raise ValueError(f"time_scale must be positive, got {time_scale}")
        if latency < 0:
            raise ValueError(f"latency must be zero or positive, got {latency}")
        self.clock = clock
        self.time_scale = time_scale
        self.latency = latency
        self.info = ConnectorInfo(
            source_code=SOURCE.source_code,
            courier_codes=SOURCE.courier_codes,
            batch_size=100,
            # A journey sped up 3600 times must be checkable every 0.1 s, not every minute.
            min_interval=max(_MIN_INTERVAL_FLOOR, _MIN_INTERVAL / time_scale),
            rate_limit=1000.0,
            timeout=20.0,
            kind="sandbox",
            time_scale=time_scale,
        )

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        if self.latency:
            await asyncio.sleep(self.latency)
        now = self.clock()
        outcomes: dict[str, TrackOutcome] = {}
        for number in numbers:
            hint = hints.get(number) or TrackingHints()
            outcome = play(
                number,
                hint.tracking_started_at or now,
                now,
                hint.previous_checks,
                self.time_scale,
            )
            if outcome is None:
                outcome = TrackingNumberNotFound("not a sandbox number")
            elif isinstance(outcome, InvalidSandboxNumber) and not hint.previous_checks:
                # Once per tracker (its first check): the number will never show events.
                log.warning(
                    "invalid sandbox number",
                    extra={"tracking_number": number, "reason": str(outcome)},
                )
            outcomes[number] = outcome
        return outcomes

    def claims(self, tracking_number: str) -> bool:
        return is_sandbox_number(tracking_number)

    def check_again_in(self, tracking_number: str, started_at: dt.datetime) -> float | None:
        """Real seconds until the number's next event appears (None: nothing left to reveal)."""
        return next_reveal_in(tracking_number, started_at, self.clock(), self.time_scale)

    def number_problem(self, tracking_number: str) -> str | None:
        """Why a number in the sandbox's form breaks its scenario grammar (None if it does not)."""
        return scenario_number_problem(tracking_number)

    async def aclose(self) -> None:
        return None


def build_sandbox_connector(
    *,
    clock: Callable[[], dt.datetime] | None = None,
    time_scale: float = 1.0,
    latency: float = 0.0,
) -> SandboxConnector:
    """The sandbox connector; ``clock`` (aware UTC) defaults to the system clock."""
    return SandboxConnector(clock=clock or utc_now, time_scale=time_scale, latency=latency)
