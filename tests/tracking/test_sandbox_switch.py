"""``SHIPTRACK_SANDBOX_ENABLED=false`` turns the built-in sandbox courier off (docs/sandbox.md):
its numbers are then nobody's, and nothing answers for them."""

from __future__ import annotations

import aiohttp
import pytest

from shiptrack.config import Settings
from shiptrack.couriers.sources import load_connectors

SAMPLE = "SHIP24_SAMPLE_DELIVERED_000"


@pytest.fixture
def settings_overrides():
    return {"sandbox_enabled": False}


@pytest.mark.parametrize("enabled", [True, False])
async def test_the_switch_decides_whether_the_sandbox_connector_is_loaded(enabled):
    settings = Settings(_env_file=None, sandbox_enabled=enabled)  # type: ignore[call-arg]
    async with aiohttp.ClientSession() as session:
        sources = [c.info.source_code for c in load_connectors(settings, session)]
    assert ("sandbox" in sources) is enabled


async def test_with_the_sandbox_off_its_sample_numbers_find_nothing(client):
    response = await client.post("/trackers/track", json={"trackingNumber": SAMPLE})
    assert response.status_code in (200, 201), response.text
    tracking = response.json()["data"]["trackings"][0]
    assert tracking["events"] == []
    assert tracking["shipment"]["statusMilestone"] == "pending"
