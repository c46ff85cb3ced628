"""The USPS connector against the fake USPS server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors import usps
from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState, serve
from shiptrack.couriers.connectors.protocol import (
    Connector,
    CourierAuthError,
    CourierError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingHints,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.usps.fake import create_app

CLIENT_ID = "fake-usps-id"
CLIENT_SECRET = "fake-usps-secret-value"
NUMBER = "9400111206213300000014"


def _event(when: str, text: str, code: str | None, where: str | None = None) -> CourierEvent:
    return CourierEvent(NUMBER, when, text, code, where, "us-post", "usps-tracking")


def journey(stage: int = 6) -> TrackingResult:
    events = [
        _event("2025-03-03T16:02:00-05:00", "Shipping Label Created, USPS Awaiting Item",
               "data_order_created", "ASHEVILLE, NC 28801"),
        _event("2025-03-04T10:17:00-05:00", "USPS in possession of item", "transit_handover",
               "ASHEVILLE, NC 28801"),
        _event("2025-03-05T21:33:00", "Departed USPS Regional Facility", None,
               "GREENSBORO NC DISTRIBUTION CENTER"),
        _event("2025-03-06T03:10:00Z", "In Transit to Next Facility", None),
        _event("2025-03-07T07:05:00-08:00", "Out for Delivery", "delivery_out_for_delivery",
               "PORTLAND, OR 97214"),
        _event("2025-03-07T14:41:00-08:00", "Delivered, Left with Individual",
               "delivery_delivered", "PORTLAND, OR 97214"),
    ][:stage]
    return TrackingResult(
        NUMBER, "us-post", "usps-tracking", events,
        origin_country_code="US", destination_country_code="US",
        estimated_delivery="2025-03-07T14:30:00",
        estimated_delivery_from="2025-03-07T10:30:00",
        estimated_delivery_to="2025-03-07T14:30:00",
        service="Priority Mail",
        signed_by="M OKAFOR" if stage >= 6 else None,
        linked_numbers=[LinkedTrackingNumber("9590940212345678901234", "us-post")],
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
        settings = usps.UspsSettings(
            client_id=overrides.pop("client_id", CLIENT_ID),
            client_secret=overrides.pop("client_secret", CLIENT_SECRET),
            base_url=self.url, timeout=5, **overrides,
        )
        connector = usps.build(settings, session)
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
    assert connector.info.source_code == "usps-tracking"
    assert connector.info.batch_size == 1
    assert connector.claims(NUMBER) is False

    outcomes = await connector.track([NUMBER], {})
    result = outcomes[NUMBER]
    assert isinstance(result, TrackingResult)
    expected = journey()
    assert [_shape(e) for e in result.events] == [_shape(e) for e in expected.events]
    assert [e.carrier_status_code for e in result.events] == ["GX", "03", "10", "10", "OF", "01"]
    assert result.estimated_delivery == "2025-03-07T14:30:00"
    assert result.estimated_delivery_from == "2025-03-07T10:30:00"
    assert result.estimated_delivery_to == "2025-03-07T14:30:00"
    assert result.signed_by == "M OKAFOR"
    assert result.service == "Priority Mail"
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
    numbers = [f"94001112062133000{i:05d}" for i in range(25)]
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
    hints = {"9400111206213300009999": TrackingHints(destination_post_code="97214-1234")}
    outcomes = await connector.track(["9400111206213300009999", "../etc", NUMBER], hints)
    assert isinstance(outcomes["9400111206213300009999"], TrackingNumberNotFound)
    assert isinstance(outcomes["../etc"], TrackingNumberNotFound)
    assert isinstance(outcomes[NUMBER], TrackingResult)
    assert fake.state.track_requests == 2  # the malformed number never left the process


async def test_check_credentials(fake: Fake, http_session: aiohttp.ClientSession) -> None:
    good = usps.UspsSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=fake.url)
    check = await usps.check_credentials(good, http_session)
    assert check.ok, check.detail
    assert (check.connector, check.configured) == ("usps", True)
    bad = usps.UspsSettings(client_id=CLIENT_ID, client_secret="not-the-secret",
                            base_url=fake.url)
    check = await usps.check_credentials(bad, http_session)
    assert not check.ok
    assert "CourierAuthError" in check.detail
    assert "not-the-secret" not in check.detail
    missing = usps.UspsSettings(client_id=None, client_secret=None)
    check = await usps.check_credentials(missing, http_session)
    assert not check.ok
    assert not check.configured
    assert "SHIPTRACK_USPS_CLIENT_ID" in check.detail
