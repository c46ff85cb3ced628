"""USPS settings: environment variables, sandbox switch, base-URL override, factory."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from shiptrack.couriers.connectors import usps
from shiptrack.couriers.connectors.usps.settings import UspsSettings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    for name in ("CLIENT_ID", "CLIENT_SECRET", "USE_SANDBOX", "BASE_URL", "TIMEOUT"):
        monkeypatch.delenv(f"SHIPTRACK_USPS_{name}", raising=False)
    return monkeypatch


def test_from_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SHIPTRACK_USPS_CLIENT_ID", "key")
    clean_env.setenv("SHIPTRACK_USPS_CLIENT_SECRET", "s3cret")
    clean_env.setenv("SHIPTRACK_USPS_USE_SANDBOX", "true")
    settings = UspsSettings()
    assert settings.configured
    assert settings.api_url == "https://apis-tem.usps.com"
    assert "s3cret" not in repr(settings)


def test_from_env_file(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "SHIPTRACK_USPS_CLIENT_ID=key\nSHIPTRACK_USPS_CLIENT_SECRET=s3cret\n"
    )
    settings = UspsSettings()
    assert settings.configured
    assert settings.api_url == "https://apis.usps.com"


def test_base_url_override(clean_env: pytest.MonkeyPatch) -> None:
    settings = UspsSettings(base_url="http://127.0.0.1:9999/", use_sandbox=True)
    assert settings.api_url == "http://127.0.0.1:9999"


async def test_factory_without_credentials(clean_env: pytest.MonkeyPatch) -> None:
    async with aiohttp.ClientSession() as session:
        assert usps.build(None, session) is None
        assert usps.build(UspsSettings(client_id="key"), session) is None
        clean_env.setenv("SHIPTRACK_USPS_CLIENT_ID", "key")
        clean_env.setenv("SHIPTRACK_USPS_CLIENT_SECRET", "s3cret")
        connector = usps.build(None, session)
        assert connector is not None
        assert connector.info.courier_codes == frozenset({"us-post"})
