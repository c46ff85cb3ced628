"""The app's outermost layer (``api.middleware.ShiptrackMiddleware``, decision 33): the API's
operations answered before Starlette, everything else through it, and in both cases the same
envelope for what goes wrong."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.requests import Request
from starlette.routing import Route
from tests.conftest import make_settings

from shiptrack.accounts import service as accounts
from shiptrack.api.middleware import RequestIds
from shiptrack.app import create_app, replace_services, services_of


def _internal_error(response: httpx.Response) -> str:
    assert response.status_code == 500, response.text
    assert response.headers["content-type"] == "application/json"
    request_id = response.headers["x-request-id"]
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["code"] == "internal_error"
    assert request_id in body["errors"][0]["message"]
    assert "Traceback" not in response.text
    assert "boom" not in response.text
    return request_id


class _BrokenReads:
    """The database, but the results read fails as a lost connection would."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    async def fetch_first(self, *args: Any) -> Any:
        raise RuntimeError("boom: connection lost")


async def test_an_operation_failing_unexpectedly_answers_the_envelope_and_serving_goes_on(
    app, client
):
    created = await client.post("/trackers", json={"trackingNumber": "GATE000001"})
    tracker_id = created.json()["data"]["tracker"]["trackerId"]
    assert (await client.get(f"/trackers/{tracker_id}/results")).status_code == 200
    healthy = services_of(app)
    replace_services(app, db=_BrokenReads(healthy.db))
    try:
        _internal_error(await client.get(f"/trackers/{tracker_id}/results"))
    finally:
        replace_services(app, db=healthy.db)
    answer = await client.get(f"/trackers/{tracker_id}/results")
    assert answer.status_code == 200
    assert answer.json()["data"]["trackings"][0]["tracker"]["trackerId"] == tracker_id


async def test_a_route_outside_the_api_failing_answers_the_same_envelope(database_url):
    async def boom(request: Request) -> Any:
        raise RuntimeError("boom")

    application = create_app(make_settings(database_url), extra_routes=[Route("/boom", boom)])
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            request_id = _internal_error(await http.get("/boom"))
            again = await http.get("/boom", headers={"x-request-id": "mine-1"})
            assert _internal_error(again) == "mine-1"
            assert (await http.get("/healthz")).status_code == 200
            assert request_id != "mine-1"


async def test_a_chunked_body_past_the_limit_is_refused_and_nothing_is_created(database_url):
    application = create_app(make_settings(database_url, max_body_bytes=2048))
    async with application.router.lifespan_context(application):
        new = await accounts.create_account(services_of(application).db, "acme")
        transport = httpx.ASGITransport(app=application)  # type: ignore[arg-type]
        headers = {"Authorization": f"Bearer {new.key}", "content-type": "application/json"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t/public/v1", headers=headers
        ) as http:

            async def chunks() -> AsyncIterator[bytes]:
                yield b'{"trackingNumber": "GATE000002", "shipmentReference": "'
                for _ in range(10):
                    yield b"x" * 400
                yield b'"}'

            refused = await http.post("/trackers", content=chunks())
            assert refused.status_code == 413, refused.text
            assert refused.json()["errors"][0]["code"] == "payload_too_large"
            listed = await http.get("/trackers")
            assert listed.json()["data"]["trackers"] == []

            async def small() -> AsyncIterator[bytes]:
                yield b'{"trackingNumber": '
                yield b'"GATE000003"}'

            accepted = await http.post("/trackers", content=small())
            assert accepted.status_code == 201, accepted.text


async def test_request_ids_are_unique_and_well_formed(client):
    seen = set()
    for _ in range(50):
        response = await client.get("/trackers")
        seen.add(response.headers["x-request-id"])
    assert len(seen) == 50
    assert all(re.fullmatch(r"[0-9a-f]{32}", found) for found in seen)


def test_a_forked_process_draws_request_ids_of_its_own():
    ids = RequestIds()
    parent = ids()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its first id, to the parent
        os.write(write, ids().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    os.close(write)
    assert child[:16] != parent[:16]
    assert ids()[:16] == parent[:16]
