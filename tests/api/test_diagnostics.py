"""GET /trackers/{id}/diagnostics (shiptrack extension): where checks stand, and numbers a
source can never track."""

from __future__ import annotations

import logging


async def _create(client, number: str) -> str:
    response = await client.post("/trackers/track", json={"trackingNumber": number})
    assert response.status_code in (200, 201), response.text
    return response.json()["data"]["trackings"][0]["tracker"]["trackerId"]


async def test_a_sandbox_number_breaking_the_grammar_says_why(client):
    tracker_id = await _create(client, "SBX-OC-ZZ")
    response = await client.get(f"/trackers/{tracker_id}/diagnostics")
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    (problem,) = data["numberProblems"]
    assert problem["sourceCode"] == "sandbox"
    assert problem["message"].startswith("SBX-OC-ZZ: unknown step 'ZZ': expected an event (OC,")
    assert data["events"] == []
    checks = data["checks"]
    assert checks["isTracked"] is True
    assert checks["checkCount"] >= 1  # the synchronous first check ran and found nothing
    assert checks["lastCheckedAt"].endswith("Z")
    assert checks["stopReason"] is None


async def test_a_valid_number_has_no_problem_and_shows_its_checks(client):
    tracker_id = await _create(client, "SHIP24_SAMPLE_DELIVERED_123")
    data = (await client.get(f"/trackers/{tracker_id}/diagnostics")).json()["data"]
    assert data["numberProblems"] == []
    assert data["events"]
    assert data["checks"]["checkCount"] >= 1
    leg = await client.get(f"/trackers/{await _create(client, 'SBX-OC-1M-DL.2')}/diagnostics")
    (problem,) = leg.json()["data"]["numberProblems"]
    assert problem["message"] == "SBX-OC-1M-DL has no leg 2"


async def test_a_sandbox_number_is_claimed_by_the_sandbox(client):
    tracker_id = await _create(client, "SHIP24_SAMPLE_DELIVERED_123")
    routing = (await client.get(f"/trackers/{tracker_id}/diagnostics")).json()["data"]["routing"]
    assert routing["claimedBy"] == ["sandbox"]
    assert routing["asked"] == ["sandbox"]
    assert routing["trackable"] is True
    assert routing["couriers"] == []
    (said,) = routing["sources"]
    assert (said["sourceCode"], said["outcome"], said["current"]) == ("sandbox", "found", True)
    assert said["checkedAt"].endswith("Z")


async def test_a_number_its_source_does_not_know_says_not_found(client):
    tracker_id = await _create(client, "SBX-OC-ZZ")
    routing = (await client.get(f"/trackers/{tracker_id}/diagnostics")).json()["data"]["routing"]
    (said,) = routing["sources"]
    assert (said["sourceCode"], said["outcome"]) == ("sandbox", "not_found")
    assert said["detail"]


async def test_a_courier_no_running_source_covers_says_what_to_enable(client, caplog):
    from shiptrack.tracking.metrics import CHECKS_WITHOUT_SOURCE

    before = CHECKS_WITHOUT_SOURCE._value.get()
    with caplog.at_level(logging.INFO, logger="shiptrack.engine"):
        created = await client.post(
            "/trackers/track",
            json={"trackingNumber": "9400111899223100001234", "courierCode": ["us-post"]},
        )
    assert created.status_code in (200, 201), created.text
    tracker_id = created.json()["data"]["trackings"][0]["tracker"]["trackerId"]
    # The engine's check of it counted and logged the missing source.
    assert CHECKS_WITHOUT_SOURCE._value.get() > before
    assert any(r.getMessage() == "no source can track" for r in caplog.records)

    routing = (await client.get(f"/trackers/{tracker_id}/diagnostics")).json()["data"]["routing"]
    assert routing["trackable"] is False
    assert routing["asked"] == []
    (courier,) = routing["couriers"]
    assert (courier["courierCode"], courier["from"]) == ("us-post", "courierCode")
    usps = next(s for s in courier["sources"] if s["source"] == "usps")
    assert usps["enabled"] is False
    assert "SHIPTRACK_USPS_CLIENT_ID" in usps["enable"]
    assert routing["explanation"].startswith("No running source can track us-post")
    (said,) = routing["sources"]
    assert (said["sourceCode"], said["outcome"], said["current"]) == (None, "no_source", True)


async def test_without_courier_codes_detection_names_the_candidates(client):
    tracker_id = await _create(client, "1Z999AA10123456784")
    routing = (await client.get(f"/trackers/{tracker_id}/diagnostics")).json()["data"]["routing"]
    ups = next(c for c in routing["couriers"] if c["courierCode"] == "ups")
    assert ups["from"] == "detection"
    assert ups["confidence"] >= 0.3
    assert "check digit" in ups["reason"]
    assert routing["trackable"] is False
    assert "ups" in routing["explanation"]
