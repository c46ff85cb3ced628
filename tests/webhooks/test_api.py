"""The webhook endpoints through the app: the account webhook resource (shiptrack), resend and
history download (Ship24 §3.9, §3.10), the delivery log."""

from __future__ import annotations

import datetime as dt

import httpx
import orjson
import pytest
from sqlalchemy import select
from webhook_helpers import api_journey, fast_settings, use_webhook_settings

from shiptrack.app import services_of
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.db.webhook_tables import webhook_messages
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
from shiptrack.webhooks.endpoints.schemas import (
    AccountWebhookEnvelope,
    ResendEnvelope,
    WebhookHistoryFile,
    WebhookMessageEnvelope,
    WebhookMessagesEnvelope,
)


@pytest.fixture
def settings_overrides():
    return {}


_journey = api_journey


async def _put(client, receiver, **fields):
    return await client.put("/account/webhook", json={"url": receiver.url, **fields})


def _dispatcher(client, **overrides) -> WebhookDispatcher:
    found = services_of(client.app)
    return WebhookDispatcher(found.db, found.http, fast_settings(**overrides))


async def test_put_creates_the_webhook_probing_it_and_answers_the_secret_once(client, receiver):
    response = await _put(client, receiver)
    assert response.status_code == 201, response.text
    AccountWebhookEnvelope.model_validate(response.json())
    webhook = response.json()["data"]["webhook"]
    assert webhook["url"] == receiver.url
    assert webhook["maxUpdatesPerMessage"] == 1
    assert webhook["enabled"] is True
    assert webhook["secret"].startswith("whsec_")
    assert webhook["secretPreview"] == webhook["secret"][:10] + "…"
    assert receiver.heads == 1  # the HEAD probe
    read = (await client.get("/account/webhook")).json()["data"]["webhook"]
    assert "secret" not in read
    assert read["secretPreview"] == webhook["secretPreview"]
    # An update keeps the secret and does not show it; the same URL is not probed again.
    update = await _put(client, receiver, maxUpdatesPerMessage=5)
    assert update.status_code == 200
    updated = update.json()["data"]["webhook"]
    assert updated["maxUpdatesPerMessage"] == 5
    assert "secret" not in updated
    assert updated["secretPreview"] == webhook["secretPreview"]
    assert receiver.heads == 1


async def test_v1_prefix_serves_the_same_resource(client, receiver):
    await _put(client, receiver)
    response = await client.get("http://shiptrack.test/v1/account/webhook")
    assert response.status_code == 200
    assert response.json()["data"]["webhook"]["url"] == receiver.url


async def test_get_without_a_webhook_is_404(client):
    response = await client.get("/account/webhook")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "webhook_url_missing"
    assert response.json()["data"] is None


