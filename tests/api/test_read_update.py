"""GET /trackers paging, GET/PATCH one tracker, results endpoints, couriers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from shiptrack.app import services_of
from shiptrack.db.tables import tracker_schedule


async def _create(client, number, **fields):
    response = await client.post("/trackers", json={"trackingNumber": number, **fields})
    assert response.status_code == 201, response.text
    return response.json()["data"]["tracker"]


async def test_list_pages_and_sort(client):
    items = [{"trackingNumber": f"PAGE{n:05d}X"} for n in range(25)]
    await client.post("/trackers/bulk", json=items)
    first = (await client.get("/trackers?limit=10")).json()["data"]["trackers"]
    assert [t["trackingNumber"] for t in first] == [f"PAGE{n:05d}X" for n in range(10)]
    third = (await client.get("/trackers?limit=10&page=3")).json()["data"]["trackers"]
    assert [t["trackingNumber"] for t in third] == [f"PAGE{n:05d}X" for n in range(20, 25)]
    newest = (await client.get("/trackers?limit=10&sort=-1")).json()["data"]["trackers"]
    assert newest[0]["trackingNumber"] == "PAGE00024X"
    last = (await client.get("/trackers?limit=10&page=3&sort=-1")).json()["data"]["trackers"]
    assert [t["trackingNumber"] for t in last] == [f"PAGE{n:05d}X" for n in range(4, -1, -1)]
    beyond = (await client.get("/trackers?page=9&limit=10")).json()["data"]["trackers"]
    assert beyond == []
    default = (await client.get("/trackers")).json()["data"]["trackers"]
    assert len(default) == 25


async def test_get_by_id_and_client_id(client):
    tracker = await _create(client, "RA123456785GB", clientTrackerId="order-42")
    by_id = await client.get(f"/trackers/{tracker['trackerId']}")
    assert by_id.json() == {"data": {"tracker": tracker}}
    by_client = await client.get("/trackers/order-42?searchBy=clientTrackerId")
    assert by_client.json()["data"]["tracker"] == tracker
    # A clientTrackerId without searchBy is not a trackerId.
    missing = await client.get("/trackers/order-42")
    assert missing.status_code == 404
    assert missing.json()["errors"][0] == {
        "code": "tracker_not_found",
        "message": missing.json()["errors"][0]["message"],
    }


async def test_patch_adds_courier_codes_and_updates_hints(client):
    tracker = await _create(client, "RA123456785GB", courierCode="gb-post")
    response = await client.patch(
        f"/trackers/{tracker['trackerId']}",
        json={
            "courierCode": ["ups", "gb-post"],
            "destinationCountryCode": "DEU",
            "courierName": "Royal Mail",
            "recipient": {"name": "Ann"},
        },
    )
    assert response.status_code == 200
    assert response.json()["data"]["tracker"]["courierCode"] == ["gb-post", "ups"]


async def test_patch_courier_codes_limit(client):
    tracker = await _create(client, "RA123456785GB", courierCode=["ups", "fedex", "dhl"])
    tid = tracker["trackerId"]
    assert (
        await client.patch(f"/trackers/{tid}", json={"courierCode": ["gls", "dpd", "yodel"]})
    ).status_code == 200
    assert (
        await client.patch(
            f"/trackers/{tid}", json={"courierCode": ["us-post", "gb-post", "de-post"]}
        )
    ).status_code == 200
    over = await client.patch(f"/trackers/{tid}", json={"courierCode": "fr-post"})
    assert over.status_code == 400
    assert "at most 9" in over.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"courierCode": "ups"},
        {"originCountryCode": "US"},
        {"destinationCountryCode": "FR"},
        {"destinationPostCode": "75001"},
        {"shippingDate": "2026-11-20"},
    ],
)
async def test_patch_immutable_once_data_found(client, app, body):
    tracker = await _create(client, "RA123456785GB")
    async with services_of(app).db.write() as conn:
        await conn.execute(
            update(tracker_schedule)
            .where(tracker_schedule.c.tracker_id == tracker["trackerId"])
            .values(has_data=True)
        )
    response = await client.patch(f"/trackers/{tracker['trackerId']}", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "tracker_not_updatable"
    # isSubscribed stays updatable.
    ok = await client.patch(f"/trackers/{tracker['trackerId']}", json={"isSubscribed": False})
    assert ok.status_code == 200


async def test_patch_resending_immutable_fields_current_values_is_accepted(client, app):
    """Part A #6 freezes the hints once data is found; sending them unchanged is no change."""
    shipped = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)).isoformat()
    hints = {
        "courierCode": ["ups"],
        "originCountryCode": "US",
        "destinationCountryCode": "FR",
        "destinationPostCode": "75001",
        "shippingDate": shipped,
    }
    tracker = await _create(client, "RA123456785GB", **hints)
    async with services_of(app).db.write() as conn:
        await conn.execute(
            update(tracker_schedule)
            .where(tracker_schedule.c.tracker_id == tracker["trackerId"])
            .values(has_data=True)
        )
    same = {**hints, "courierCode": "UPS", "originCountryCode": "USA", "shippingDate": shipped}
    for body in (hints, same, *({k: v} for k, v in hints.items())):
        response = await client.patch(f"/trackers/{tracker['trackerId']}", json=body)
        assert response.status_code == 200, (body, response.text)
        assert response.json()["data"]["tracker"] == tracker
    changed = await client.patch(
        f"/trackers/{tracker['trackerId']}", json={**hints, "destinationPostCode": "75002"}
    )
    assert changed.status_code == 400
    assert changed.json()["errors"][0]["code"] == "tracker_not_updatable"


