"""What the fake upstream providers' servers share (for tests and demos).

Each provider's ``fake.py`` (``couriers/connectors/<upstream>/fake.py``) speaks that
provider's protocol on 127.0.0.1 and keeps an ``UpstreamFakeState`` (``app[UPSTREAM_FAKE]``):
its registrations (what shiptrack registered and stopped), call counters per kind
(``register``, ``poll``, ``stop``, ``probe``) and a fault switch. A fake *pushes* when told to
(``push``): it renders its webhook for a number as the provider would, signs it with the
provider's scheme and POSTs it to shiptrack's callback URL. All four at once, playing the fake
carriers' journeys: ``shiptrack.couriers.fakes.aggregators``.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from shiptrack.couriers.connectors.fakesource import (
    Fault,
    FaultSwitch,
    JourneySource,
    call_failure,
    look_up,
    retry_after_headers,
)
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult


@dataclass(slots=True)
class FakeRegistration:
    id: str
    number: str
    courier: str
    active: bool = True
    #: Every courier code it was created with, when the provider keeps several (Ship24's
    #: ``courierCode`` list; empty: just ``courier``).
    codes: tuple[str, ...] = ()


@dataclass(slots=True)
class RateWindows:
    """A provider's per-endpoint limits, counted in one-second windows (as AfterShip and
    Ship24 document them): ``endpoint → calls a second``; an endpoint not named has none."""

    limits: Mapping[str, int] = field(default_factory=dict)
    #: endpoint → (the window's second, calls in it).
    used: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: endpoint → the most calls admitted in one window; and the calls refused with 429.
    peak: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)

    def admit(self, endpoint: str) -> tuple[bool, int, int, int]:
        """Count a call: ``(admitted, limit, remaining, reset)`` — ``reset`` is the Unix time
        its window ends."""
        limit = self.limits.get(endpoint, 0)
        now = int(time.time())
        if not limit:
            return True, 0, 0, now + 1
        second, used = self.used.get(endpoint, (now, 0))
        used = used + 1 if second == now else 1
        self.used[endpoint] = (now, used)
        if used > limit:
            self.refused[endpoint] += 1
            return False, limit, 0, now + 1
        self.peak[endpoint] = max(self.peak[endpoint], used)
        return True, limit, limit - used, now + 1


def enforced_limits(
    documented: Mapping[str, float], limits: Mapping[str, float] | None = None
) -> RateWindows:
    """The windows a fake enforces: ``limits`` (endpoint → calls a second; ``{}`` for none),
    else the provider's ``documented`` ones (its settings class's ``documented_limits``)."""
    chosen = documented if limits is None else limits
    return RateWindows({name: max(1, int(rate)) for name, rate in chosen.items() if rate > 0})


def scaled_limits(documented: Mapping[str, float], factor: float) -> dict[str, float]:
    """``documented`` times ``factor`` (``shiptrack fake-couriers --upstream-limits 10x``);
    a factor of 0 is no limit at all (``{}``)."""
    if factor <= 0:
        return {}
    return {name: max(1.0, float(int(rate * factor))) for name, rate in documented.items()}


@dataclass(slots=True)
class UpstreamFakeState:
    """What a fake provider holds; tests reach it through ``app[UPSTREAM_FAKE]``."""

    source: JourneySource
    api_key: str
    webhook_secret: str
    faults: FaultSwitch = field(default_factory=FaultSwitch)
    #: The provider's documented per-endpoint limits, enforced (``create_app(limits=...)``).
    rates: RateWindows = field(default_factory=RateWindows)
    registrations: dict[str, FakeRegistration] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    #: How many times each number was registered (created or re-activated).
    registered: Counter[str] = field(default_factory=Counter)
    stopped: Counter[str] = field(default_factory=Counter)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    #: number → its latest registration (``find`` in constant time: a benchmark registers
    #: thousands).
    _latest: dict[str, FakeRegistration] = field(default_factory=dict)

    def key_ok(self, given: str | None) -> bool:
        import secrets

        return given is not None and secrets.compare_digest(given.encode(), self.api_key.encode())

    def find(self, number: str) -> FakeRegistration | None:
        """The registration of ``number`` (the latest one), active or not."""
        return self._latest.get(number)

    def register(self, number: str, courier: str = "") -> tuple[FakeRegistration, bool]:
        """``(registration, created)``: an active registration of the number is returned as
        it is (``created`` False: the provider's "already registered")."""
        existing = self.find(number)
        if existing is not None and existing.active:
            return existing, False
        registration = FakeRegistration(uuid.uuid4().hex[:24], number, courier)
        self.registrations[registration.id] = registration
        self._latest[number] = registration
        self.registered[number] += 1
        return registration, True

    def stop(self, registration: FakeRegistration) -> None:
        registration.active = False
        self.stopped[registration.number] += 1

    def active_numbers(self) -> list[str]:
        return [r.number for r in self.registrations.values() if r.active]


UPSTREAM_FAKE = web.AppKey("shiptrack_upstream_fake", UpstreamFakeState)

#: ``(state, numbers) → (headers, body)``: a provider's signed webhook for those numbers.
PushRenderer = Callable[[UpstreamFakeState, list[str]], tuple[dict[str, str], bytes]]
PUSH_RENDERER = web.AppKey("shiptrack_upstream_push", PushRenderer)


def upstream_app(
    state: UpstreamFakeState, render: PushRenderer, *routes: web.RouteDef
) -> web.Application:
    app = web.Application()
    app[UPSTREAM_FAKE] = state
    app[PUSH_RENDERER] = render
    app.add_routes(routes)
    return app


#: ``(limit, reset Unix time) → response``: a provider's 429 in its own words and headers.
Throttle = Callable[[int, int], web.Response]


def admit(
    request: web.Request,
    call: str,
    key: str | None,
    refuse: Callable[[], web.Response],
    fail: Callable[[Fault], web.Response],
    *,
    endpoint: str = "",
    throttle: Throttle | None = None,
) -> web.Response | None:
    """The answer that stops a call before its handler — ``refuse()`` for a wrong key,
    ``throttle`` (the provider's own 429) past the ``endpoint``'s limit in
    ``state.rates``, an injected fault rendered by ``fail`` — or None; counts the call (as
    ``call``) once the key is accepted and the limit allowed it."""
    state = request.app[UPSTREAM_FAKE]
    if not state.key_ok(key):
        return refuse()
    if throttle is not None:
        admitted, limit, _, reset = state.rates.admit(endpoint)
        if not admitted:
            return throttle(limit, reset)
    state.calls[call] += 1
    fault = state.faults.take()
    return fail(fault) if fault is not None else None


def polled(
    state: UpstreamFakeState, numbers: list[str]
) -> tuple[list[tuple[FakeRegistration, TrackingResult | CourierError]], Fault | None]:
    """A poll of ``numbers``: each actively registered one with what its journey says now
    (the others are left out, as the providers' batch reads do), or the whole-call fault a
    journey scripted."""
    found = []
    for number in dict.fromkeys(numbers):
        registration = state.find(number)
        if registration is None or not registration.active:
            continue
        outcome = look_up(state.source, number)
        failure = call_failure([outcome])
        if failure is not None:
            return [], failure
        found.append((registration, outcome))
    return found, None


def signed(app: web.Application, numbers: list[str]) -> tuple[dict[str, str], bytes]:
    """The provider's signed webhook for ``numbers``: ``(headers, body)``."""
    headers, body = app[PUSH_RENDERER](app[UPSTREAM_FAKE], numbers)
    return {**headers, "Content-Type": "application/json"}, body


async def deliver(url: str, headers: Mapping[str, str], body: bytes) -> tuple[int, Any]:
    """POST a webhook to ``url`` (shiptrack's callback): the answer's status and JSON."""
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=dict(headers)) as response:
            return response.status, await response.json(content_type=None)


async def push(app: web.Application, numbers: list[str], url: str) -> tuple[int, Any]:
    """Render, sign and deliver the provider's webhook for ``numbers`` to ``url``."""
    headers, body = signed(app, numbers)
    return await deliver(url, headers, body)


def json_response(body: object, status: int = 200) -> web.Response:
    import orjson

    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")


def meta_fault(fault: Fault) -> web.Response:
    """An injected fault in the ``{"meta", "data"}`` envelope of AfterShip and TrackingMore."""
    if fault.malformed:
        return web.Response(body=b'{"meta": {', content_type="application/json")
    body = {"meta": {"code": fault.status, "message": "Injected fault."}, "data": {}}
    response = json_response(body, status=fault.status)
    response.headers.update(retry_after_headers(fault))
    return response
