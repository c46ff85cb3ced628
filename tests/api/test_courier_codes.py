"""Every courier code of Ship24's catalogue is accepted wherever a courier code is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shiptrack.couriers import catalogue

CAPTURE = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "ship24-couriers.json"
)
if not CAPTURE.is_file():
    pytest.skip(f"Ship24's catalogue is not at {CAPTURE}", allow_module_level=True)

SHIP24_CODES = [c["courierCode"] for c in json.loads(CAPTURE.read_bytes())["data"]["couriers"]]
BULK = 100  # POST /trackers/bulk takes at most 100 trackers


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"engine_enabled": False}


def test_the_capture_is_whole() -> None:
    assert len(SHIP24_CODES) == len(set(SHIP24_CODES)) == 1538


async def test_a_tracker_for_each_ship24_code_is_accepted(client):
    created = 0
    for start in range(0, len(SHIP24_CODES), BULK):
        codes = SHIP24_CODES[start : start + BULK]
        body = [
            {"trackingNumber": f"CODE{start + i:05d}X", "courierCode": [code]}
            for i, code in enumerate(codes)
        ]
        response = await client.post("/trackers/bulk", json=body)
        assert response.status_code == 201, response.text
        answer = response.json()
        assert answer["summary"]["totalCreated"] == len(codes), answer["summary"]
        for item, code in zip(answer["data"], codes, strict=True):
            assert item["tracker"]["courierCode"] == [code]
        created += len(codes)
    assert created == 1538


async def test_ship24_code_at_create_patch_track_and_detect(client):
    response = await client.post(
        "/trackers", json={"trackingNumber": "139EX0001234", "courierCode": ["139express"]}
    )
    assert response.status_code == 201, response.text
    tracker = response.json()["data"]["tracker"]
    assert tracker["courierCode"] == ["139express"]
    patched = await client.patch(
        f"/trackers/{tracker['trackerId']}", json={"courierCode": ["007ex", "zhonglu-logistics"]}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["tracker"]["courierCode"] == [
        "139express",
        "007ex",
        "zhonglu-logistics",
    ]
    detect = await client.post(
        "/couriers/detect", json={"trackingNumber": "139EX0001234", "courierCode": "17postservice"}
    )
    assert detect.status_code == 200, detect.text


async def test_unknown_codes_are_still_refused(client):
    response = await client.post(
        "/trackers", json={"trackingNumber": "139EX0001234", "courierCode": ["139-express"]}
    )
    assert response.status_code == 400
    assert "139-express" in response.json()["errors"][0]["message"]


async def test_get_couriers_lists_every_ship24_courier_in_ship24_s_shape(client):
    couriers = (await client.get("/couriers")).json()["data"]["couriers"]
    assert len(couriers) == len(catalogue.all_couriers()) >= 1538
    assert set(SHIP24_CODES) <= {c["courierCode"] for c in couriers}
    # Ship24's keys only: no shiptrack field in Ship24's answer.
    assert all(tuple(c) == catalogue.SHIP24_KEYS for c in couriers)
    express = next(c for c in couriers if c["courierCode"] == "139express")
    assert express == {
        "courierCode": "139express",
        "courierName": "139express",
        "website": "http://www.139express.com/",
        "isPost": False,
        "countryCode": None,
        "requiredFields": None,
        "isDeprecated": False,
    }
