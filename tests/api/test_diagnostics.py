"""GET /trackers/{id}/diagnostics (shiptrack extension): where checks stand, and numbers a
source can never track."""

from __future__ import annotations


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
    leg = (await client.get(f"/trackers/{await _create(client, 'SBX-OC-1M-DL.2')}/diagnostics"))
    (problem,) = leg.json()["data"]["numberProblems"]
    assert problem["message"] == "SBX-OC-1M-DL has no leg 2"
