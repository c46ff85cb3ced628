"""The running fake carrier servers: start them, point shiptrack at them, inject faults.

:func:`start_fake_couriers` starts every discovered fake (:mod:`.discovery`) on 127.0.0.1,
one port each, fed by one :class:`~.journeys.CarrierJourneys`; :class:`FakeCouriers` is what
tests and ``shiptrack fake-couriers`` hold.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState
from shiptrack.couriers.connectors.fakespec import FakeSpec
from shiptrack.couriers.fake_ports import DEFAULT_BASE_PORT
from shiptrack.couriers.fakes.discovery import discover
from shiptrack.couriers.fakes.journeys import (
    HANG_REQUEST,
    JOURNEY_NAMES,
    SELECTORS,
    CarrierJourneys,
    routes_to,
)
from shiptrack.couriers.sandbox.model import utc_now


@dataclass(slots=True)
class HangSwitch:
    """Makes the next requests to one fake hang (then answer 504)."""

    seconds: float = 0.0
    remaining: int | None = None

    def set(self, seconds: float, times: int | None = None) -> None:
        self.seconds, self.remaining = seconds, times

    def clear(self) -> None:
        self.seconds, self.remaining = 0.0, None

    def take(self) -> float:
        seconds = self.seconds
        if seconds and self.remaining is not None:
            self.remaining -= 1
            if self.remaining <= 0:
                self.clear()
        return seconds


@dataclass(slots=True)
class FakeCarrier:
    """One running fake carrier server."""

    name: str
    url: str
    app: web.Application
    #: ``{"client_id", "client_secret"}`` (USPS, UPS, FedEx), ``{"api_key"}`` (DHL, La Poste,
    #: InPost, PostNord), plus ``api_uid`` (Bring) or ``password`` and ``account_number``
    #: (Australia Post).
    credentials: dict[str, str]
    runner: web.AppRunner | None = None
    hang: HangSwitch = field(default_factory=HangSwitch)
    #: HTTP statuses answered so far, token requests included (``statuses[401]``: how many
    #: calls came with an expired or unknown token).
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]


def _hang_middleware(carrier: FakeCarrier, hang_seconds: float) -> Callable[..., object]:
    @web.middleware
    async def hang(request: web.Request, handler: Callable[..., object]) -> web.StreamResponse:
        seconds = carrier.hang.take()
        if seconds:
            await asyncio.sleep(seconds)
            carrier.statuses[504] += 1
            return web.json_response({"error": "gateway timeout"}, status=504)
        requested: list[bool] = []
        token = HANG_REQUEST.set(requested)
        try:
            response = await handler(request)  # type: ignore[operator]
        finally:
            HANG_REQUEST.reset(token)
        carrier.statuses[response.status] += 1  # type: ignore[attr-defined]
        if requested:  # a scripted timeout: answer (503) only after the client gave up
            await asyncio.sleep(hang_seconds)
        return response  # type: ignore[return-value]

    return hang


_ENV_NAMES = {
    "client_id": "CLIENT_ID",
    "client_secret": "CLIENT_SECRET",
    "api_key": "API_KEY",
    "api_uid": "API_UID",
    "password": "PASSWORD",
    "account_number": "ACCOUNT_NUMBER",
}
#: Relaxed limits for the fakes (they have no quota): calls per second, seconds per number.
RELAXED_RATE_LIMIT = 50.0
RELAXED_MIN_INTERVAL = 60.0


class FakeCouriers:
    """The running fake carriers; from :func:`start_fake_couriers`."""

    def __init__(
        self, carriers: Mapping[str, FakeCarrier], journeys: CarrierJourneys, hang_seconds: float
    ) -> None:
        self.carriers = dict(carriers)
        self.journeys = journeys
        self.hang_seconds = hang_seconds
        self._serials = itertools.count(1)

    @property
    def urls(self) -> dict[str, str]:
        """Carrier → origin URL (``http://127.0.0.1:8801``)."""
        return {name: carrier.url for name, carrier in self.carriers.items()}

    @property
    def credentials(self) -> dict[str, dict[str, str]]:
        """Carrier → the fake credentials it accepts."""
        return {name: dict(carrier.credentials) for name, carrier in self.carriers.items()}

    def env(self, *, relaxed_limits: bool = False) -> dict[str, str]:
        """``SHIPTRACK_<CARRIER>_BASE_URL`` and the credential variables that point shiptrack's
        connectors at the fakes. ``relaxed_limits`` adds ``_RATE_LIMIT`` and ``_MIN_INTERVAL``
        values that lift the real carriers' quotas (USPS: 60 calls an hour), which the fakes
        do not have."""
        env: dict[str, str] = {}
        for name, carrier in self.carriers.items():
            prefix = f"SHIPTRACK_{name.upper()}_"
            env[f"{prefix}BASE_URL"] = carrier.url
            for key, value in carrier.credentials.items():
                env[f"{prefix}{_ENV_NAMES[key]}"] = value
            if relaxed_limits:
                env[f"{prefix}RATE_LIMIT"] = f"{RELAXED_RATE_LIMIT:g}"
                env[f"{prefix}MIN_INTERVAL"] = f"{RELAXED_MIN_INTERVAL:g}"
        return env

    # -- numbers and journeys ----------------------------------------------------------------

    def number(self, carrier: str, journey: str | int = "DELIVERED") -> str:
        """A new number of ``carrier``'s format (valid check digit, detected as that carrier)
        that plays ``journey``: a selector digit, a name of :data:`JOURNEY_NAMES`
        (``"DELIVERED"``, ``"FLAKY"``…), or any sandbox number (then assigned to the number).
        Each call gives a different number."""
        spec = discover()[carrier]
        assign: str | None = None
        if isinstance(journey, int):
            selector = journey
            if selector not in SELECTORS:
                raise ValueError(f"selector {selector}: expected 0-9")
        elif journey.upper() in JOURNEY_NAMES:
            selector = JOURNEY_NAMES[journey.upper()]
        else:
            assign, selector = journey, 6
        for serial in self._serials:
            number = spec.make(serial % spec.serials, selector)
            if routes_to(spec, number):
                break
        if assign is not None:
            self.journeys.assign(number, assign)
        return number

    def assign(self, number: str, journey: str) -> str:
        """Make ``number`` play sandbox ``journey`` (see :meth:`CarrierJourneys.assign`)."""
        return self.journeys.assign(number, journey)

    def start(self, number: str, started_at: dt.datetime) -> None:
        self.journeys.start(number, started_at)

    def examples(self, journeys: Iterable[str] = JOURNEY_NAMES) -> dict[str, dict[str, str]]:
        """Journey name → carrier → a number playing it (fixed numbers: serial 1)."""
        return {
            name: {
                carrier: _first_routed(discover()[carrier], JOURNEY_NAMES[name])
                for carrier in self.carriers
            }
            for name in journeys
        }

    # -- faults ------------------------------------------------------------------------------

    def state(self, carrier: str) -> FakeState:
        """The fake's state: fault switch, token store, request counters."""
        return self.carriers[carrier].state

    def fail(
        self,
        carrier: str,
        *,
        status: int = 503,
        retry_after: str | None = None,
        malformed: bool = False,
        times: int | None = None,
    ) -> None:
        """The next ``times`` tracking calls to ``carrier`` (all until :meth:`clear` when None)
        answer ``status`` (with ``Retry-After``), or a malformed 200 body."""
        self.state(carrier).faults.set(
            status=200 if malformed else status,
            retry_after=retry_after,
            malformed=malformed,
            times=times,
        )

    def hang(self, carrier: str, seconds: float | None = None, times: int | None = None) -> None:
        """The next ``times`` requests to ``carrier`` (all until :meth:`clear`) hang
        ``seconds`` (default ``hang_seconds``) before a 504."""
        self.carriers[carrier].hang.set(self.hang_seconds if seconds is None else seconds, times)

    def clear(self, carrier: str | None = None) -> None:
        """Remove injected faults and hangs (of one carrier, or all)."""
        for name in [carrier] if carrier else list(self.carriers):
            self.carriers[name].state.faults.clear()
            self.carriers[name].hang.clear()

    def expire_tokens(self, carrier: str | None = None) -> None:
        """Expire every token issued so far (the next call with one gets a 401)."""
        for name in [carrier] if carrier else list(self.carriers):
            self.carriers[name].state.tokens.revoke_all()

    # -- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        for carrier in self.carriers.values():
            if carrier.runner is not None:
                await carrier.runner.cleanup()
                carrier.runner = None

    async def __aenter__(self) -> FakeCouriers:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()


def _first_routed(spec: FakeSpec, selector: int) -> str:
    for serial in itertools.count(1):
        number = spec.make(serial % spec.serials, selector)
        if routes_to(spec, number):
            return number
    raise AssertionError("unreachable")


async def start_fake_couriers(
    host: str = "127.0.0.1",
    base_port: int = DEFAULT_BASE_PORT,
    *,
    time_scale: float = 1.0,
    token_lifetime: float = 3600.0,
    hang_seconds: float = 30.0,
    clock: Callable[[], dt.datetime] = utc_now,
    credentials: Mapping[str, Mapping[str, str]] | None = None,
    carriers: Iterable[str] | None = None,
) -> FakeCouriers:
    """Start the fake carriers on ``host`` (``carriers``: all discovered when None), each on
    ``base_port`` + its position in port order: ``usps`` on ``base_port``, ``ups`` on
    ``base_port + 1``, then ``fedex``, ``dhl``, ``laposte``, … (``base_port=0``: free ports).

    ``time_scale`` plays scripted journeys faster (simulated seconds per real second);
    ``token_lifetime`` is how long OAuth tokens stay valid (seconds, server clock);
    ``hang_seconds`` how long a scripted timeout or :meth:`FakeCouriers.hang` hangs.
    """
    journeys = CarrierJourneys(clock=clock, time_scale=time_scale)
    running: dict[str, FakeCarrier] = {}
    try:
        wanted = None if carriers is None else set(carriers)
        for index, (name, spec) in enumerate(discover().items()):
            if wanted is not None and name not in wanted:
                continue
            secrets = dict((credentials or {}).get(name) or spec.credentials)
            app = spec.create_app(journeys.source(name), secrets, token_lifetime)
            carrier = FakeCarrier(name, "", app, secrets)
            app.middlewares.append(_hang_middleware(carrier, hang_seconds))  # type: ignore[arg-type]
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            await runner.setup()
            carrier.runner = runner
            running[name] = carrier
            site = web.TCPSite(runner, host, base_port + index if base_port else 0)
            await site.start()
            port = runner.addresses[0][1]
            shown = f"[{host}]" if ":" in host else host
            carrier.url = f"http://{shown}:{port}"
    except BaseException:
        await FakeCouriers(running, journeys, hang_seconds).aclose()
        raise
    return FakeCouriers(running, journeys, hang_seconds)
