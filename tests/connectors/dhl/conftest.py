"""DHL test fixtures: fixture files and the fake DHL server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from connector_helpers import ApiKeyFake, Load, fixture_loader, serve_api_key_fake

from shiptrack.couriers.connectors.dhl import DhlConnector, DhlSettings
from shiptrack.couriers.connectors.dhl.fake import create_app

API_KEY = "test-dhl-key-0123456789"

#: A running fake DHL server and the journeys it plays.
FakeDhl = ApiKeyFake


@pytest.fixture
def dhl_fixture() -> Load:
    """Loads ``tests/connectors/fixtures/dhl/<name>``."""
    return fixture_loader("dhl")


@pytest.fixture
async def fake_dhl(http_session: aiohttp.ClientSession) -> AsyncIterator[FakeDhl]:
    async with serve_api_key_fake(
        create_app, DhlSettings, DhlConnector, api_key=API_KEY, session=http_session
    ) as fake:
        yield fake
