"""The FedEx connector against the fake FedEx server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors import fedex
from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState, serve
from shiptrack.couriers.connectors.fedex.fake import create_app
from shiptrack.couriers.connectors.protocol import (
    Connector,
    CourierAuthError,
    CourierError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)

CLIENT_ID = "fake-fedex-id"
CLIENT_SECRET = "fake-fedex-secret-value"
NUMBER = "794843185271"


def _event(when: str, text: str, code: str | None, where: str | None = None) -> CourierEvent:
    return CourierEvent(NUMBER, when, text, code, where, "fedex", "fedex-tracking")


def journey(stage: int = 6) -> TrackingResult:
    events = [
        _event("2025-03-03T16:02:00-05:00", "Shipment information sent to FedEx",
               "data_order_created", "ASHEVILLE, NC 28801, US"),
        _event("2025-03-04T10:17:00-05:00", "Picked up", "transit_handover",
               "ASHEVILLE, NC 28801, US"),
        _event("2025-03-05T21:33:00", "Left FedEx origin facility", None,
               "MEMPHIS, TN 38118, US"),
        _event("2025-03-06T03:10:00Z", "In transit", None),
        _event("2025-03-07T07:05:00-08:00", "Out for Delivery", "delivery_out_for_delivery",
               "PORTLAND, OR 97214, US"),
        _event("2025-03-07T14:41:00-08:00", "Delivered",
               "delivery_delivered", "PORTLAND, OR 97214, US"),
    ][:stage]
    return TrackingResult(
        NUMBER, "fedex", "fedex-tracking", events,
        origin_country_code="US", destination_country_code="US",
        estimated_delivery="2025-03-07T14:30:00-08:00",
        estimated_delivery_from="2025-03-07T10:30:00-08:00",
        estimated_delivery_to="2025-03-07T14:30:00-08:00",
        service="FedEx Ground",
        signed_by="M.OKAFOR" if stage >= 6 else None,
        linked_numbers=[LinkedTrackingNumber("9261290982165640711296", "us-post")],
        recipient_post_code="97214", recipient_city="PORTLAND",
    )


@dataclass
class Fake:
    url: str
    app: web.Application
    journeys: dict[str, TrackingResult | CourierError]

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]

    def connector(self, session: aiohttp.ClientSession, **overrides: object) -> Connector:
        settings = fedex.FedexSettings(
            client_id=overrides.pop("client_id", CLIENT_ID),
            client_secret=overrides.pop("client_secret", CLIENT_SECRET),
            base_url=self.url, timeout=5, **overrides,
        )
        connector = fedex.build(settings, session)
        assert connector is not None
        return connector


@pytest.fixture
async def fake() -> AsyncIterator[Fake]:
    journeys: dict[str, TrackingResult | CourierError] = {NUMBER: journey()}
    app = create_app(journeys.get, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    async with serve(app) as url:
        yield Fake(url, app, journeys)


@pytest.fixture
async def short_lived_fake() -> AsyncIterator[Fake]:
    journeys: dict[str, TrackingResult | CourierError] = {NUMBER: journey(3)}
    app = create_app(journeys.get, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                     token_lifetime=0.2)
    async with serve(app) as url:
        yield Fake(url, app, journeys)


def _shape(event: CourierEvent) -> tuple[object, ...]:
    return (event.occurrence_datetime, event.status, event.status_code, event.location,
            event.courier_code, event.source_code)


async def test_full_journey(fake: Fake, http_session: aiohttp.ClientSession) -> None:
    connector = fake.connector(http_session)
    assert isinstance(connector, Connector)
    assert connector.info.source_code == "fedex-tracking"
    assert connector.info.batch_size == 30
    assert connector.claims(NUMBER) is False

    outcomes = await connector.track([NUMBER], {})
    result = outcomes[NUMBER]
    assert isinstance(result, TrackingResult)
    expected = journey()
    assert [_shape(e) for e in result.events] == [_shape(e) for e in expected.events]
    codes = [e.carrier_status_code for e in result.events]
    assert codes == ["OC", "PU", "IT", "IT", "OD", "DL"]
    assert result.estimated_delivery == "2025-03-07T14:30:00-08:00"
    assert result.estimated_delivery_from == "2025-03-07T10:30:00-08:00"
    assert result.estimated_delivery_to == "2025-03-07T14:30:00-08:00"
    assert result.signed_by == "M.OKAFOR"
    assert result.service == "FedEx Ground"
    assert (result.origin_country_code, result.destination_country_code) == ("US", "US")
    assert result.linked_numbers == expected.linked_numbers
    assert (result.recipient_post_code, result.recipient_city) == ("97214", "PORTLAND")
    await connector.aclose()


async def test_token_is_cached(fake: Fake, http_session: aiohttp.ClientSession) -> None:
    connector = fake.connector(http_session)
    for _ in range(3):
        assert isinstance((await connector.track([NUMBER], {}))[NUMBER], TrackingResult)
    assert fake.state.token_requests == 1
    assert fake.state.track_requests == 3


async def test_concurrent_calls_share_one_token_request(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    numbers = [f"7948431{i:05d}" for i in range(25)]
    for number in numbers:
        fake.journeys[number] = journey(2)
    connector = fake.connector(http_session)
    batches = await asyncio.gather(*(connector.track([n], {}) for n in numbers))
    assert all(isinstance(b[n], TrackingResult) for b, n in zip(batches, numbers, strict=True))
    assert fake.state.token_requests == 1


async def test_token_expiry_mid_run(
    short_lived_fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    fake = short_lived_fake
    connector = fake.connector(http_session)
    first = (await connector.track([NUMBER], {}))[NUMBER]
    assert isinstance(first, TrackingResult)
    assert len(first.events) == 3

    # The server expires tokens after 0.2 s but advertised 1 s: the connector still trusts its
    # token, gets a 401, refreshes once and retries; the new scans all come through.
    await asyncio.sleep(0.3)
    fake.journeys[NUMBER] = journey(6)
    second = (await connector.track([NUMBER], {}))[NUMBER]
    assert isinstance(second, TrackingResult)
    assert [_shape(e) for e in second.events] == [_shape(e) for e in journey(6).events]
    assert fake.state.token_requests == 2


async def test_revoked_token_is_refreshed_once(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    connector = fake.connector(http_session)
    await connector.track([NUMBER], {})
    fake.state.tokens.revoke_all()
    result = (await asyncio.gather(*(connector.track([NUMBER], {}) for _ in range(5))))
    assert all(isinstance(r[NUMBER], TrackingResult) for r in result)
    assert fake.state.token_requests == 2


async def test_persistent_401_is_an_auth_error(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    connector = fake.connector(http_session)
    fake.state.faults.set(status=401)
    outcome = (await connector.track([NUMBER], {}))[NUMBER]
    assert isinstance(outcome, CourierAuthError)
    assert fake.state.token_requests == 2  # refreshed once, then gave up


async def test_403_is_an_auth_error_without_refresh(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    connector = fake.connector(http_session)
    fake.state.faults.set(status=403, times=1)
    assert isinstance((await connector.track([NUMBER], {}))[NUMBER], CourierAuthError)
    assert fake.state.token_requests == 1


async def test_wrong_credentials(fake: Fake, http_session: aiohttp.ClientSession) -> None:
    connector = fake.connector(http_session, client_secret="wrong")
    outcome = (await connector.track([NUMBER], {}))[NUMBER]
    assert isinstance(outcome, CourierAuthError)
    assert "wrong" not in str(outcome)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (CourierRateLimited("slow down", retry_after=7), CourierRateLimited),
        (CourierUnavailable("down"), CourierUnavailable),
        (CourierResponseInvalid("garbage"), CourierResponseInvalid),
    ],
)
async def test_errors_from_the_journey_source(
    fake: Fake, http_session: aiohttp.ClientSession, error: CourierError,
    expected: type[CourierError],
) -> None:
    fake.journeys[NUMBER] = error
    outcome = (await fake.connector(http_session).track([NUMBER], {}))[NUMBER]
    assert type(outcome) is expected
    if expected is CourierRateLimited:
        assert outcome.retry_after == 7.0


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"status": 429, "retry_after": "12"}, CourierRateLimited),
        ({"status": 500}, CourierUnavailable),
        ({"status": 503, "retry_after": "3"}, CourierUnavailable),
        ({"malformed": True}, CourierResponseInvalid),
    ],
)
async def test_fault_switch(
    fake: Fake, http_session: aiohttp.ClientSession, fault: dict[str, object],
    expected: type[CourierError],
) -> None:
    connector = fake.connector(http_session)
    fake.state.faults.set(times=1, **fault)  # type: ignore[arg-type]
    outcome = (await connector.track([NUMBER], {}))[NUMBER]
    assert type(outcome) is expected
    if "retry_after" in fault:
        assert outcome.retry_after == float(fault["retry_after"])  # type: ignore[arg-type]
    # The fault lasted one call.
    assert isinstance((await connector.track([NUMBER], {}))[NUMBER], TrackingResult)


async def test_unknown_and_invalid_numbers(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    connector = fake.connector(http_session)
    outcomes = await connector.track(["123456789012", "../etc", NUMBER], {})
    assert isinstance(outcomes["123456789012"], TrackingNumberNotFound)
    assert isinstance(outcomes["../etc"], TrackingNumberNotFound)
    assert isinstance(outcomes[NUMBER], TrackingResult)
    assert fake.state.requested == [["123456789012", NUMBER]]  # one batch, without "../etc"


async def test_check_credentials(fake: Fake, http_session: aiohttp.ClientSession) -> None:
    good = fedex.FedexSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=fake.url)
    check = await fedex.check_credentials(good, http_session)
    assert check.ok, check.detail
    assert (check.connector, check.configured) == ("fedex", True)
    bad = fedex.FedexSettings(client_id=CLIENT_ID, client_secret="not-the-secret",
                            base_url=fake.url)
    check = await fedex.check_credentials(bad, http_session)
    assert not check.ok
    assert "CourierAuthError" in check.detail
    assert "not-the-secret" not in check.detail
    missing = fedex.FedexSettings(client_id=None, client_secret=None)
    check = await fedex.check_credentials(missing, http_session)
    assert not check.ok
    assert not check.configured
    assert "SHIPTRACK_FEDEX_CLIENT_ID" in check.detail


async def test_batches_of_thirty_share_one_token(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    numbers = [f"6129998{i:05d}" for i in range(45)]
    for number in numbers[:-1]:
        fake.journeys[number] = journey(3)
    connector = fake.connector(http_session)
    outcomes = await connector.track(numbers, {})
    assert list(outcomes) == numbers
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers[:-1])
    assert isinstance(outcomes[numbers[-1]], TrackingNumberNotFound)
    assert sorted(len(batch) for batch in fake.state.requested) == [15, 30]
    assert fake.state.token_requests == 1
    tracked = outcomes[numbers[0]]
    assert isinstance(tracked, TrackingResult)
    assert all(e.tracking_number == numbers[0] for e in tracked.events)


async def test_not_found_in_a_batch_does_not_hide_the_others(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    fake.journeys["445566778899"] = journey(2)
    outcomes = await fake.connector(http_session).track(
        ["445566778899", "123456789012", NUMBER], {}
    )
    assert isinstance(outcomes["445566778899"], TrackingResult)
    assert isinstance(outcomes["123456789012"], TrackingNumberNotFound)
    assert isinstance(outcomes[NUMBER], TrackingResult)
    assert fake.state.track_requests == 1


async def test_a_failing_number_fails_its_whole_batch(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    fake.journeys["445566778899"] = CourierRateLimited("busy", retry_after=20)
    outcomes = await fake.connector(http_session).track(["445566778899", NUMBER], {})
    assert all(isinstance(o, CourierRateLimited) for o in outcomes.values())
    assert all(o.retry_after == 20.0 for o in outcomes.values())


async def test_delivery_attempt_and_refusal_round_trip(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    fake.journeys[NUMBER] = TrackingResult(NUMBER, "fedex", "fedex-tracking", [
        _event("2025-03-11T16:05:00-06:00", "Customer not available", "delivery_attempted"),
        _event("2025-03-12T14:30:00-06:00", "Refused by recipient", "delivery_refused"),
        _event("2025-03-13T10:00:00-06:00", "Return to shipper", "exception_return"),
    ], linked_numbers=[LinkedTrackingNumber("445566778900", "fedex")])
    result = (await fake.connector(http_session).track([NUMBER], {}))[NUMBER]
    assert isinstance(result, TrackingResult)
    assert [e.status_code for e in result.events] == [
        "delivery_attempted", "delivery_refused", "exception_return",
    ]
    assert result.linked_numbers == [LinkedTrackingNumber("445566778900", "fedex")]


async def test_fake_refuses_more_than_thirty_numbers(
    fake: Fake, http_session: aiohttp.ClientSession
) -> None:
    connector = fake.connector(http_session)
    token = await connector.tokens.token()  # type: ignore[attr-defined]
    body = {"trackingInfo": [{"trackingNumberInfo": {"trackingNumber": f"1{i:011d}"}}
                             for i in range(31)]}
    async with http_session.post(f"{fake.url}/track/v1/trackingnumbers", json=body,
                                 headers={"Authorization": f"Bearer {token}"}) as response:
        assert response.status == 400
        payload = await response.json()
    assert payload["errors"][0]["code"].startswith("TRACKING.")
