"""POST /trackers/bulk: both body shapes, per-item statuses in input order, 201/207/400/403."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("wrap", [False, True])
async def test_bulk_success(client, wrap):
    items = [{"trackingNumber": f"RA12345{n:04d}GB"} for n in range(5)]
    response = await client.post("/trackers/bulk", json={"trackers": items} if wrap else items)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "success"
    assert body["error"] is None
    assert body["summary"] == {
        "totalInputs": 5,
        "totalCreated": 5,
        "totalExisting": 0,
        "totalErrors": 0,
    }
    assert [d["tracker"]["trackingNumber"] for d in body["data"]] == [
        i["trackingNumber"] for i in items
    ]
    assert all(d["itemStatus"] == "created" and d["errors"] is None for d in body["data"])
    assert body["data"][0]["inputData"] == items[0]


async def test_bulk_partial_keeps_input_order(client):
    await client.post("/trackers", json={"trackingNumber": "EXISTING001"})
    items = [
        {"trackingNumber": "GOOD00001"},
        {"trackingNumber": "TEST"},
        {"trackingNumber": "EXISTING001"},
        {"trackingNumber": "GOOD00001"},
        {"destinationCountryCode": "FR"},
    ]
    response = await client.post("/trackers/bulk", json=items)
    assert response.status_code == 207
    body = response.json()
    assert body["status"] == "partial"
    statuses = [d["itemStatus"] for d in body["data"]]
    assert statuses == ["created", "error", "existing", "existing", "error"]
    assert body["summary"] == {
        "totalInputs": 5,
        "totalCreated": 1,
        "totalExisting": 2,
        "totalErrors": 2,
    }
    assert body["data"][1]["tracker"] is None
    assert body["data"][1]["errors"][0]["code"] == "validation_error"
    assert body["data"][4]["errors"][0]["code"] == "missing_mandatory_field"
    # The duplicate inside the request resolved to the tracker created just before it.
    assert body["data"][3]["tracker"]["trackerId"] == body["data"][0]["tracker"]["trackerId"]


async def test_bulk_all_invalid(client):
    response = await client.post("/trackers/bulk", json=[{"trackingNumber": "X"}, {}])
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "error"
    assert body["error"]["code"] == "processing_error"
    assert len(body["data"]) == 2


async def test_bulk_over_100(client):
    items = [{"trackingNumber": f"RA1{n:08d}GB"} for n in range(101)]
    response = await client.post("/trackers/bulk", json=items)
    assert response.status_code == 403
    body = response.json()
    assert body == {
        "status": "error",
        "summary": None,
        "data": None,
        "error": {"code": "bulk_create_limit_exceeded", "message": body["error"]["message"]},
    }
    assert (await client.get("/trackers")).json()["data"]["trackers"] == []


@pytest.mark.parametrize("body", [[], {"foo": 1}, "text"])
async def test_bulk_bad_body(client, body):
    response = await client.post("/trackers/bulk", json=body)
    assert response.status_code == 400
    assert response.json()["status"] == "error"


async def test_bulk_100_items(client):
    items = [{"trackingNumber": f"RA1{n:08d}GB"} for n in range(100)]
    response = await client.post("/trackers/bulk", json=items)
    assert response.status_code == 201
    assert response.json()["summary"]["totalCreated"] == 100
