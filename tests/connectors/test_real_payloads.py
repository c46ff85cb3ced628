"""Recorded answers of the five carriers' real APIs, played to the real connectors over HTTP.

The answers live outside the repository, in ``../shared/reference/carrier-payloads`` (their
provenance is in its ``SOURCES.md``); ``manifest.json`` there says what each must give: found
or not found, the shipment milestone, and how many events (after shiptrack's documented
dedupe). A small server on 127.0.0.1 answers the carrier's documented token and tracking paths
with the recorded body and HTTP status, and the carrier's own connector reads it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors import dhl, fedex, laposte, ups, usps
from shiptrack.couriers.connectors.fakesource import LogisticsTime, serve
from shiptrack.couriers.connectors.protocol import TrackingNumberNotFound, TrackingResult
from shiptrack.tracking.timeline import merge, summarise

PAYLOADS = Path(__file__).resolve().parents[2] / "../shared/reference/carrier-payloads"
MANIFEST: list[dict[str, Any]] = json.loads((PAYLOADS / "manifest.json").read_text())["payloads"]


@dataclass(frozen=True)
class Carrier:
    connector: type[Any]
    settings: dict[str, str]
    #: The documented token path (OAuth carriers) and tracking path (``{n}``: the number).
    token_path: str | None
    track_method: str
    track_path: str


OAUTH = {"client_id": "i", "client_secret": "s"}
CARRIERS: dict[str, Carrier] = {
    "usps": Carrier(usps.UspsConnector, OAUTH, "/oauth2/v3/token", "GET",
                    "/tracking/v3/tracking/{n}"),
    "ups": Carrier(ups.UpsConnector, OAUTH, "/security/v1/oauth/token", "GET",
                   "/api/track/v1/details/{n}"),
    "fedex": Carrier(fedex.FedexConnector, OAUTH, "/oauth/token", "POST",
                     "/track/v1/trackingnumbers"),
    "dhl": Carrier(dhl.DhlConnector, {"api_key": "k"}, None, "GET", "/track/shipments"),
    "laposte": Carrier(laposte.LaPosteConnector, {"api_key": "k"}, None, "GET",
                       "/suivi/v2/idships/{n}"),
}  # fmt: skip


@asynccontextmanager
async def recorded_carrier(
    carrier: Carrier, number: str, body: bytes, status: int, calls: list[str]
) -> AsyncIterator[str]:
    """A server that answers the carrier's token path with a token and its tracking path for
    ``number`` with the recorded ``body`` and ``status``; ``calls`` lists the paths asked."""

    async def token(request: web.Request) -> web.Response:
        calls.append(request.path)
        return web.json_response(
            {"access_token": "recorded", "token_type": "Bearer", "expires_in": 3600}
        )

    async def track(request: web.Request) -> web.Response:
        calls.append(request.path)
        return web.Response(body=body, status=status, content_type="application/json")

    app = web.Application()
    if carrier.token_path:
        app.router.add_post(carrier.token_path, token)
    app.router.add_route(carrier.track_method, carrier.track_path.format(n=number), track)
    async with serve(app) as url:
        yield url


async def play(entry: dict[str, Any]) -> tuple[object, list[str]]:
    carrier = CARRIERS[entry["carrier"]]
    number = entry["trackingNumber"]
    body = (PAYLOADS / entry["file"]).read_bytes()
    calls: list[str] = []
    async with (
        recorded_carrier(carrier, number, body, entry["httpStatus"], calls) as url,
        aiohttp.ClientSession() as session,
    ):
        settings_class = carrier.connector.settings_class
        settings = settings_class(_env_file=None, base_url=url, timeout=5.0, **carrier.settings)
        connector = carrier.connector(settings, session)
        outcome = (await connector.track([number], {}))[number]
    return outcome, calls


def _ids(entry: dict[str, Any]) -> str:
    return f"{entry['file']}#{entry['trackingNumber']}"


#: The shipment's status code where the manifest's milestone alone would not show a wrong code.
STATUS_CODES = {
    # UPS 092 "awaiting final release" is a customs hold, not the type-X exception.
    "ups/omniship-customs-clearance-be-au.json": "customs_received",
    # FedEx Ground DE 007 "Customer not available or business closed" is an attempt.
    "fedex/sandbox-delivery-exception-007.json": "delivery_attempted",
    "fedex/sandbox-returning-to-shipper.json": "exception_return",
}


@pytest.mark.parametrize("entry", MANIFEST, ids=_ids)
async def test_recorded_answer_behaves_as_the_manifest_says(entry: dict[str, Any]) -> None:
    outcome, calls = await play(entry)
    carrier = CARRIERS[entry["carrier"]]
    assert carrier.track_path.format(n=entry["trackingNumber"]) in calls
    if entry["notFound"]:
        # Not a courier error: the engine keeps the tracker pending with no error backoff.
        assert type(outcome) is TrackingNumberNotFound, outcome
        return
    assert isinstance(outcome, TrackingResult), outcome
    events = merge([], outcome.events)
    summary = summarise(events)
    assert summary.status_milestone in entry["milestone"], [
        (e.occurrence_datetime, e.carrier_status_code, e.status_code) for e in summary.events
    ]
    assert len(events) in entry["events"]
    if entry["file"] in STATUS_CODES:
        assert summary.status_code == STATUS_CODES[entry["file"]]
    for event in events:
        moment = LogisticsTime.parse(event.occurrence_datetime)  # a logistics date-time
        # Only USPS and UPS may give nothing but a UTC time for a scan; nobody here does.
        assert not moment.utc, event.occurrence_datetime
        assert event.tracking_number == entry["trackingNumber"]


def test_the_manifest_covers_every_recorded_file() -> None:
    files = {p.relative_to(PAYLOADS).as_posix() for p in PAYLOADS.glob("*/*.json")}
    assert files == {entry["file"] for entry in MANIFEST}
    assert {entry["carrier"] for entry in MANIFEST} == set(CARRIERS)
