"""POST /trackers: shapes, normalisation, validation and Ship24's reuse rule."""

from __future__ import annotations

import datetime as dt
import re

import pytest

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
TRACKER_KEYS = [
    "trackerId",
    "trackingNumber",
    "shipmentReference",
    "courierCode",
    "clientTrackerId",
    "isSubscribed",
    "isTracked",
    "createdAt",
]


async def test_create_answers_201_with_the_tracker(client):
    response = await client.post("/trackers", json={"trackingNumber": "ra123456785gb"})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"]
    tracker = response.json()["data"]["tracker"]
    assert list(tracker) == TRACKER_KEYS
    assert tracker["trackingNumber"] == "RA123456785GB"
    assert tracker["shipmentReference"] is None
    assert tracker["clientTrackerId"] is None
    assert tracker["courierCode"] == []
    assert tracker["isSubscribed"] is True
    assert tracker["isTracked"] is True
    assert TIMESTAMP.match(tracker["createdAt"])


@pytest.mark.parametrize("prefix", ["/public/v1", "/v1"])
async def test_both_prefixes_serve_the_api(client, prefix):
    url = f"http://shiptrack.test{prefix}/trackers"
    response = await client.post(url, json={"trackingNumber": "ABCDE12345"})
    assert response.status_code == 201
    got = await client.get(f"http://shiptrack.test{prefix}/trackers")
    assert got.json()["data"]["trackers"][0]["trackingNumber"] == "ABCDE12345"


async def test_fields_are_normalised(client):
    body = {
        "trackingNumber": " 1z999aa10123456784 ",
        "courierCode": "UPS",
        "originCountryCode": "usa",
        "destinationCountryCode": "fr",
        "destinationPostCode": "75001",
        "shippingDate": "2026-11-01T10:00:00+02:00",
        "shipmentReference": "ref-1",
        "clientTrackerId": "c-1",
        "recipient": {"email": "ann@example.com", "name": "Ann"},
        "settings": {"restrictTrackingToCourierCode": True},
    }
    tracker = (await client.post("/trackers", json=body)).json()["data"]["tracker"]
    assert tracker["trackingNumber"] == "1Z999AA10123456784"
    assert tracker["courierCode"] == ["ups"]
    assert tracker["shipmentReference"] == "ref-1"
    assert tracker["clientTrackerId"] == "c-1"


async def test_same_fields_return_the_same_tracker(client):
    body = {
        "trackingNumber": "RA123456785GB",
        "destinationCountryCode": "FRA",
        "shippingDate": "2026-11-20",
    }
    first = (await client.post("/trackers", json=body)).json()["data"]["tracker"]
    # Alpha-3 vs alpha-2 and a time on the same day are the same tracker.
    again = await client.post(
        "/trackers",
        json={**body, "destinationCountryCode": "FR", "shippingDate": "2026-11-20T18:00:00Z"},
    )
    assert again.status_code == 201
    assert again.json()["data"]["tracker"]["trackerId"] == first["trackerId"]
    # orderNumber, title and recipient do not split trackers.
    third = await client.post("/trackers", json={**body, "orderNumber": "o-9", "title": "x"})
    assert third.json()["data"]["tracker"]["trackerId"] == first["trackerId"]
    listed = (await client.get("/trackers")).json()["data"]["trackers"]
    assert len(listed) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"destinationCountryCode": "DE"},
        {"originCountryCode": "US"},
        {"destinationPostCode": "10115"},
        {"shipmentReference": "other"},
        {"courierCode": ["gb-post"]},
        {"shippingDate": "2026-11-21"},
        {"courierName": "Royal Mail"},
        {"trackingUrl": "https://example.com/t"},
    ],
)
async def test_any_defining_field_change_creates_a_new_tracker(client, change):
    body = {
        "trackingNumber": "RA123456785GB",
        "destinationCountryCode": "FR",
        "shippingDate": "2026-11-20",
    }
    first = (await client.post("/trackers", json=body)).json()["data"]["tracker"]
    second = (await client.post("/trackers", json={**body, **change})).json()["data"]["tracker"]
    assert second["trackerId"] != first["trackerId"]


