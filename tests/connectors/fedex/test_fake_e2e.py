"""The FedEx connector against the fake FedEx server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import aiohttp
from oauth_carrier_tests import Fake, OAuthCarrier, OAuthFakeServerTests

from shiptrack.couriers.connectors.protocol import (
    CourierRateLimited,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)


class TestFedexAgainstItsFake(OAuthFakeServerTests):
    """The shared tests (``oauth_carrier_tests``) with FedEx's ``carrier`` (conftest.py), and
    FedEx's batches of up to 30 numbers."""

    async def test_batches_of_thirty_share_one_token(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        numbers = [f"6129998{i:05d}" for i in range(45)]
        for number in numbers[:-1]:
            fake.journeys[number] = carrier.journey(3)
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
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        fake.journeys["445566778899"] = carrier.journey(2)
        outcomes = await fake.connector(http_session).track(
            ["445566778899", "123456789012", carrier.number], {}
        )
        assert isinstance(outcomes["445566778899"], TrackingResult)
        assert isinstance(outcomes["123456789012"], TrackingNumberNotFound)
        assert isinstance(outcomes[carrier.number], TrackingResult)
        assert fake.state.track_requests == 1

    async def test_a_failing_number_fails_its_whole_batch(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        fake.journeys["445566778899"] = CourierRateLimited("busy", retry_after=20)
        outcomes = await fake.connector(http_session).track(["445566778899", carrier.number], {})
        assert all(isinstance(o, CourierRateLimited) for o in outcomes.values())
        assert all(o.retry_after == 20.0 for o in outcomes.values())

    async def test_delivery_attempt_and_refusal_round_trip(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        number, event = carrier.number, carrier.event
        fake.journeys[number] = TrackingResult(
            number,
            "fedex",
            "fedex-tracking",
            [
                event("2025-03-11T16:05:00-06:00", "Customer not available", "delivery_attempted"),
                event("2025-03-12T14:30:00-06:00", "Refused by recipient", "delivery_refused"),
                event("2025-03-13T10:00:00-06:00", "Return to shipper", "exception_return"),
            ],
            linked_numbers=[LinkedTrackingNumber("445566778900", "fedex")],
        )
        result = (await fake.connector(http_session).track([number], {}))[number]
        assert isinstance(result, TrackingResult)
        assert [e.status_code for e in result.events] == [
            "delivery_attempted",
            "delivery_refused",
            "exception_return",
        ]
        assert result.linked_numbers == [LinkedTrackingNumber("445566778900", "fedex")]

    async def test_fake_refuses_more_than_thirty_numbers(
        self, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        connector = fake.connector(http_session)
        token = await connector.tokens.token()  # type: ignore[attr-defined]
        body = {
            "trackingInfo": [
                {"trackingNumberInfo": {"trackingNumber": f"1{i:011d}"}} for i in range(31)
            ]
        }
        async with http_session.post(
            f"{fake.url}/track/v1/trackingnumbers",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        ) as response:
            assert response.status == 400
            payload = await response.json()
        assert payload["errors"][0]["code"].startswith("TRACKING.")
