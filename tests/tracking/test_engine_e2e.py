"""The engine end to end on both databases: sandbox journeys through the API."""

from __future__ import annotations

import asyncio

import pytest

MILESTONES = ["PENDING", "INFO_RECEIVED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "FAILED_ATTEMPT",
              "AVAILABLE_FOR_PICKUP", "DELIVERED", "EXCEPTION"]


async def test_track_returns_the_sample_journey_at_once(client):
    response = await client.post("/trackers/track",
                                 json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_123"})
    assert response.status_code == 201, response.text
    (tracking,) = response.json()["data"]["trackings"]
    shipment, events = tracking["shipment"], tracking["events"]
    assert shipment["statusMilestone"] == "delivered"
    assert shipment["statusCode"] == "delivery_delivered"
    assert len(events) >= 6
    # Newest first, order numbering oldest = 1.
    assert events[0]["statusMilestone"] == "delivered"
    assert [e["order"] for e in events] == list(range(len(events), 0, -1))
    assert events[-1]["statusMilestone"] in ("info_received", "in_transit")
    stats = tracking["statistics"]["timestamps"]
    assert stats["deliveredDatetime"] == events[0]["occurrenceDatetime"]
    assert stats["infoReceivedDatetime"] is not None
    # A hand-over leg: two tracking numbers, each event says which number it was found on.
    numbers = [n["tn"] for n in shipment["trackingNumbers"]]
    assert numbers[0] == "SHIP24_SAMPLE_DELIVERED_123"
    assert len(numbers) == 2
    assert {e["eventTrackingNumber"] for e in events} == set(numbers)
    assert all(e["trackingNumber"] == "SHIP24_SAMPLE_DELIVERED_123" for e in events)
    # Again: answered from storage, same events.
    again = (await client.post("/trackers/track",
                               json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_123"})).json()
    assert again["data"]["trackings"][0]["events"] == events


@pytest.mark.parametrize("milestone", MILESTONES)
async def test_every_sample_ends_at_its_milestone(client, milestone):
    number = f"SHIP24_SAMPLE_{milestone}_000"
    tracking = (await client.post("/trackers/track", json={"trackingNumber": number})).json()
    shipment = tracking["data"]["trackings"][0]["shipment"]
    assert shipment["statusMilestone"] == milestone.lower()


async def test_engine_fills_a_created_tracker(client):
    created = (await client.post("/trackers",
                                 json={"trackingNumber": "SHIP24_SAMPLE_IN_TRANSIT_456"})).json()
    tracker_id = created["data"]["tracker"]["trackerId"]
    for _ in range(100):
        body = (await client.get(f"/trackers/{tracker_id}/results")).json()
        if body["data"]["trackings"][0]["events"]:
            break
        await asyncio.sleep(0.05)
    shipment = body["data"]["trackings"][0]["shipment"]
    assert shipment["statusMilestone"] == "in_transit"


async def test_tracking_search_answers_without_storing(client):
    response = await client.post("/tracking/search",
                                 json={"trackingNumber": "SHIP24_SAMPLE_OUT_FOR_DELIVERY_777"})
    assert response.status_code == 201, response.text
    (tracking,) = response.json()["data"]["trackings"]
    assert "tracker" not in tracking
    assert tracking["shipment"]["statusMilestone"] == "out_for_delivery"
    assert tracking["events"]
    assert (await client.get("/trackers")).json()["data"]["trackers"] == []
    bad = await client.post("/tracking/search", json={"trackingNumber": "x"})
    assert bad.status_code == 400
