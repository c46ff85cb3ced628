"""The console's webhook page: settings through the webhooks service, the secret shown once,
rotation, the delivery log and replaying a message."""

from __future__ import annotations

import re

import pytest
from tests.console.conftest import post_form


@pytest.fixture(autouse=True)
def _loopback_without_dispatcher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_PROBE_ON_SAVE", "false")
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_DISPATCHER_ENABLED", "false")


def _secret(html: str) -> str:
    found = re.search(r'<code class="secret-value">([^<]+)</code>', html)
    assert found, "no secret shown"
    return found.group(1)


async def test_settings_secret_and_rotation(client, operator) -> None:
    created = await post_form(
        operator,
        "/console/webhooks",
        "/console/webhooks",
        {"url": "http://127.0.0.1:9/hooks", "maxUpdatesPerMessage": "3", "enabled": "on"},
    )
    assert created.status_code == 200
    first = _secret(created.text)
    api = (await client.get("/account/webhook")).json()["data"]["webhook"]
    assert api["url"] == "http://127.0.0.1:9/hooks"
    assert api["maxUpdatesPerMessage"] == 3
    assert api["enabled"] is True
    assert first not in (await operator.get("/console/webhooks")).text  # shown once only

    disabled = await post_form(
        operator, "/console/webhooks", "/console/webhooks", {"url": "http://127.0.0.1:9/hooks"}
    )
    assert disabled.status_code == 303
    assert (await client.get("/account/webhook")).json()["data"]["webhook"]["enabled"] is False

    rotated = await post_form(
        operator, "/console/webhooks", "/console/webhooks/rotate", {"overlapHours": "0"}
    )
    assert rotated.status_code == 200
    second = _secret(rotated.text)
    assert second != first
    preview = (await client.get("/account/webhook")).json()["data"]["webhook"]["secretPreview"]
    assert preview in rotated.text


async def test_bad_settings_say_what_is_wrong(client, operator) -> None:
    answer = await post_form(
        operator,
        "/console/webhooks",
        "/console/webhooks",
        {"url": "ftp://127.0.0.1/x", "enabled": "on"},
    )
    assert answer.status_code == 400
    assert 'class="problem" role="alert"' in answer.text
    bad_limit = await post_form(
        operator,
        "/console/webhooks",
        "/console/webhooks",
        {"url": "http://127.0.0.1:9/", "maxUpdatesPerMessage": "0"},
    )
    assert bad_limit.status_code == 400
    assert "maxUpdatesPerMessage must be a whole number" in bad_limit.text


async def test_the_delivery_log_and_replay(client, operator) -> None:
    put = await client.put("/account/webhook", json={"url": "http://127.0.0.1:9/hooks"})
    assert put.status_code in (200, 201), put.text
    tracked = await client.post(
        "/trackers/track", json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_002"}
    )
    assert tracked.status_code == 201
    messages = (await client.get("/account/webhook/messages")).json()["data"]["messages"]
    assert messages
    log = await operator.get("/console/webhooks?status=pending")
    shown = re.findall(r"<td><code>([0-9a-f-]{36})</code></td>", log.text)
    assert shown == [m["messageId"] for m in messages if m["status"] == "pending"]
    counts = re.search(r"pending: (\d+)", log.text)
    assert counts is not None
    assert int(counts.group(1)) == len(shown)
    replayed = await post_form(
        operator,
        "/console/webhooks",
        f"/console/webhooks/messages/{shown[0]}/replay",
        {},
        follow_redirects=True,
    )
    assert f"Message <code>{shown[0]}</code> queued again" in replayed.text