@pytest.mark.parametrize(
    ("body", "code", "text"),
    [
        ([], "validation_error", "JSON object"),
        ({}, "missing_mandatory_field", "url is required"),
        ({"url": "ftp://example.com"}, "validation_error", "http or https"),
        ({"url": "https://u:p@example.com/x"}, "validation_error", "credentials"),
        ({"url": "https://example.com", "maxUpdatesPerMessage": 0}, "validation_error", "1"),
        ({"url": "https://example.com", "maxUpdatesPerMessage": 1000}, "validation_error", "100"),
        ({"url": "https://example.com", "maxUpdatesPerMessage": True}, "validation_error", "max"),
        ({"url": "https://example.com", "enabled": "yes"}, "validation_error", "true or false"),
    ],
)
async def test_put_validation(client, body, code, text):
    response = await client.put("/account/webhook", json=body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == code
    assert text in error["message"]


async def test_a_url_failing_the_probe_is_refused(client, receiver):
    response = await client.put(
        "/account/webhook", json={"url": receiver.url.replace("/hooks", "/nowhere")}
    )
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "HEAD with HTTP 404" in message
    assert "SHIPTRACK_WEBHOOK_PROBE_ON_SAVE" in message
    assert (await client.get("/account/webhook")).status_code == 404


async def test_private_targets_are_refused_on_save_unless_allowed(client, receiver):
    use_webhook_settings(client.app, WebhookSettings(_env_file=None, allow_private=False))
    response = await _put(client, receiver)
    assert response.status_code == 400
    assert "127.0.0.1 resolves to 127.0.0.1, a private" in response.json()["errors"][0]["message"]


async def test_disable_and_enable_again(client, receiver):
    await _put(client, receiver)
    disabled = (await _put(client, receiver, enabled=False)).json()["data"]["webhook"]
    assert (disabled["enabled"], disabled["disabledReason"]) == (False, "manual")
    assert disabled["notice"].startswith("Disabled by the account")
    enabled = (await _put(client, receiver, enabled=True)).json()["data"]["webhook"]
    assert (enabled["enabled"], enabled["disabledReason"], enabled["notice"]) == (True, None, None)
    assert receiver.heads == 2  # enabling again probes again


async def test_a_webhook_disabled_by_failures_says_so(client, receiver):
    from shiptrack.webhooks.delivery import queue

    await _put(client, receiver)
    async with services_of(client.app).db.write() as conn:
        await queue.disable_endpoint(
            conn, client.account_id, reason="failing", now=dt.datetime.now(dt.UTC)
        )
    webhook = (await client.get("/account/webhook")).json()["data"]["webhook"]
    assert (webhook["enabled"], webhook["disabledReason"]) == (False, "failing")
    assert "every delivery failed for 5 days" in webhook["notice"]
    assert '"enabled": true' in webhook["notice"]


async def test_rotate_secret(client, receiver):
    created = (await _put(client, receiver)).json()["data"]["webhook"]
    rotated = await client.post("/account/webhook/rotate-secret")
    assert rotated.status_code == 200
    webhook = rotated.json()["data"]["webhook"]
    assert webhook["secret"].startswith("whsec_")
    assert webhook["secret"] != created["secret"]
    expires = dt.datetime.fromisoformat(webhook["previousSecretExpiresAt"])
    hours = (expires - dt.datetime.now(dt.UTC)).total_seconds() / 3600
    assert 23.9 < hours <= 24
    now = await client.post("/account/webhook/rotate-secret", json={"overlapHours": 0})
    assert now.json()["data"]["webhook"]["previousSecretExpiresAt"] is None
    bad = await client.post("/account/webhook/rotate-secret", json={"overlapHours": -1})
    assert bad.status_code == 400
    assert "overlapHours" in bad.json()["errors"][0]["message"]


async def test_rotate_and_delete_without_a_webhook_are_404(client):
    assert (await client.post("/account/webhook/rotate-secret")).status_code == 404
    assert (await client.delete("/account/webhook")).status_code == 404


async def test_delete_drops_pending_messages(client, receiver):
    await _put(client, receiver)
    journey = await _journey(client)
    await journey.step(services_of(client.app).db, 3)
    response = await client.delete("/account/webhook")
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get("/account/webhook")).status_code == 404
    messages = (await client.get("/account/webhook/messages")).json()["data"]["messages"]
    assert {(m["status"], m["dropReason"]) for m in messages} == {("dropped", "webhook_deleted")}


async def test_resend_requeues_every_message_with_its_original_id(client, receiver):
    secret = (await _put(client, receiver)).json()["data"]["webhook"]["secret"]
    receiver.secrets, receiver.bearers = [secret], [secret]
    journey = await _journey(client, clientTrackerId="order-7")
    db = services_of(client.app).db
    await journey.step(db, 4)
    dispatcher = _dispatcher(client)
    while await dispatcher.dispatch_due_once():
        pass
    first = receiver.ids()
    assert len(first) == 4
    response = await client.post(f"/trackers/{journey.tracker_id}/webhook-events/resend")
    assert response.status_code == 201
    assert response.json() == {"data": {"summary": {"totalResent": 4}}}
    ResendEnvelope.model_validate(response.json())
    by_client = await client.post(
        "/trackers/order-7/webhook-events/resend?searchBy=clientTrackerId"
    )
    assert by_client.json()["data"]["summary"]["totalResent"] == 4
    while await dispatcher.dispatch_due_once():
        pass
    assert receiver.ids() == first + first  # same ids, same order
    assert [r.body for r in receiver.received[4:]] == [r.body for r in receiver.received[:4]]
    await dispatcher.stop()


