"""Authentication errors exactly as Ship24's, and account isolation."""

from __future__ import annotations

import pytest

from shiptrack.accounts import service as accounts
from shiptrack.app import services_of


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 400, "auth_missing_header"),
        ({"Authorization": ""}, 400, "auth_missing_header"),
        ({"Authorization": "apik_abc"}, 400, "auth_invalid_header"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 400, "auth_invalid_header"),
        ({"Authorization": "Bearer "}, 400, "auth_invalid_header"),
        ({"Authorization": "Bearer apik_not_a_real_key"}, 401, "auth_invalid_api_key"),
    ],
)
async def test_auth_errors(client, headers, status, code):
    client.headers.pop("Authorization")
    response = await client.get("/trackers", headers=headers)
    assert response.status_code == status
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["code"] == code
    assert "Bearer" in body["errors"][0]["message"] or "key" in body["errors"][0]["message"]


async def test_revoked_key_is_refused(client, app):
    new = await accounts.create_key(services_of(app).db, "acme", "second")
    ok = await client.get("/trackers", headers={"Authorization": f"Bearer {new.key}"})
    assert ok.status_code == 200
    await accounts.revoke_key(services_of(app).db, new.info.id)
    services_of(app).key_cache.clear()
    refused = await client.get("/trackers", headers={"Authorization": f"Bearer {new.key}"})
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "auth_invalid_api_key"


async def test_accounts_never_see_each_others_trackers(client, other_client):
    created = (
        await client.post(
            "/trackers", json={"trackingNumber": "RA123456785GB", "clientTrackerId": "order-1"}
        )
    ).json()
    tracker_id = created["data"]["tracker"]["trackerId"]

    for path in (
        f"/trackers/{tracker_id}",
        f"/trackers/{tracker_id}/results",
        "/trackers/order-1?searchBy=clientTrackerId",
        "/trackers/search/RA123456785GB/results",
    ):
        response = await other_client.get(path)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["code"] == "tracker_not_found"
    patched = await other_client.patch(f"/trackers/{tracker_id}", json={"isSubscribed": False})
    assert patched.status_code == 404
    listed = (await other_client.get("/trackers")).json()
    assert listed["data"]["trackers"] == []
    # The same number and clientTrackerId make a separate tracker for the other account.
    mine = (
        await other_client.post(
            "/trackers", json={"trackingNumber": "RA123456785GB", "clientTrackerId": "order-1"}
        )
    ).json()
    assert mine["data"]["tracker"]["trackerId"] != tracker_id
    still = (await client.get(f"/trackers/{tracker_id}")).json()
    assert still["data"]["tracker"]["isSubscribed"] is True
