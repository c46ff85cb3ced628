"""Through a real ``shiptrack serve`` process: first run, and concurrent identical creates."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_first_serve_creates_a_default_account_and_key(database_url, server_factory, tmp_path):
    server = server_factory(database_url)
    key_file = Path(tmp_path) / "shiptrack-api-key.txt"
    key = key_file.read_text().strip()
    assert key.startswith("apik_")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key in server.output()
    response = httpx.post(
        f"{server.url}/v1/trackers",
        json={"trackingNumber": "RA123456785GB"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201
    server.stop()
    # A second start on the same database creates no new account.
    again = server_factory(database_url)
    assert "Created the default account" not in again.output()


def test_fifty_parallel_identical_creates_make_one_tracker(database_url, server_factory, tmp_path):
    server = server_factory(database_url, workers=2)
    key = (Path(tmp_path) / "shiptrack-api-key.txt").read_text().strip()
    headers = {"Authorization": f"Bearer {key}"}
    body = {
        "trackingNumber": "CONCURRENT123",
        "clientTrackerId": "same-order",
        "destinationCountryCode": "FR",
    }

    async def fire() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(
            base_url=server.url, headers=headers, limits=limits, timeout=30
        ) as client:
            return await asyncio.gather(
                *(client.post("/public/v1/trackers", json=body) for _ in range(50))
            )

    responses = asyncio.run(fire())
    # The account lock serialises the creates: every one answers the same tracker (nothing
    # answers 409 request_conflict, which Part A #9 would allow).
    assert [r.status_code for r in responses] == [201] * 50, [
        r.text for r in responses if r.status_code != 201
    ]
    ids = {r.json()["data"]["tracker"]["trackerId"] for r in responses}
    assert len(ids) == 1
    listed = httpx.get(f"{server.url}/public/v1/trackers", headers=headers).json()
    assert len(listed["data"]["trackers"]) == 1