async def test_resend_errors(client, other_client, receiver):
    journey = await _journey(client)
    missing = await client.post(f"/trackers/{journey.tracker_id}/webhook-events/resend")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["code"] == "webhook_url_missing"
    await _put(client, receiver)
    unknown = await client.post(
        "/trackers/00000000-0000-4000-8000-000000000000/webhook-events/resend"
    )
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["code"] == "tracker_not_found"
    # Another account cannot touch this tracker.
    await other_client.put("/account/webhook", json={"url": receiver.url})
    foreign = await other_client.post(f"/trackers/{journey.tracker_id}/webhook-events/resend")
    assert foreign.status_code == 404
    none = await client.post(f"/trackers/{journey.tracker_id}/webhook-events/resend")
    assert none.json() == {"data": {"summary": {"totalResent": 0}}}


async def test_history_download_is_ship24s_file(client, receiver):
    secret = (await _put(client, receiver)).json()["data"]["webhook"]["secret"]
    receiver.secrets, receiver.bearers = [secret], [secret]
    journey = await _journey(client, number="HIST12345", clientTrackerId="order-9")
    db = services_of(client.app).db
    await journey.step(db, 3)
    answers = iter([(200, {"X-Id": "a"}, b'{"ok":true}'), (500, {}, b"down"), (200, {}, b"fine")])
    receiver.behaviour = lambda r, req, n: (*next(answers), 0.0)
    dispatcher = _dispatcher(client, retry_schedule=[60])
    await dispatcher.dispatch_due_once()
    await dispatcher.dispatch_due_once()  # message 2 fails and waits a minute
    await journey.step(db, 4)  # message 4 is pending, never attempted: not in the file
    response = await client.get(f"/trackers/{journey.tracker_id}/webhook-history/download")
    assert response.status_code == 200
    today = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="webhook-history-HIST12345-{today}.json"'
    )
    assert response.headers["access-control-expose-headers"] == "Content-Disposition"
    history = response.json()
    WebhookHistoryFile.model_validate(history)
    meta = history["metadata"]
    assert meta["trackingNumber"] == "HIST12345"
    assert meta["trackerId"] == journey.tracker_id
    assert meta["clientTrackerId"] == "order-9"
    assert meta["webhookUrl"] == receiver.url
    assert meta["lastSuccessfulPushAt"] is not None
    assert meta["lastFailedPushAt"] is not None
    items = history["webhooks"]
    assert [i["status"] for i in items] == ["failed", "success"]  # most recent first
    failed, success = items
    assert failed["responseStatusCode"] == "500"
    assert failed["responseBody"] == "down"
    assert failed["pushTimestamp"] == meta["lastFailedPushAt"]
    assert success["responseStatusCode"] == "200"
    assert success["responseBody"] == {"ok": True}
    assert success["responseHeaders"]["x-id"] == "a"
    assert success["pushTimestamp"] == meta["lastSuccessfulPushAt"]
    assert success["requestBody"] == receiver.received[0].payload
    by_client = await client.get(
        "/trackers/order-9/webhook-history/download?searchBy=clientTrackerId"
    )
    assert by_client.json() == history
    await dispatcher.stop()


async def test_history_of_a_tracker_without_messages(client):
    journey = await _journey(client, number="EMPTY12345")
    response = await client.get(f"/trackers/{journey.tracker_id}/webhook-history/download")
    assert response.status_code == 200
    assert response.json() == {
        "metadata": {
            "trackingNumber": "EMPTY12345",
            "trackerId": journey.tracker_id,
            "clientTrackerId": None,
            "webhookUrl": None,
            "lastSuccessfulPushAt": None,
            "lastFailedPushAt": None,
        },
        "webhooks": [],
    }
    missing = await client.get("/trackers/nope/webhook-history/download")
    assert missing.status_code == 404


