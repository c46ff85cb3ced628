"""Upstream sources end to end: API → engine → upstream connector → HTTP → fake provider,
and the provider's pushes → HTTP → shiptrack's callback endpoint (a real uvicorn server on
127.0.0.1 serving the test's app). Runs on SQLite and PostgreSQL (the ``client`` fixture).

The fake providers play the sandbox journeys of fake carrier numbers; their journey clock is a
test clock, so a journey moves on only when a test says so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import itertools
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from aiohttp import web

from shiptrack.app import create_app
from shiptrack.config import Settings
from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE, UpstreamFakeState
from shiptrack.couriers.connectors.keepalive import Origin
from shiptrack.couriers.fakes import FORMATS, CarrierJourneys
from shiptrack.couriers.fakes.aggregators import aggregator_source

UPSTREAMS = ("ship24", "track17", "aftership", "trackingmore")
ENV_PREFIX = {
    "ship24": "SHIPTRACK_SHIP24_",
    "track17": "SHIPTRACK_17TRACK_",
    "aftership": "SHIPTRACK_AFTERSHIP_",
    "trackingmore": "SHIPTRACK_TRACKINGMORE_",
}
API_KEY = "fake-upstream-key"
WEBHOOK_SECRET = "fake-upstream-webhook-secret"
_SERIALS = itertools.count(1)


class TestClock:
    __test__ = False

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def usps_number(selector: int) -> str:
    """A new fake USPS number whose selector digit picks its journey (6 DELIVERED...)."""
    return FORMATS["usps"].make(next(_SERIALS) + 500_000, selector)


def create_fake(name: str, journeys: CarrierJourneys) -> web.Application:
    fake = importlib.import_module(f"shiptrack.couriers.connectors.{name}.fake")
    return fake.create_app(  # type: ignore[no-any-return]
        aggregator_source(journeys), api_key=API_KEY, webhook_secret=WEBHOOK_SECRET
    )


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def journeys(clock: TestClock) -> CarrierJourneys:
    return CarrierJourneys(clock=clock)


@pytest.fixture(params=UPSTREAMS)
def upstream(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def provider(upstream: str, journeys: CarrierJourneys) -> AsyncIterator[Any]:
    """The fake provider's app, running on 127.0.0.1; ``.url`` is its origin."""
    app = create_fake(upstream, journeys)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    app_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield Provider(upstream, app, app_url)
    finally:
        await runner.cleanup()


class Provider:
    def __init__(self, name: str, app: web.Application, url: str) -> None:
        self.name, self.app, self.url = name, app, url

    @property
    def state(self) -> UpstreamFakeState:
        return self.app[UPSTREAM_FAKE]


@pytest.fixture
def upstream_env(provider: Provider, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    prefix = ENV_PREFIX[provider.name]
    env = {
        f"{prefix}BASE_URL": provider.url,
        f"{prefix}API_KEY": API_KEY,
        f"{prefix}WEBHOOK_SECRET": WEBHOOK_SECRET,
        f"{prefix}RATE_LIMIT": "1000",
        f"{prefix}MIN_INTERVAL": "0",
        f"{prefix}TIMEOUT": "3",
        "SHIPTRACK_SOURCES_SWEEP_SECONDS": "3600",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
async def app(database_url: str, upstream_env: dict[str, str]) -> AsyncIterator[Any]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        rate_limits_enabled=False,
        engine_idle_poll_seconds=0.05,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def callback_base(app: Any) -> AsyncIterator[str]:
    """The app served over real HTTP on 127.0.0.1 (its lifespan already runs): the origin."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(autouse=True)
async def _upstream_connections(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """The connections of every upstream connector a test built are closed after it (the app
    closes its own; a connector a test builds by hand is not closed by the test)."""
    opened: list[Origin] = []
    made = Origin.__init__

    def noted(self: Origin, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(Origin, "__init__", noted)
    yield
    for origin in opened:
        origin.close()
    await asyncio.sleep(0)  # let the transports finish closing


def sent_times(connector: Any, path: str) -> list[float]:
    """When each request of ``connector`` whose path contains ``path`` left its client (after
    its slot and its place among the calls in flight)."""
    sent: list[float] = []
    origin = connector._http
    request = origin.request

    async def noted(method: str, target: str, **kwargs: Any) -> Any:
        if path in target:
            sent.append(time.monotonic())
        return await request(method, target, **kwargs)

    origin.request = noted
    return sent
