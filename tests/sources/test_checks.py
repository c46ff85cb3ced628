"""``shiptrack couriers check`` for the upstreams (one cheap authenticated call each) and the
upstream fakes of ``shiptrack fake-couriers``, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import importlib

import aiohttp
import pytest

from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE
from shiptrack.couriers.fakes import CarrierJourneys
from shiptrack.couriers.fakes.aggregators import (
    FAKE_API_KEY,
    UPSTREAMS,
    start_fake_upstreams,
    stop_fake_upstreams,
    upstream_env,
)


@pytest.fixture
async def running():
    fakes = await start_fake_upstreams(CarrierJourneys())
    try:
        yield {f.name: f for f in fakes}
    finally:
        await stop_fake_upstreams(fakes)


def _settings(name: str, url: str, key: str):
    package = importlib.import_module(f"shiptrack.couriers.connectors.{name}")
    connector = package.SOURCE.name
    assert connector == name
    settings_class = next(v for k, v in vars(package).items() if k.endswith("Settings"))
    return package, settings_class(_env_file=None, base_url=url, api_key=key)


@pytest.mark.parametrize("name", UPSTREAMS)
async def test_check_makes_one_cheap_call_and_tells_a_bad_key(running, name):
    fake = running[name]
    package, good = _settings(name, fake.url, FAKE_API_KEY)
    _, bad = _settings(name, fake.url, "wrong-key")
    async with aiohttp.ClientSession() as session:
        connector = package.build(good, session)
        ok = await type(connector).check_credentials(good, session)
        refused = await type(connector).check_credentials(bad, session)
    assert (ok.configured, ok.ok) == (True, True), ok.detail
    assert (refused.configured, refused.ok) == (True, False)
    assert "rejected" in refused.detail
    assert "wrong-key" not in refused.detail
    state = fake.app[UPSTREAM_FAKE]
    assert state.calls["probe"] == 1, "one authenticated call (the refused one is not counted)"
    assert state.calls["register"] == 0, "a check costs no registration"


async def test_fake_couriers_env_enables_every_upstream(running):
    env = upstream_env(list(running.values()))
    assert env["SHIPTRACK_SHIP24_BASE_URL"] == running["ship24"].url
    assert env["SHIPTRACK_17TRACK_API_KEY"] == FAKE_API_KEY
    assert "SHIPTRACK_17TRACK_WEBHOOK_SECRET" not in env  # 17TRACK signs with the key
    assert {k for k in env if k.endswith("_API_KEY")} == {
        "SHIPTRACK_SHIP24_API_KEY",
        "SHIPTRACK_17TRACK_API_KEY",
        "SHIPTRACK_AFTERSHIP_API_KEY",
        "SHIPTRACK_TRACKINGMORE_API_KEY",
    }