async def test_client_tracker_id_conflict(client):
    await client.post(
        "/trackers", json={"trackingNumber": "RA123456785GB", "clientTrackerId": "order-7"}
    )
    response = await client.post(
        "/trackers",
        json={
            "trackingNumber": "RA123456785GB",
            "clientTrackerId": "order-7",
            "destinationCountryCode": "FR",
        },
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "tracker_conflict"
    assert "order-7" in error["message"]
    other_number = await client.post(
        "/trackers", json={"trackingNumber": "CP123456785DE", "clientTrackerId": "order-7"}
    )
    assert other_number.json()["errors"][0]["code"] == "tracker_conflict"


async def test_unsubscribing_frees_the_client_tracker_id(client):
    first = (
        await client.post(
            "/trackers", json={"trackingNumber": "RA123456785GB", "clientTrackerId": "order-8"}
        )
    ).json()
    first_id = first["data"]["tracker"]["trackerId"]
    patched = await client.patch(f"/trackers/{first_id}", json={"isSubscribed": False})
    assert patched.json()["data"]["tracker"]["isSubscribed"] is False
    assert patched.json()["data"]["tracker"]["isTracked"] is False
    second = await client.post(
        "/trackers", json={"trackingNumber": "CP123456785DE", "clientTrackerId": "order-8"}
    )
    assert second.status_code == 201
    second_id = second.json()["data"]["tracker"]["trackerId"]
    assert second_id != first_id
    found = (await client.get("/trackers/order-8?searchBy=clientTrackerId")).json()
    assert found["data"]["tracker"]["trackerId"] == second_id
    # Re-subscribing the first would give two subscribed trackers the same id: refused.
    again = await client.patch(f"/trackers/{first_id}", json={"isSubscribed": True})
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "tracker_conflict"


def _days_ago(days: int) -> str:
    return (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("body", "status", "code", "fragment"),
    [
        ({}, 400, "missing_mandatory_field", "trackingNumber"),
        ({"trackingNumber": None}, 400, "missing_mandatory_field", "trackingNumber"),
        ({"trackingNumber": "AB12"}, 400, "validation_error", "between 5 and 50"),
        ({"trackingNumber": "A" * 51}, 400, "validation_error", "between 5 and 50"),
        ({"trackingNumber": "AB12 345"}, 400, "validation_error", "letters, numbers"),
        ({"trackingNumber": "AB12#345"}, 400, "validation_error", "letters, numbers"),
        ({"trackingNumber": "123456789"}, 400, "validation_error", "dummy"),
        ({"trackingNumber": "987654321"}, 400, "validation_error", "dummy"),
        ({"trackingNumber": "0000000000"}, 400, "validation_error", "dummy"),
        ({"trackingNumber": "ABABABAB"}, 400, "validation_error", "dummy"),
        ({"trackingNumber": 12345678}, 400, "validation_error", "must be a string"),
        (
            {"trackingNumber": "RA123456785GB", "destinationCountryCode": "F"},
            400,
            "validation_error",
            "2 or 3 characters",
        ),
        (
            {"trackingNumber": "RA123456785GB", "destinationCountryCode": "XX"},
            400,
            "validation_error",
            "valid country code",
        ),
        (
            {"trackingNumber": "RA123456785GB", "originCountryCode": "ZZZ"},
            400,
            "validation_error",
            "originCountryCode",
        ),
        (
            {"trackingNumber": "RA123456785GB", "destinationPostCode": "75#01"},
            400,
            "validation_error",
            "destinationPostCode",
        ),
        (
            {"trackingNumber": "RA123456785GB", "destinationPostCode": "1" * 33},
            400,
            "validation_error",
            "destinationPostCode",
        ),
        (
            {"trackingNumber": "RA123456785GB", "shippingDate": "yesterday"},
            400,
            "validation_error",
            "shippingDate",
        ),
        (
            {"trackingNumber": "RA123456785GB", "shippingDate": "2026-02-30"},
            400,
            "validation_error",
            "shippingDate",
        ),
        (
            {"trackingNumber": "RA123456785GB", "shippingDate": _days_ago(181)},
            400,
            "shipping_date_outdated",
            "180 days",
        ),
        (
            {"trackingNumber": "RA123456785GB", "courierCode": "no-such-courier"},
            400,
            "validation_error",
            "no-such-courier",
        ),
        (
            {"trackingNumber": "RA123456785GB", "courierCode": ["ups", "fedex", "dhl", "gls"]},
            400,
            "validation_error",
            "at most 3",
        ),
        (
            {"trackingNumber": "RA123456785GB", "courierCode": 7},
            400,
            "validation_error",
            "courierCode",
        ),
        (
            {"trackingNumber": "RA123456785GB", "clientTrackerId": "x" * 101},
            400,
            "validation_error",
            "clientTrackerId",
        ),
        (
            {"trackingNumber": "RA123456785GB", "shipmentReference": "x" * 101},
            400,
            "validation_error",
            "shipmentReference",
        ),
        (
            {"trackingNumber": "RA123456785GB", "recipient": {"email": "not-an-email"}},
            400,
            "validation_error",
            "recipient.email",
        ),
        (
            {"trackingNumber": "RA123456785GB", "recipient": {"name": "x" * 101}},
            400,
            "validation_error",
            "recipient.name",
        ),
        (
            {"trackingNumber": "RA123456785GB", "settings": {"restrictTrackingToCourierCode": 1}},
            400,
            "validation_error",
            "restrictTrackingToCourierCode",
        ),
    ],
)
async def test_bad_input_gets_a_helpful_error(client, body, status, code, fragment):
    response = await client.post("/trackers", json=body)
    assert response.status_code == status, response.text
    payload = response.json()
    assert payload["data"] is None
    assert payload["errors"][0]["code"] == code
    assert fragment in " ".join(e["message"] for e in payload["errors"])
    assert (await client.get("/trackers")).json()["data"]["trackers"] == []


async def test_several_problems_are_all_reported(client):
    response = await client.post(
        "/trackers",
        json={
            "trackingNumber": "RA123456785GB",
            "originCountryCode": "QQ",
            "destinationPostCode": "#",
        },
    )
    codes = [e["code"] for e in response.json()["errors"]]
    assert codes == ["validation_error", "validation_error"]


async def test_shipping_date_formats_are_accepted(client):
    day = _days_ago(3)
    for value in (day, f"{day}T11:09:00", f"{day}T11:09:00.000Z", f"{day}T11:09:00+02:00"):
        response = await client.post(
            "/trackers", json={"trackingNumber": "RA123456785GB", "shippingDate": value}
        )
        assert response.status_code == 201, (value, response.text)


async def test_deprecated_and_duplicate_courier_codes(client):
    response = await client.post(
        "/trackers", json={"trackingNumber": "RA123456785GB", "courierCode": ["gb-post", "GB-POST"]}
    )
    assert response.json()["data"]["tracker"]["courierCode"] == ["gb-post"]
