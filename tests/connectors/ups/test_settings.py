"""UPS settings: environment variables, sandbox switch, base-URL override, factory."""

from __future__ import annotations

import pytest
from oauth_carrier_tests import OAuthSettingsTests

from shiptrack.couriers.connectors.ups.settings import UpsSettings


class TestUpsSettings(OAuthSettingsTests):
    """The shared tests (``oauth_carrier_tests``) with UPS's ``carrier`` (conftest.py)."""

    def test_merchant_id_and_transaction_source(self, clean_env: pytest.MonkeyPatch) -> None:
        clean_env.setenv("SHIPTRACK_UPS_MERCHANT_ID", "A1B2C3")
        settings = UpsSettings()
        assert settings.merchant_id == "A1B2C3"
        assert settings.transaction_src == "shiptrack"
