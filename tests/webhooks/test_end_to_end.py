"""The whole loop through the app as `serve` runs it: a tracker's journey found by the engine
is pushed by the app's own dispatcher to a real receiver, which verifies every message."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _app_dispatcher(monkeypatch: pytest.MonkeyPatch) -> None:
    # This module runs the app's background dispatcher (the other webhook tests drive theirs).
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_DISPATCHER_ENABLED", "true")


async def test_a_sample_journey_reaches_the_receiver_signed_and_in_order(client, receiver):
    response = await client.put("/account/webhook", json={"url": receiver.url})
    assert response.status_code == 201, response.text
    secret = response.json()["data"]["webhook"]["secret"]
    receiver.secrets.append(secret)
    receiver.bearers.append(secret)

    created = await client.post(
        "/trackers/track", json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_555"}
    )
    tracking = created.json()["data"]["trackings"][0]
    events = tracking["events"]
    assert events

    await receiver.wait_for(len(events))
    assert not receiver.rejected
    received = receiver.received[: len(events)]
    # One event per message (grouping off), Ship24's shape, in sequence order.
    sequences = []
    for item in received:
        (pushed,) = item.payload["trackings"]
        assert set(pushed) == {"metadata", "tracker", "shipment", "events", "statistics"}
        assert pushed["metadata"]["messageId"] == item.message_id
        assert pushed["metadata"]["topic"] == "tracking/events"
        assert pushed["tracker"]["trackerId"] == tracking["tracker"]["trackerId"]
        (event,) = pushed["events"]
        assert {"hasNoTime", "utcOffset", "datetime"} <= set(event)
        sequences.append(event["sequence"])
    assert sequences == sorted(sequences) == list(range(1, len(events) + 1))
    assert {e["eventId"] for e in events} == {
        item.payload["trackings"][0]["events"][0]["eventId"] for item in received
    }
