"""DHL test fixtures: fixture files, a client session, and the fake DHL server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import web

from shiptrack.couriers.connectors.dhl import DhlConnector, DhlSettings
from shiptrack.couriers.connectors.dhl.fake import create_app
from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "dhl"
API_KEY = "test-dhl-key-0123456789"


@pytest.fixture
def dhl_fixture() -> Callable[[str], Any]:
    """Loads ``tests/connectors/fixtures/dhl/<name>``."""
    return lambda name: orjson.loads((FIXTURES / name).read_bytes())


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@dataclass
class FakeDhl:
    """A running fake DHL server and the journeys it plays."""

    url: str
    app: web.Application
    session: aiohttp.ClientSession
    journeys: dict[str, TrackingResult | CourierError] = field(default_factory=dict)
    api_key: str = API_KEY

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]

    def settings(self, **overrides: Any) -> DhlSettings:
        values: dict[str, Any] = {"api_key": API_KEY, "base_url": self.url, "timeout": 5.0}
        values.update(overrides)
        return DhlSettings(_env_file=None, **values)  # type: ignore[call-arg]

    def connector(self, **overrides: Any) -> DhlConnector:
        return DhlConnector(self.settings(**overrides), self.session)


@pytest.fixture
async def fake_dhl(session: aiohttp.ClientSession) -> AsyncIterator[FakeDhl]:
    journeys: dict[str, TrackingResult | CourierError] = {}
    app = create_app(journeys.get, api_key=API_KEY)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield FakeDhl(f"http://{host}:{port}", app, session, journeys)
    finally:
        await runner.cleanup()
