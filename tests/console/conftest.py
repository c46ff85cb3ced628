"""Helpers of the console tests: an operator's browser-like client, signed in."""

from __future__ import annotations

import re

import httpx
import pytest


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def sign_in(operator: httpx.AsyncClient, key: str) -> httpx.Response:
    form = await operator.get("/console/sign-in")
    assert form.status_code == 200
    return await operator.post(
        "/console/sign-in",
        data={"key": key, "csrf": csrf_of(form.text), "next": "/console/trackers"},
        headers={"Origin": "http://shiptrack.test"},
    )


@pytest.fixture
async def operator(client) -> httpx.AsyncClient:
    """A cookie-keeping client at the server's root, signed in with the account's key."""
    async with httpx.AsyncClient(
        transport=client._transport, base_url="http://shiptrack.test"
    ) as browser:
        answer = await sign_in(browser, client.api_key)
        assert answer.status_code == 303, answer.text
        yield browser


async def post_form(
    operator: httpx.AsyncClient, page: str, action: str, data: dict[str, str], **kwargs
) -> httpx.Response:
    """Submit a form of ``page`` (its CSRF token added) to ``action``."""
    html = (await operator.get(page)).text
    return await operator.post(
        action,
        data={**data, "csrf": csrf_of(html)},
        headers={"Origin": "http://shiptrack.test"},
        **kwargs,
    )
