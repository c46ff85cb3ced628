"""La Poste test fixtures: fixture files and the fake La Poste server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from connector_helpers import ApiKeyFake, Load, fixture_loader, serve_api_key_fake

from shiptrack.couriers.connectors.laposte import LaPosteConnector, LaPosteSettings
from shiptrack.couriers.connectors.laposte.fake import create_app

API_KEY = "test-okapi-key-0123456789"

#: A running fake La Poste server and the journeys it plays.
FakeLaPoste = ApiKeyFake


@pytest.fixture
def laposte_fixture() -> Load:
    """Loads ``tests/connectors/fixtures/laposte/<name>``."""
    return fixture_loader("laposte")


@pytest.fixture
async def fake_laposte(http_session: aiohttp.ClientSession) -> AsyncIterator[FakeLaPoste]:
    async with serve_api_key_fake(
        create_app, LaPosteSettings, LaPosteConnector, api_key=API_KEY, session=http_session
    ) as fake:
        yield fake
