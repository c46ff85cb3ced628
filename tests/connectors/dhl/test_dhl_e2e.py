"""The DHL connector against the fake DHL server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web
from connector_helpers import assert_key_checks, assert_played_back, clear_carrier_env

from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.dhl import DhlConnector, DhlSettings, build, check_credentials
from shiptrack.couriers.connectors.dhl.settings import PRODUCTION_BASE_URL, SANDBOX_BASE_URL
from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.protocol import (
    Connector,
    CourierAuthError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingHints,
    TrackingNumberNotFound,
    TrackingResult,
)

if TYPE_CHECKING:
    from .conftest import FakeDhl


def _event(
    when: str,
    text: str,
    code: str | None,
    carrier: str | None = None,
    where: str | None = None,
    courier: str = "dhl-express",
) -> CourierEvent:
    return CourierEvent("1234567890", when, text, code, where, courier, "sandbox", carrier)


def express_journey(number: str = "1234567890") -> TrackingResult:
    """Oldest first, as journey sources give them; local times with their offsets."""
    return TrackingResult(
        tracking_number=number,
        courier_code="dhl-express",
        source_code="sandbox",
        events=[
            _event(
                "2024-05-01T10:20:00+02:00", "Shipment information received", "data_order_created"
            ),
            _event(
                "2024-05-01T16:30:00+02:00",
                "Shipment picked up",
                "transit_handover",
                where="LEIPZIG - GERMANY",
            ),
            _event(
                "2024-05-01T22:17:00+02:00",
                "Processed at LEIPZIG - GERMANY",
                None,
                "PL",
                "LEIPZIG - GERMANY",
            ),
            _event(
                "2024-05-02T09:55:00+02:00",
                "Departed from a DHL facility",
                None,
                "DF",
                "LEIPZIG - GERMANY",
            ),
            _event(
                "2024-05-02T15:05:00-04:00",
                "Processed for clearance",
                "customs_received",
                where="CINCINNATI HUB, OH - USA",
            ),
            _event(
                "2024-05-02T19:40:00-04:00",
                "Clearance processing complete",
                "customs_cleared",
                "BR",
                "CINCINNATI HUB, OH - USA",
            ),
            _event(
                "2024-05-03T08:41:00-04:00",
                "With delivery courier",
                "delivery_out_for_delivery",
                where="NEW YORK, NY - USA",
            ),
            _event(
                "2024-05-03T14:12:00-04:00",
                "Delivered - Signed for by: M. RIVERA",
                "delivery_delivered",
                where="NEW YORK, NY - USA",
            ),
        ],
        origin_country_code="DE",
        destination_country_code="US",
        estimated_delivery="2024-05-03T23:59:00-04:00",
        estimated_delivery_from="2024-05-03T09:00:00-04:00",
        estimated_delivery_to="2024-05-03T18:00:00-04:00",
        service="DHL EXPRESS WORLDWIDE",
        signed_by="M. RIVERA",
        linked_numbers=[
            LinkedTrackingNumber("JD014600003814561230", "dhl-express"),
            LinkedTrackingNumber("CD123456785BE", "be-post"),
        ],
        recipient_post_code="10001",
        recipient_city="New York",
    )


async def test_full_express_journey_round_trips(fake_dhl: FakeDhl) -> None:
    journey = express_journey()
    fake_dhl.journeys[journey.tracking_number] = journey
    connector = fake_dhl.connector()

    outcomes = await connector.track([journey.tracking_number], {})

    outcome = assert_played_back(outcomes[journey.tracking_number], journey)
    newest_first = list(reversed(journey.events))
    assert [e.location for e in outcome.events] == [e.location for e in newest_first]
    assert [e.order for e in outcome.events] == list(range(8, 0, -1))
    assert outcome.events[4].carrier_status_code == "DF"  # pinned by the journey
    assert outcome.events[2].carrier_status_code == "BR"
    assert {e.courier_code for e in outcome.events} == {"dhl-express"}
    assert {e.source_code for e in outcome.events} == {"dhl-tracking"}
    assert outcome.courier_code == "dhl-express"
    assert (outcome.origin_country_code, outcome.destination_country_code) == ("DE", "US")
    assert outcome.service == "DHL EXPRESS WORLDWIDE"
    assert outcome.signed_by == "M. RIVERA"
    assert outcome.recipient_post_code == "10001"
    assert outcome.linked_numbers == [
        LinkedTrackingNumber("CD123456785BE", "be-post"),
        LinkedTrackingNumber("JD014600003814561230", "dhl-express"),
    ]
    assert fake_dhl.state.requested == [["1234567890"]]


async def test_parcel_de_journey_in_german(fake_dhl: FakeDhl) -> None:
    number = "00340434161094015063"
    fake_dhl.journeys[number] = TrackingResult(
        number,
        "dhl",
        "sandbox",
        events=[
            _event(
                "2024-06-10T15:02:00",
                "Die Sendung wurde vom Absender in der Filiale eingeliefert.",
                "transit_handover",
                courier="dhl",
            ),
            _event(
                "2024-06-11T07:45:00",
                "Die Sendung wurde in das Zustellfahrzeug geladen.",
                "delivery_out_for_delivery",
                courier="dhl",
            ),
            _event(
                "2024-06-11T12:31:00",
                "Die Sendung wurde erfolgreich zugestellt.",
                "delivery_delivered",
                courier="dhl",
            ),
        ],
        destination_country_code="DE",
    )

    outcome = await fake_dhl.connector(language="de").track_one(number)

    assert isinstance(outcome, TrackingResult)
    assert outcome.courier_code == "dhl"
    assert [e.status_code for e in outcome.events] == [
        "delivery_delivered",
        "delivery_out_for_delivery",
        "transit_handover",
    ]
    assert outcome.events[0].occurrence_datetime == "2024-06-11T12:31:00"  # no offset invented


async def test_unknown_number_is_not_found(fake_dhl: FakeDhl) -> None:
    outcome = await fake_dhl.connector().track_one("1111111111")

    assert isinstance(outcome, TrackingNumberNotFound)
    assert "No result found" in str(outcome)


async def test_wrong_key_is_an_auth_error(fake_dhl: FakeDhl) -> None:
    fake_dhl.journeys["1234567890"] = express_journey()
    connector = fake_dhl.connector(api_key="not-the-key")

    outcomes = await connector.track(["1234567890", "2222222222"], {})

    assert isinstance(outcomes["1234567890"], CourierAuthError)
    assert outcomes["2222222222"] is outcomes["1234567890"]  # not called again
    assert fake_dhl.state.track_requests == 0
    assert "not-the-key" not in str(outcomes["1234567890"])


async def test_rate_limited_by_the_journey_source(fake_dhl: FakeDhl) -> None:
    fake_dhl.journeys["1234567890"] = CourierRateLimited("quota", retry_after=7)

    outcomes = await fake_dhl.connector().track(["1234567890", "3333333333"], {})

    first = outcomes["1234567890"]
    assert isinstance(first, CourierRateLimited)
    assert first.retry_after == 7.0
    assert outcomes["3333333333"] is first
    assert fake_dhl.state.requested == [["1234567890"]]


async def test_rate_limited_by_the_fault_switch(fake_dhl: FakeDhl) -> None:
    fake_dhl.journeys["1234567890"] = express_journey()
    fake_dhl.state.faults.set(status=429, retry_after="30", times=1)
    connector = fake_dhl.connector()

    limited = await connector.track_one("1234567890")
    recovered = await connector.track_one("1234567890")

    assert isinstance(limited, CourierRateLimited)
    assert limited.retry_after == 30.0
    assert isinstance(recovered, TrackingResult)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_unavailable(fake_dhl: FakeDhl, status: int) -> None:
    fake_dhl.state.faults.set(status=status)

    outcome = await fake_dhl.connector().track_one("1234567890")

    assert isinstance(outcome, CourierUnavailable)


async def test_unavailable_from_the_journey_source(fake_dhl: FakeDhl) -> None:
    fake_dhl.journeys["1234567890"] = CourierUnavailable("down", retry_after=12)

    outcome = await fake_dhl.connector().track_one("1234567890")

    assert isinstance(outcome, CourierUnavailable)
    assert outcome.retry_after == 12.0


async def test_malformed_body_is_invalid(fake_dhl: FakeDhl) -> None:
    fake_dhl.journeys["1234567890"] = CourierResponseInvalid("garbage")

    outcome = await fake_dhl.connector().track_one("1234567890")

    assert isinstance(outcome, CourierResponseInvalid)


async def test_slow_server_is_unavailable(http_session: aiohttp.ClientSession) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.json_response({"shipments": []})

    app = web.Application()
    app.router.add_get("/track/shipments", slow)
    async with serve(app) as url:
        settings = DhlSettings(  # type: ignore[call-arg]
            _env_file=None, api_key="k", base_url=url, timeout=0.1
        )
        outcome = await DhlConnector(settings, http_session).track_one("1234567890")

    assert isinstance(outcome, CourierUnavailable)


async def test_hint_of_the_wrong_service_hides_the_shipment(fake_dhl: FakeDhl) -> None:
    fake_dhl.journeys["1234567890"] = express_journey()
    connector = fake_dhl.connector()

    right = await connector.track_one("1234567890", TrackingHints(courier_codes=("dhl-express",)))
    wrong = await connector.track_one("1234567890", TrackingHints(courier_codes=("de-post",)))

    assert isinstance(right, TrackingResult)
    assert isinstance(wrong, TrackingNumberNotFound)


def test_query_carries_the_documented_hints(fake_dhl: FakeDhl) -> None:
    connector = fake_dhl.connector(requester_country_code="FR", language="fr")
    hints = TrackingHints(
        courier_codes=("dhl-express",), origin_country_code="DE", destination_post_code="75001"
    )

    assert connector.query("123", hints) == {
        "trackingNumber": "123",
        "language": "fr",
        "requesterCountryCode": "FR",
        "service": "express",
        "originCountryCode": "DE",
        "recipientPostalCode": "75001",
    }
    assert connector.query("123", TrackingHints(courier_codes=("dhl", "dhl-express"))) == {
        "trackingNumber": "123",
        "language": "fr",
        "requesterCountryCode": "FR",
    }


def test_connector_declares_itself(fake_dhl: FakeDhl) -> None:
    connector = fake_dhl.connector(rate_limit=1.0)

    assert isinstance(connector, Connector)
    assert connector.info.source_code == "dhl-tracking"
    assert connector.info.batch_size == 1
    assert connector.info.rate_limit == 1.0
    assert {"dhl", "dhl-express", "de-post", "dhl-global-mail"} <= connector.info.courier_codes
    assert connector.claims("1234567890") is False


async def test_check_credentials(fake_dhl: FakeDhl) -> None:
    async def check(settings: DhlSettings) -> CredentialCheck:
        return await check_credentials(None, fake_dhl.session, dhl_settings=settings)

    await assert_key_checks(check, fake_dhl, name="dhl", wrong_key="wrong-key-42")


async def test_check_credentials_when_rate_limited(fake_dhl: FakeDhl) -> None:
    fake_dhl.state.faults.set(status=429, retry_after="60")

    check = await check_credentials(None, fake_dhl.session, dhl_settings=fake_dhl.settings())

    assert (check.configured, check.ok) == (True, False)
    assert "rate limited" in check.detail


async def test_build_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, http_session: aiohttp.ClientSession
) -> None:
    clear_carrier_env(
        monkeypatch, tmp_path, "SHIPTRACK_DHL_", ("API_KEY", "USE_SANDBOX", "BASE_URL")
    )
    assert build(None, http_session) is None

    monkeypatch.setenv("SHIPTRACK_DHL_API_KEY", "from-env")
    monkeypatch.setenv("SHIPTRACK_DHL_USE_SANDBOX", "true")
    connector = build(None, http_session)
    assert isinstance(connector, DhlConnector)
    assert DhlSettings().resolved_base_url() == SANDBOX_BASE_URL

    (tmp_path / ".env").write_text("SHIPTRACK_DHL_BASE_URL=http://127.0.0.1:9/\n")
    assert DhlSettings().resolved_base_url() == "http://127.0.0.1:9"


def test_default_base_url_is_production() -> None:
    settings = DhlSettings(_env_file=None, api_key="sekrit-key-xyz")  # type: ignore[call-arg]
    assert settings.resolved_base_url() == PRODUCTION_BASE_URL
    assert "sekrit" not in repr(settings)