@pytest.mark.parametrize(
    "body",
    [
        {"isSubscribed": "no"},
        {"courierCode": "nope"},
        {"originCountryCode": "QQ"},
        {"recipient": {"email": "a@b.co"}},
        ["isSubscribed"],
    ],
)
async def test_patch_validation(client, body):
    tracker = await _create(client, "RA123456785GB")
    response = await client.patch(f"/trackers/{tracker['trackerId']}", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "validation_error"


async def test_patch_unknown_tracker(client):
    response = await client.patch(
        "/trackers/00000000-0000-0000-0000-000000000000", json={"isSubscribed": False}
    )
    assert response.status_code == 404


async def test_results_of_a_new_tracker_are_pending(client):
    tracker = await _create(client, "RA123456785GB")
    body = (await client.get(f"/trackers/{tracker['trackerId']}/results")).json()
    (tracking,) = body["data"]["trackings"]
    assert list(tracking) == ["tracker", "shipment", "events", "statistics"]
    assert tracking["tracker"] == tracker
    shipment = tracking["shipment"]
    assert shipment["statusMilestone"] == "pending"
    assert shipment["statusCode"] is None
    assert shipment["shipmentId"]
    assert shipment["delivery"] == {
        "estimatedDeliveryDate": None,
        "courierEstimatedDeliveryDate": None,
        "service": None,
        "signedBy": None,
    }
    assert shipment["trackingNumbers"] == [{"tn": "RA123456785GB"}]
    assert tracking["events"] == []
    assert set(tracking["statistics"]["timestamps"].values()) == {None}


async def test_search_results_by_number(client):
    a = await _create(client, "RA123456785GB")
    b = await _create(client, "RA123456785GB", destinationCountryCode="FR")
    body = (await client.get("/trackers/search/ra123456785gb/results")).json()
    ids = [t["tracker"]["trackerId"] for t in body["data"]["trackings"]]
    assert ids == [a["trackerId"], b["trackerId"]]
    missing = await client.get("/trackers/search/NOSUCH12345/results")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "tracker_not_found"


async def test_couriers_catalogue(client):
    body = (await client.get("/couriers")).json()
    couriers = body["data"]["couriers"]
    codes = {c["courierCode"] for c in couriers}
    assert {"us-post", "ups", "fedex", "dhl", "gb-post", "sandbox"} <= codes
    assert list(couriers[0]) == [
        "courierCode",
        "courierName",
        "website",
        "isPost",
        "countryCode",
        "requiredFields",
        "isDeprecated",
    ]