async def test_the_delivery_log_and_replay(client, receiver):
    secret = (await _put(client, receiver)).json()["data"]["webhook"]["secret"]
    receiver.secrets, receiver.bearers = [secret], [secret]
    journey = await _journey(client)
    other = await _journey(client, number="OTHER12345")
    db = services_of(client.app).db
    await journey.step(db, 2)
    await other.step(db, 1)
    receiver.behaviour = lambda r, req, n: (503, {"Retry-After": "120"}, b"later", 0.0)
    dispatcher = _dispatcher(client)
    await dispatcher.dispatch_due_once()
    listed = await client.get("/account/webhook/messages")
    assert listed.status_code == 200
    WebhookMessagesEnvelope.model_validate(listed.json())
    assert len(listed.json()["data"]["messages"]) == 3
    mine = await client.get(f"/account/webhook/messages?trackerId={journey.tracker_id}")
    messages = mine.json()["data"]["messages"]
    assert [m["sequence"] for m in messages] == [2, 1]
    first = messages[1]
    assert (first["status"], first["attempts"], first["lastStatusCode"]) == ("pending", 1, 503)
    retry_at = dt.datetime.fromisoformat(first["nextAttemptAt"])
    assert (retry_at - dt.datetime.now(dt.UTC)).total_seconds() > 100  # Retry-After: 120
    pending = await client.get("/account/webhook/messages?status=pending&limit=1")
    assert len(pending.json()["data"]["messages"]) == 1
    bad = await client.get("/account/webhook/messages?status=lost")
    assert bad.status_code == 400
    detail = await client.get(f"/account/webhook/messages/{first['messageId']}")
    assert detail.status_code == 200
    WebhookMessageEnvelope.model_validate(detail.json())
    message = detail.json()["data"]["message"]
    assert message["payload"]["trackings"][0]["metadata"]["messageId"] == first["messageId"]
    (attempt,) = message["deliveryLog"]
    assert (attempt["attempt"], attempt["statusCode"], attempt["outcome"]) == (1, 503, "failed")
    assert attempt["responseBody"] == "later"
    # Replay makes it due now; it then goes out first for its tracker.
    receiver.behaviour = lambda r, req, n: (200, {}, b"", 0.0)
    replay = await client.post(f"/account/webhook/messages/{first['messageId']}/replay")
    assert replay.status_code == 201
    assert replay.json()["data"]["message"]["status"] == "pending"
    assert replay.json()["data"]["message"]["attempts"] == 0
    await dispatcher.dispatch_due_once()
    assert first["messageId"] in receiver.ids()
    missing = await client.get("/account/webhook/messages/nope")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "message_not_found"
    await dispatcher.stop()


async def test_messages_of_other_accounts_are_invisible(client, other_client, receiver):
    await _put(client, receiver)
    journey = await _journey(client)
    await journey.step(services_of(client.app).db, 1)
    async with services_of(client.app).db.read() as conn:
        (row,) = list(await conn.execute(select(webhook_messages.c.id)))
    assert (await other_client.get(f"/account/webhook/messages/{row.id}")).status_code == 404
    listed = await other_client.get("/account/webhook/messages")
    assert listed.json()["data"]["messages"] == []
    assert (
        await other_client.post(f"/account/webhook/messages/{row.id}/replay")
    ).status_code == 404


