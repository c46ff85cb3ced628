"""Helpers of the tracking-page tests: a tracker with sandbox results and its page."""

from __future__ import annotations

import httpx
import pytest


async def tracked(client: httpx.AsyncClient, number: str) -> str:
    """Create a tracker for a sandbox number, fetched once (results stored); its id."""
    response = await client.post("/trackers/track", json={"trackingNumber": number})
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["trackings"][0]["tracker"]["trackerId"])


async def page_path(client: httpx.AsyncClient, tracker_id: str) -> str:
    response = await client.get(f"/trackers/{tracker_id}/page-link")
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["pageLink"]["path"])


@pytest.fixture
async def browser(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """A client of the app without the API key, at the server's root (an end customer)."""
    async with httpx.AsyncClient(
        transport=client._transport, base_url="http://shiptrack.test"
    ) as anonymous:
        yield anonymous
