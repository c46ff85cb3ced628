"""FedEx settings: environment variables, sandbox switch, base-URL override, factory."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from shiptrack.couriers.connectors import fedex
from shiptrack.couriers.connectors.fedex.settings import FedexSettings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    for name in ("CLIENT_ID", "CLIENT_SECRET", "USE_SANDBOX", "BASE_URL", "TIMEOUT"):
        monkeypatch.delenv(f"SHIPTRACK_FEDEX_{name}", raising=False)
    return monkeypatch


def test_from_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SHIPTRACK_FEDEX_CLIENT_ID", "key")
    clean_env.setenv("SHIPTRACK_FEDEX_CLIENT_SECRET", "s3cret")
    clean_env.setenv("SHIPTRACK_FEDEX_USE_SANDBOX", "true")
    settings = FedexSettings()
    assert settings.configured
    assert settings.api_url == "https://apis-sandbox.fedex.com"
    assert "s3cret" not in repr(settings)


def test_from_env_file(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "SHIPTRACK_FEDEX_CLIENT_ID=key\nSHIPTRACK_FEDEX_CLIENT_SECRET=s3cret\n"
    )
    settings = FedexSettings()
    assert settings.configured
    assert settings.api_url == "https://apis.fedex.com"


def test_base_url_override(clean_env: pytest.MonkeyPatch) -> None:
    settings = FedexSettings(base_url="http://127.0.0.1:9999/", use_sandbox=True)
    assert settings.api_url == "http://127.0.0.1:9999"


async def test_factory_without_credentials(clean_env: pytest.MonkeyPatch) -> None:
    async with aiohttp.ClientSession() as session:
        assert fedex.build(None, session) is None
        assert fedex.build(FedexSettings(client_id="key"), session) is None
        clean_env.setenv("SHIPTRACK_FEDEX_CLIENT_ID", "key")
        clean_env.setenv("SHIPTRACK_FEDEX_CLIENT_SECRET", "s3cret")
        connector = fedex.build(None, session)
        assert connector is not None
        assert connector.info.courier_codes == frozenset({"fedex"})


async def test_batch_size_is_thirty(clean_env: pytest.MonkeyPatch) -> None:
    async with aiohttp.ClientSession() as session:
        connector = fedex.build(FedexSettings(client_id="key", client_secret="s3cret"), session)
        assert connector is not None
        assert connector.info.batch_size == 30
        assert connector.info.source_code == "fedex-tracking"