async def test_test_send(client, receiver):
    secret = (await _put(client, receiver)).json()["data"]["webhook"]["secret"]
    receiver.secrets, receiver.bearers = [secret], [secret]
    response = await client.post("/account/webhook/test")
    assert response.status_code == 200
    result = response.json()["data"]["result"]
    assert (result["ok"], result["statusCode"]) == (True, 200)
    (got,) = receiver.received
    assert got.message_id == result["messageId"]
    assert got.payload["trackings"][0]["tracker"]["trackingNumber"] == (
        "SHIP24_SAMPLE_DELIVERED_000"
    )
    receiver.bearers = ["nope"]
    refused = (await client.post("/account/webhook/test")).json()["data"]["result"]
    assert (refused["ok"], refused["statusCode"], refused["error"]) == (False, 401, "HTTP 401")


async def test_endpoints_need_an_api_key(client):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client.app), base_url="http://shiptrack.test/public/v1"
    ) as anonymous:
        for method, path in [
            ("GET", "/account/webhook"),
            ("PUT", "/account/webhook"),
            ("POST", "/trackers/x/webhook-events/resend"),
            ("GET", "/trackers/x/webhook-history/download"),
        ]:
            response = await anonymous.request(method, path)
            assert response.status_code == 400
            assert response.json()["errors"][0]["code"] == "auth_missing_header"


async def test_the_payload_spliced_into_the_history_is_the_exact_body_sent(client, receiver):
    secret = (await _put(client, receiver)).json()["data"]["webhook"]["secret"]
    receiver.secrets, receiver.bearers = [secret], [secret]
    journey = await _journey(client)
    await journey.step(services_of(client.app).db, 1)
    dispatcher = _dispatcher(client)
    await dispatcher.dispatch_due_once()
    response = await client.get(f"/trackers/{journey.tracker_id}/webhook-history/download")
    assert receiver.received[0].body in response.content
    assert orjson.loads(receiver.received[0].body) == response.json()["webhooks"][0]["requestBody"]
    await dispatcher.stop()


async def _trusting(client, receiver, **fields):
    """Save the webhook and configure the receiver with its secret."""
    await _put(client, receiver, **fields)
    secret = await client.post("/account/webhook/rotate-secret", json={"overlapHours": 0})
    receiver.secrets = receiver.bearers = [secret.json()["data"]["webhook"]["secret"]]


async def _statuses(client, journey) -> list[tuple[str, str | None]]:
    listed = await client.get(f"/account/webhook/messages?trackerId={journey.tracker_id}")
    return [(m["status"], m["dropReason"]) for m in listed.json()["data"]["messages"]]


async def test_unsubscribing_drops_the_trackers_undelivered_messages(client, receiver):
    """docs/webhooks.md: a tracker unsubscribed with PATCH {"isSubscribed": false} stops getting
    messages: its undelivered ones are dropped (reason unsubscribed); others' are kept."""
    await _trusting(client, receiver)
    journey = await _journey(client)
    other = await _journey(client, number="OTHER12345")
    db = services_of(client.app).db
    await journey.step(db, 3)
    await other.step(db, 1)
    patched = await client.patch(f"/trackers/{journey.tracker_id}", json={"isSubscribed": False})
    assert patched.status_code == 200, patched.text
    assert await _statuses(client, journey) == [("dropped", "unsubscribed")] * 3
    assert await _statuses(client, other) == [("pending", None)]
    dispatcher = _dispatcher(client)
    await dispatcher.dispatch_due_once()
    await dispatcher.stop()
    assert len(receiver.ids()) == 1  # only the other tracker's message went out


async def test_a_disabled_webhook_keeps_its_pending_messages(client, receiver):
    """docs/webhooks.md: while disabled, its pending messages wait (they are sent when it is
    enabled again) and no new messages are written."""
    await _trusting(client, receiver)
    journey = await _journey(client)
    db = services_of(client.app).db
    await journey.step(db, 2)
    await _put(client, receiver, enabled=False)
    await journey.step(db, 3)  # not written while disabled
    assert await _statuses(client, journey) == [("pending", None)] * 2
    await _trusting(client, receiver, enabled=True)
    dispatcher = _dispatcher(client)
    await dispatcher.dispatch_due_once()
    await dispatcher.dispatch_due_once()
    await dispatcher.stop()
    assert await _statuses(client, journey) == [("delivered", None)] * 2
