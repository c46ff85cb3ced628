"""FedEx settings: environment variables, sandbox switch, base-URL override, factory."""

from __future__ import annotations

import aiohttp
import pytest
from oauth_carrier_tests import OAuthSettingsTests

from shiptrack.couriers.connectors import fedex
from shiptrack.couriers.connectors.fedex.settings import FedexSettings


class TestFedexSettings(OAuthSettingsTests):
    """The shared tests (``oauth_carrier_tests``) with FedEx's ``carrier`` (conftest.py)."""

    async def test_batch_size_is_thirty(self, clean_env: pytest.MonkeyPatch) -> None:
        async with aiohttp.ClientSession() as session:
            settings = FedexSettings(client_id="key", client_secret="s3cret")
            connector = fedex.build(settings, session)
            assert connector is not None
            assert connector.info.batch_size == 30
            assert connector.info.source_code == "fedex-tracking"
