"""Paths and methods: ids holding a slash are reachable (sent as ``%2F``), a trailing slash gets
a 404 naming the right path (never an empty redirect), and HEAD works wherever GET does."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shiptrack.app import operations


async def _create(client: Any, **fields: Any) -> dict[str, Any]:
    response = await client.post("/trackers", json=fields)
    assert response.status_code == 201, response.text
    return response.json()["data"]["tracker"]


async def test_ids_holding_slashes_are_reachable_encoded(client):
    tracker = await _create(client, trackingNumber="AB/123/45.6", clientTrackerId="order/2026/1")
    assert tracker["trackingNumber"] == "AB/123/45.6"
    by_client_id = {"searchBy": "clientTrackerId"}
    got = await client.get("/trackers/order%2F2026%2F1", params=by_client_id)
    assert got.status_code == 200, got.text
    assert got.json()["data"]["tracker"]["trackerId"] == tracker["trackerId"]
    results = await client.get("/trackers/order%2F2026%2F1/results", params=by_client_id)
    assert results.status_code == 200, results.text
    patched = await client.patch(
        "/trackers/order%2F2026%2F1", params=by_client_id, json={"courierName": "Post"}
    )
    assert patched.status_code == 200, patched.text
    search = await client.get("/trackers/search/ab%2F123%2F45.6/results")
    assert search.status_code == 200, search.text
    (found,) = search.json()["data"]["trackings"]
    assert found["tracker"]["trackerId"] == tracker["trackerId"]
    # Unencoded, the slashes are path separators: no such endpoint.
    split = await client.get("/trackers/order/2026/1", params=by_client_id)
    assert split.status_code == 404
    assert split.json()["errors"][0]["code"] == "route_not_found"


async def test_an_id_holding_percent_signs_and_slashes_is_taken_literally(client):
    tracker = await _create(client, trackingNumber="PCT0000001", clientTrackerId="a%2Fb/c%25")
    response = await client.get(
        "/trackers/a%252Fb%2Fc%2525", params={"searchBy": "clientTrackerId"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["tracker"]["trackerId"] == tracker["trackerId"]
    # The same text with "%2F" decoded is another id.
    other = await client.get("/trackers/a%2Fb%2Fc%25", params={"searchBy": "clientTrackerId"})
    assert other.status_code == 404
    assert other.json()["errors"][0]["code"] == "tracker_not_found"


@pytest.mark.parametrize(
    ("method", "path", "right"),
    [
        ("GET", "/public/v1/trackers/", "/public/v1/trackers"),
        ("POST", "/public/v1/trackers/", "/public/v1/trackers"),
        ("POST", "/v1/trackers/bulk/", "/v1/trackers/bulk"),
        ("GET", "/public/v1/trackers/abc/results//", "/public/v1/trackers/abc/results"),
        ("GET", "/public/v1/couriers/", "/public/v1/couriers"),
    ],
)
async def test_a_trailing_slash_gets_a_404_naming_the_path_without_it(client, method, path, right):
    response = await client.request(method, "http://shiptrack.test" + path, json={})
    assert response.status_code == 404, response.text
    (error,) = response.json()["errors"]
    assert error["code"] == "route_not_found"
    assert f"the endpoint is {right}, without the trailing slash" in error["message"]


async def test_an_unknown_path_with_a_trailing_slash_is_a_plain_404(client):
    response = await client.get("http://shiptrack.test/public/v1/nothing/")
    assert response.status_code == 404
    message = response.json()["errors"][0]["message"]
    assert "trailing slash" not in message
    assert "/public/v1" in message


def _get_paths() -> list[str]:
    return [op.path for op in operations() if op.method == "GET"]


@pytest.mark.parametrize("path", _get_paths())
async def test_head_answers_like_get_without_a_body(client, path):
    tracker = await _create(client, trackingNumber="HEAD000001", clientTrackerId="head-1")
    concrete = (
        path.replace("{trackerId}", tracker["trackerId"])
        .replace("{trackingNumber}", "HEAD000001")
        .replace("{messageId}", "00000000-0000-4000-8000-000000000000")
    )
    got = await client.get(concrete)
    head = await client.head(concrete)
    assert got.status_code < 500, got.text
    assert head.status_code == got.status_code, head.text
    assert head.headers["content-type"] == got.headers["content-type"]


async def test_head_over_real_http_has_no_body(database_url, server_factory, tmp_path):
    server = server_factory(database_url)
    key = (tmp_path / "shiptrack-api-key.txt").read_text().strip()
    headers = {"Authorization": f"Bearer {key}"}
    created = httpx.post(
        f"{server.url}/public/v1/trackers",
        json={"trackingNumber": "HEAD/000/2", "clientTrackerId": "head/2"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    tracker_id = created.json()["data"]["tracker"]["trackerId"]
    for path in ("/public/v1/trackers", f"/public/v1/trackers/{tracker_id}"):
        head = httpx.head(server.url + path, headers=headers)
        assert head.status_code == 200
        assert head.content == b""
    # uvicorn decodes %2F before routing too: the raw path is what reaches the route.
    got = httpx.get(
        f"{server.url}/public/v1/trackers/head%2F2?searchBy=clientTrackerId", headers=headers
    )
    assert got.status_code == 200, got.text
    assert got.json()["data"]["tracker"]["trackerId"] == tracker_id
    slash = httpx.post(f"{server.url}/public/v1/trackers/", json={}, headers=headers)
    assert slash.status_code == 404
    assert "/public/v1/trackers, without the trailing slash" in slash.text
