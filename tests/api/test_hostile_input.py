"""Hostile input answers a 4xx naming what to fix, and never fails another client's request.

On both databases: NUL characters anywhere (bodies, path ids, ``searchBy``, webhook queries),
over-deep JSON, out-of-range paging, webhook URLs that grow past the limit once encoded; and
a create the database refuses fails alone, not the group-committed creates beside it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from shiptrack.api.inputs import MAX_JSON_DEPTH
from shiptrack.app import services_of
from shiptrack.trackers.creator import TrackerCreator
from shiptrack.trackers.validation import TrackerInput
from shiptrack.webhooks.safety import MAX_URL_LENGTH

NUL = "\x00"


def _errors(response: Any) -> str:
    body = response.json()
    assert body["data"] is None, body
    return " ".join(e["message"] for e in body["errors"])


async def _trackers(client: Any) -> list[dict[str, Any]]:
    return (await client.get("/trackers")).json()["data"]["trackers"]


# --- NUL characters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"trackingNumber": f"PGNUL{NUL}12345"}, "trackingNumber"),
        ({"title": f"x{NUL}"}, "title"),
        ({"shipmentReference": f"ref{NUL}"}, "shipmentReference"),
        ({"clientTrackerId": f"order{NUL}1"}, "clientTrackerId"),
        ({"courierName": f"{NUL}"}, "courierName"),
        ({"trackingUrl": f"https://example.com/{NUL}"}, "trackingUrl"),
        ({"orderNumber": f"A{NUL}"}, "orderNumber"),
        ({"originCountryCode": f"F{NUL}"}, "originCountryCode"),
        ({"destinationCountryCode": f"FR{NUL}"}, "destinationCountryCode"),
        ({"destinationPostCode": f"750{NUL}01"}, "destinationPostCode"),
        ({"shippingDate": f"2026-11-20{NUL}"}, "shippingDate"),
        ({"courierCode": ["ups", f"fed{NUL}ex"]}, "courierCode[1]"),
        ({"recipient": {"name": f"Ann{NUL}"}}, "recipient.name"),
        ({"recipient": {"email": f"ann{NUL}@example.com"}}, "recipient.email"),
        ({"unknownField": {"deep": [f"{NUL}"]}}, "unknownField.deep[0]"),
        ({f"ti{NUL}tle": "x"}, "The key 'ti\\u0000tle'"),
    ],
)
async def test_a_nul_in_any_create_field_is_a_400_naming_the_field(client, fields, named):
    body = {"trackingNumber": "PGNUL12345", **fields}
    for path in ("/trackers", "/trackers/track", "/tracking/search"):
        response = await client.post(path, json=body)
        assert response.status_code == 400, (path, response.text)
        assert response.json()["errors"][0]["code"] == "validation_error"
        message = _errors(response)
        assert f"{named} contains a NUL character" in message, message
    assert await _trackers(client) == []


async def test_a_nul_in_patch_detect_and_webhook_bodies_is_a_400(client):
    tracker = (await client.post("/trackers", json={"trackingNumber": "PGNUL12345"})).json()
    tracker_id = tracker["data"]["tracker"]["trackerId"]
    for method, path, body, named in (
        ("PATCH", f"/trackers/{tracker_id}", {"courierName": f"x{NUL}"}, "courierName"),
        ("PATCH", f"/trackers/{tracker_id}", {"recipient": {"name": NUL}}, "recipient.name"),
        ("POST", "/couriers/detect", {"trackingNumber": f"1Z{NUL}"}, "trackingNumber"),
        ("PUT", "/account/webhook", {"url": f"https://example.com/{NUL}"}, "url"),
    ):
        response = await client.request(method, path, json=body)
        assert response.status_code == 400, (path, response.text)
        assert f"{named} contains a NUL character" in _errors(response)
    unchanged = (await client.get(f"/trackers/{tracker_id}")).json()["data"]["tracker"]
    assert unchanged == tracker["data"]["tracker"]


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/trackers/abc%00def", "path parameter trackerId"),
        ("/trackers/abc%00def/results", "path parameter trackerId"),
        ("/trackers/abc%00def/webhook-history/download", "path parameter trackerId"),
        ("/trackers/search/PGNUL%0012345/results", "path parameter trackingNumber"),
        ("/account/webhook/messages/m%00", "path parameter messageId"),
        ("/trackers/x?searchBy=clientTrackerId%00", "query parameter searchBy"),
        ("/trackers?sort=1%00", "query parameter sort"),
        ("/account/webhook/messages?trackerId=a%00", "query parameter trackerId"),
        ("/account/webhook/messages?status=failed%00", "query parameter status"),
        ("/account/webhook/messages?x%00=1", "query parameter x\\u0000"),
    ],
)
async def test_a_nul_in_a_path_or_query_parameter_is_a_400_naming_it(client, path, named):
    response = await client.get(path)
    assert response.status_code == 400, response.text
    assert f"The {named} contains a NUL character" in _errors(response)


async def test_a_bulk_item_with_a_nul_fails_alone(client):
    items = [
        {"trackingNumber": "BULKOK00001"},
        {"trackingNumber": "BULKNUL0002", "title": f"x{NUL}"},
        {"trackingNumber": "BULKOK00003", "recipient": {"name": "Ann"}},
    ]
    response = await client.post("/trackers/bulk", json=items)
    assert response.status_code == 207, response.text
    body = response.json()
    assert body["status"] == "partial"
    assert body["summary"] == {
        "totalInputs": 3,
        "totalCreated": 2,
        "totalExisting": 0,
        "totalErrors": 1,
    }
    statuses = [item["itemStatus"] for item in body["data"]]
    assert statuses == ["created", "error", "created"]
    (error,) = body["data"][1]["errors"]
    assert error["code"] == "validation_error"
    assert "title contains a NUL character" in error["message"]
    listed = {t["trackingNumber"] for t in await _trackers(client)}
    assert listed == {"BULKOK00001", "BULKOK00003"}


async def test_thirty_concurrent_creates_beside_a_malicious_one_all_succeed(client):
    """Group commit writes concurrent creates together: the malicious one must not take the
    others down (on PostgreSQL a NUL used to fail the whole group)."""
    valid = [
        client.post("/trackers", json={"trackingNumber": f"GROUP{n:05d}", "title": "ok"})
        for n in range(30)
    ]
    malicious = client.post("/trackers", json={"trackingNumber": "GROUPBAD01", "title": NUL})
    *created, refused = await asyncio.gather(*valid, malicious)
    assert [r.status_code for r in created] == [201] * 30, [r.text for r in created]
    assert refused.status_code == 400
    assert len(await _trackers(client)) == 30


async def test_an_item_the_database_refuses_fails_only_its_own_create(app, client):
    """The group commit itself isolates a failing item, whatever the edge let through: 40
    valid creates and one the database refuses (a shipping date that is not a date), queued
    together, give 40 trackers and one error."""
    creator = TrackerCreator(services_of(app).db)
    good = [TrackerInput(tracking_number=f"ISOLATE{n:04d}") for n in range(40)]
    bad = TrackerInput(tracking_number="ISOLATEBAD1", shipping_date="not a date")  # type: ignore[arg-type]
    tasks = [creator.create(client.account_id, item) for item in good[:20]]
    tasks.append(creator.create(client.account_id, bad))
    tasks.extend(creator.create(client.account_id, item) for item in good[20:])
    results = await asyncio.gather(*tasks, return_exceptions=True)
    await creator.wait_idle()
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 1
    assert results.index(failed[0]) == 20
    outcomes = [r for r in results if not isinstance(r, BaseException)]
    assert all(o.created and o.error is None for o in outcomes)
    assert {o.row.tracking_number for o in outcomes} == {i.tracking_number for i in good}
    assert len(await _trackers(client)) == 40


# --- nesting and size --------------------------------------------------------------------------


def _nested(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = [value]
    return value


async def test_json_nested_past_the_limit_is_refused_before_anything_is_written(client):
    # The body object is one level; its "extra" field adds the rest.
    at_limit = {"trackingNumber": "DEEP000001", "extra": _nested(MAX_JSON_DEPTH - 1)}
    assert (await client.post("/trackers", json=at_limit)).status_code == 201
    for body in (
        {"trackingNumber": "DEEP000002", "extra": _nested(MAX_JSON_DEPTH)},
        {"trackingNumber": "DEEP000003", "extra": _nested(300)},
    ):
        response = await client.post("/trackers", json=body)
        assert response.status_code == 400, response.text
        assert f"more than {MAX_JSON_DEPTH} levels deep" in _errors(response)
    bulk = [{"trackingNumber": "DEEP000004"}, {"trackingNumber": "DEEP5", "x": _nested(300)}]
    response = await client.post("/trackers/bulk", json=bulk)
    assert response.status_code == 400, response.text
    assert [t["trackingNumber"] for t in await _trackers(client)] == ["DEEP000001"]


@pytest.mark.parametrize("settings_overrides", [{"max_body_bytes": 10_000}])
async def test_an_over_large_body_is_a_413_and_writes_nothing(client, settings_overrides):
    body = [{"trackingNumber": f"LARGE{n:05d}", "title": "t" * 150} for n in range(100)]
    response = await client.post("/trackers/bulk", json=body)
    assert response.status_code == 413, response.text
    assert response.json()["errors"][0]["code"] == "payload_too_large"
    assert await _trackers(client) == []


# --- paging ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999",
        "page=1000001",
        "page=5000000&limit=500",
        "page=0",
        "limit=501",
        "limit=0",
        "page=1e3",
    ],
)
async def test_paging_out_of_bounds_is_a_400(client, query):
    for sort in ("1", "-1"):
        response = await client.get(f"/trackers?{query}&sort={sort}")
        assert response.status_code == 400, response.text
        assert "must be a whole number between" in _errors(response)


async def test_the_last_page_is_served(client):
    await client.post("/trackers", json={"trackingNumber": "PAGE000001"})
    for sort in ("1", "-1"):
        response = await client.get(f"/trackers?page=1000000&limit=500&sort={sort}")
        assert response.status_code == 200, response.text
        assert response.json()["data"]["trackers"] == []


# --- webhook URL length ------------------------------------------------------------------------


@pytest.fixture
def webhook_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_PROBE_ON_SAVE", "false")
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_ALLOW_PRIVATE", "true")


async def test_a_webhook_url_is_measured_once_encoded(webhook_env, client):
    base = "http://127.0.0.1:9/"
    # "é" is 6 characters once percent-encoded (%C3%A9): 1,000 of them pass a raw length
    # check and make a 6,000-character URL.
    grown = await client.put("/account/webhook", json={"url": base + "é" * 1000})
    assert grown.status_code == 400, grown.text
    assert "once encoded (IDNA host name, percent-encoded path and query)" in _errors(grown)
    assert f"the limit is {MAX_URL_LENGTH}" in _errors(grown)
    assert (await client.get("/account/webhook")).status_code == 404
    exact = base + "a" * (MAX_URL_LENGTH - len(base))
    assert (await client.put("/account/webhook", json={"url": exact + "é"})).status_code == 400
    saved = await client.put("/account/webhook", json={"url": exact})
    assert saved.status_code == 201, saved.text
    assert saved.json()["data"]["webhook"]["url"] == exact


# --- restrictTrackingToCourierCode -------------------------------------------------------------


async def test_restricting_without_courier_codes_is_accepted(client):
    body = {"trackingNumber": "RESTRICT001", "settings": {"restrictTrackingToCourierCode": True}}
    response = await client.post("/trackers", json=body)
    assert response.status_code == 201, response.text
    search = await client.post("/tracking/search", json=body)
    assert search.status_code == 201, search.text


async def test_the_restrict_flag_is_part_of_the_reuse_rule(client):
    number = {"trackingNumber": "RESTRICT002", "courierCode": ["ups"]}
    restricted = {**number, "settings": {"restrictTrackingToCourierCode": True}}
    first = (await client.post("/trackers", json=number)).json()["data"]["tracker"]
    second = (await client.post("/trackers", json=restricted)).json()["data"]["tracker"]
    assert second["trackerId"] != first["trackerId"]
    again = (await client.post("/trackers", json=restricted)).json()["data"]["tracker"]
    assert again["trackerId"] == second["trackerId"]
    plain = (await client.post("/trackers", json=number)).json()["data"]["tracker"]
    assert plain["trackerId"] == first["trackerId"]
