"""SSRF through the API: IPv6 forms of private IPv4 addresses are refused when a webhook is
saved (enabled or not) and when it is sent to, on both databases."""

from __future__ import annotations

import pytest
from webhook_helpers import use_webhook_settings

from shiptrack.config.webhooks import WebhookSettings

#: Each stands for 169.254.169.254 (cloud metadata) or 10.0.0.1.
URLS = [
    "http://[::a9fe:a9fe]/hook",  # IPv4-compatible
    "http://[::ffff:a9fe:a9fe]/hook",  # IPv4-mapped
    "http://[::ffff:0:a9fe:a9fe]/hook",  # IPv4-translated
    "http://[64:ff9b::a9fe:a9fe]/hook",  # NAT64
    "http://[64:ff9b:1::a00:1]/hook",  # local-use NAT64
    "http://[2002:a9fe:a9fe::1]/hook",  # 6to4
    "http://[2001:0:5db8:d822:0:0:f5ff:fffe]/hook",  # Teredo, client 10.0.0.1
]


@pytest.fixture
def settings_overrides():
    return {}


def _strict(client) -> None:
    use_webhook_settings(
        client.app, WebhookSettings(_env_file=None, allow_private=False, probe_on_save=False)
    )


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("enabled", [True, False])
async def test_saving_an_ipv6_form_of_a_private_address_is_refused(client, url, enabled):
    _strict(client)
    response = await client.put("/account/webhook", json={"url": url, "enabled": enabled})
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "validation_error"
    assert "private, loopback, link-local or reserved" in error["message"]
    assert (await client.get("/account/webhook")).status_code == 404


async def test_changing_a_disabled_webhook_to_a_private_url_is_refused(client):
    _strict(client)
    saved = await client.put(
        "/account/webhook", json={"url": "https://[2606:4700:4700::1111]/hook", "enabled": False}
    )
    assert saved.status_code == 201, saved.text
    changed = await client.put(
        "/account/webhook", json={"url": "http://[::a9fe:a9fe]/hook", "enabled": False}
    )
    assert changed.status_code == 400
    kept = (await client.get("/account/webhook")).json()["data"]["webhook"]
    assert kept["url"] == "https://[2606:4700:4700::1111]/hook"


@pytest.mark.parametrize("url", URLS[:2] + URLS[-2:])
async def test_a_stored_ipv6_form_is_refused_at_send(client, url):
    """A URL stored while the policy allowed it (or before this check existed) is checked
    again at every send: the test send never connects."""
    use_webhook_settings(
        client.app, WebhookSettings(_env_file=None, allow_private=True, probe_on_save=False)
    )
    assert (await client.put("/account/webhook", json={"url": url})).status_code == 201
    _strict(client)
    response = await client.post("/account/webhook/test")
    assert response.status_code == 200, response.text
    result = response.json()["data"]["result"]
    assert result["ok"] is False
    assert result["statusCode"] is None
    assert "private, loopback, link-local or reserved" in result["error"]
