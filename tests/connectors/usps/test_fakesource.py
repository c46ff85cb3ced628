"""The helpers the fake courier servers share (``connectors/fakesource.py``), and raw HTTP
checks of the fake USPS server's documented behaviour."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest

from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    FaultSwitch,
    LocationParts,
    LogisticsTime,
    TokenStore,
    call_failure,
    fault_for,
    format_offset,
    ordered_events,
    serve,
    split_location,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.usps.fake import create_app


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("HERNANDO, FL 34442, US", LocationParts("HERNANDO", "FL", "34442", "US")),
        ("HERNANDO, FL 34442", LocationParts("HERNANDO", "FL", "34442", None)),
        ("Koeln, 50679, DE", LocationParts("Koeln", None, "50679", "DE")),
        ("LYON, FR", LocationParts("LYON", None, None, "FR")),
        ("QUEENS NY DISTRIBUTION CENTER", LocationParts("QUEENS NY DISTRIBUTION CENTER")),
        ("ISC CHICAGO IL (USPS), Somewhere", LocationParts("ISC CHICAGO IL (USPS), Somewhere")),
        (None, LocationParts()),
    ],
)
def test_split_location(text: str | None, parts: LocationParts) -> None:
    assert split_location(text) == parts


def test_logistics_time_forms() -> None:
    with_offset = LogisticsTime.parse("2025-03-07T14:41:00-08:00")
    assert with_offset.offset == dt.timedelta(hours=-8)
    assert with_offset.instant == dt.datetime(2025, 3, 7, 22, 41, tzinfo=dt.UTC)
    utc = LogisticsTime.parse("2025-03-07T22:41:00Z")
    assert utc.utc
    assert utc.instant == with_offset.instant
    local = LogisticsTime.parse("2025-03-07T14:41:00")
    assert local.instant is None
    assert local.local == dt.datetime(2025, 3, 7, 14, 41)
    date_only = LogisticsTime.parse("2025-03-07")
    assert date_only.local is None
    with pytest.raises(ValueError, match="logistics"):
        LogisticsTime.parse("07/03/2025")
    assert format_offset(dt.timedelta(hours=5, minutes=30)) == "+05:30"
    assert format_offset(dt.timedelta(hours=-7)) == "-07:00"


def test_fault_switch_counts_down() -> None:
    switch = FaultSwitch()
    assert switch.take() is None
    switch.set(status=503, times=2)
    assert switch.take() is not None
    assert switch.take() is not None
    assert switch.take() is None
    switch.set(malformed=True)
    assert all(switch.take() is not None for _ in range(5))
    switch.clear()
    assert switch.take() is None


def test_token_store_expiry() -> None:
    now = [0.0]
    store = TokenStore(0.25, clock=lambda: now[0])
    token, advertised = store.issue()
    assert advertised == 60  # short test lifetimes are advertised as a minute
    assert store.valid(token)
    now[0] = 0.3
    assert not store.valid(token)
    assert not store.valid(None)
    token, _ = store.issue()
    store.revoke_all()
    assert not store.valid(token)


def test_outcomes_to_faults() -> None:
    result = TrackingResult("X", "us-post", "usps-tracking")
    assert call_failure([result, TrackingNumberNotFound("x")]) is None
    fault = call_failure([result, CourierRateLimited("slow", retry_after=9)])
    assert fault is not None
    assert (fault.status, fault.retry_after) == (429, "9")
    assert fault_for(CourierUnavailable("down")).status == 503
    assert fault_for(CourierResponseInvalid("bad")).malformed


def test_ordered_events() -> None:
    a = CourierEvent("X", "2025-01-02", "b", None, order=2)
    b = CourierEvent("X", "2025-01-01", "a", None, order=1)
    assert ordered_events([a, b]) == [b, a]
    assert ordered_events([CourierEvent("X", "2025-01-01", "c", None), b])[0].status == "c"


async def test_fake_usps_raw_protocol() -> None:
    journey = TrackingResult(
        "9400111206213300000014",
        "us-post",
        "usps-tracking",
        [
            CourierEvent(
                "9400111206213300000014",
                "2025-03-07T14:41:00-08:00",
                "Delivered",
                "delivery_delivered",
                "PORTLAND, OR 97214",
            ),
        ],
    )
    app = create_app({journey.tracking_number: journey}.get, client_id="id", client_secret="s")
    async with serve(app) as url, aiohttp.ClientSession() as session:
        assert url.startswith("http://127.0.0.1:")
        # USPS also accepts the grant as JSON.
        async with session.post(
            f"{url}/oauth2/v3/token",
            json={
                "grant_type": "client_credentials",
                "client_id": "id",
                "client_secret": "s",
            },
        ) as response:
            assert response.status == 200
            token = (await response.json())["access_token"]
        async with session.post(
            f"{url}/oauth2/v3/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "id",
                "client_secret": "nope",
            },
        ) as response:
            assert response.status == 401
            assert (await response.json())["error"] == "invalid_client"
        path = f"{url}/tracking/v3/tracking/9400111206213300000014"
        async with session.get(path) as response:
            assert response.status == 401
            assert "Bearer" in response.headers["WWW-Authenticate"]
        headers = {"Authorization": f"Bearer {token}"}
        async with session.get(path, headers=headers) as response:
            summary = await response.json()
        assert summary["eventSummaries"][0].startswith("Delivered, 2025-03-07T14:41:00")
        async with session.get(path, params={"expand": "DETAIL"}, headers=headers) as response:
            detail = await response.json()
        event = detail["trackingEvents"][0]
        assert (event["eventTimestamp"], event["GMTOffset"], event["GMTTimestamp"]) == (
            "2025-03-07T14:41:00",
            "-08:00",
            "2025-03-07T22:41:00Z",
        )
        assert event["eventCode"] == "01"
        async with session.get(
            f"{url}/tracking/v3/tracking/9400111206213300009999", headers=headers
        ) as response:
            assert response.status == 404
            assert (await response.json())["error"]["code"] == "404"
    assert app[FAKE_STATE].token_requests == 2
