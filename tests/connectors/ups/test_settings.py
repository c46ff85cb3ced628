"""UPS settings: environment variables, sandbox switch, base-URL override, factory."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from shiptrack.couriers.connectors import ups
from shiptrack.couriers.connectors.ups.settings import UpsSettings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    for name in ("CLIENT_ID", "CLIENT_SECRET", "USE_SANDBOX", "BASE_URL", "TIMEOUT"):
        monkeypatch.delenv(f"SHIPTRACK_UPS_{name}", raising=False)
    return monkeypatch


def test_from_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SHIPTRACK_UPS_CLIENT_ID", "key")
    clean_env.setenv("SHIPTRACK_UPS_CLIENT_SECRET", "s3cret")
    clean_env.setenv("SHIPTRACK_UPS_USE_SANDBOX", "true")
    settings = UpsSettings()
    assert settings.configured
    assert settings.api_url == "https://wwwcie.ups.com"
    assert "s3cret" not in repr(settings)


def test_from_env_file(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "SHIPTRACK_UPS_CLIENT_ID=key\nSHIPTRACK_UPS_CLIENT_SECRET=s3cret\n"
    )
    settings = UpsSettings()
    assert settings.configured
    assert settings.api_url == "https://onlinetools.ups.com"


def test_base_url_override(clean_env: pytest.MonkeyPatch) -> None:
    settings = UpsSettings(base_url="http://127.0.0.1:9999/", use_sandbox=True)
    assert settings.api_url == "http://127.0.0.1:9999"


async def test_factory_without_credentials(clean_env: pytest.MonkeyPatch) -> None:
    async with aiohttp.ClientSession() as session:
        assert ups.build(None, session) is None
        assert ups.build(UpsSettings(client_id="key"), session) is None
        clean_env.setenv("SHIPTRACK_UPS_CLIENT_ID", "key")
        clean_env.setenv("SHIPTRACK_UPS_CLIENT_SECRET", "s3cret")
        connector = ups.build(None, session)
        assert connector is not None
        assert connector.info.courier_codes == frozenset({"ups"})


def test_merchant_id_and_transaction_source(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SHIPTRACK_UPS_MERCHANT_ID", "A1B2C3")
    settings = UpsSettings()
    assert settings.merchant_id == "A1B2C3"
    assert settings.transaction_src == "shiptrack"
