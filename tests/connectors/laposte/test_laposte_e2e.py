"""The La Poste connector against the fake La Poste server over real HTTP on 127.0.0.1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from connector_helpers import assert_key_checks, assert_played_back, clear_carrier_env

from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.laposte import (
    LaPosteConnector,
    LaPosteSettings,
    build,
    check_credentials,
)
from shiptrack.couriers.connectors.laposte.settings import PRODUCTION_BASE_URL
from shiptrack.couriers.connectors.protocol import (
    Connector,
    CourierAuthError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)

if TYPE_CHECKING:
    from .conftest import FakeLaPoste


def _event(
    number: str, when: str, label: str, code: str | None, courier: str = "colissimo"
) -> CourierEvent:
    return CourierEvent(number, when, label, code, None, courier, "sandbox")


def colissimo_journey(number: str = "6A18765432109") -> TrackingResult:
    """Oldest first; La Poste local times with their offsets (winter +01:00, summer +02:00)."""
    return TrackingResult(
        tracking_number=number,
        courier_code="colissimo",
        source_code="sandbox",
        events=[
            _event(
                number,
                "2024-03-29T09:41:00+01:00",
                "Votre colis est prêt à être expédié.",
                "data_order_created",
            ),
            _event(
                number,
                "2024-03-29T17:02:00+01:00",
                "Votre colis a été pris en charge.",
                "transit_handover",
            ),
            _event(
                number,
                "2024-03-30T10:23:00+01:00",
                "Votre colis est en cours d'acheminement.",
                None,
            ),
            _event(
                number,
                "2024-04-02T06:10:00+02:00",
                "Votre colis est arrivé dans le pays de destination.",
                "destination_arrival",
            ),
            _event(
                number,
                "2024-04-02T08:15:00+02:00",
                "Votre colis est en cours de livraison.",
                "delivery_out_for_delivery",
            ),
            _event(
                number, "2024-04-02T11:48:00+02:00", "Votre colis est livré.", "delivery_delivered"
            ),
        ],
        origin_country_code="FR",
        destination_country_code="BE",
        estimated_delivery="2024-04-02T00:00:00+02:00",
        estimated_delivery_from="2024-04-02T09:00:00+02:00",
        estimated_delivery_to="2024-04-02T13:00:00+02:00",
        service="Colissimo Expert",
        linked_numbers=[LinkedTrackingNumber("CD123456785BE", "be-post")],
    )


async def test_full_colissimo_journey_round_trips(fake_laposte: FakeLaPoste) -> None:
    journey = colissimo_journey()
    fake_laposte.journeys[journey.tracking_number] = journey

    outcomes = await fake_laposte.connector().track([journey.tracking_number], {})

    outcome = assert_played_back(outcomes[journey.tracking_number], journey)
    assert [e.carrier_status_code for e in outcome.events] == [
        "DI1",
        "MD2",
        "ET3",
        "ET1",
        "PC1",
        "DR1",
    ]
    assert [e.order for e in outcome.events] == [6, 5, 4, 3, 2, 1]
    assert {(e.courier_code, e.source_code) for e in outcome.events} == {
        ("colissimo", "laposte-tracking"),
    }
    assert outcome.courier_code == "colissimo"
    assert (outcome.origin_country_code, outcome.destination_country_code) == ("FR", "BE")
    assert outcome.service == "Colissimo Expert"
    assert outcome.linked_numbers == [LinkedTrackingNumber("CD123456785BE", "be-post")]


async def test_a_not_found_number_does_not_hide_the_others(fake_laposte: FakeLaPoste) -> None:
    fake_laposte.journeys["6A11111111111"] = colissimo_journey("6A11111111111")
    fake_laposte.journeys["1K22222222222"] = TrackingResult(
        "1K22222222222",
        "fr-post",
        "sandbox",
        events=[
            _event(
                "1K22222222222",
                "2024-04-01T15:40:00+02:00",
                "Votre courrier a été pris en charge.",
                "transit_handover",
                "fr-post",
            )
        ],
    )
    numbers = ["6A11111111111", "6A00000000000", "1K22222222222"]

    outcomes = await fake_laposte.connector().track(numbers, {})

    assert fake_laposte.state.requested == [numbers]  # one call for the three
    assert isinstance(outcomes["6A11111111111"], TrackingResult)
    assert isinstance(outcomes["6A00000000000"], TrackingNumberNotFound)
    letter = outcomes["1K22222222222"]
    assert isinstance(letter, TrackingResult)
    assert letter.courier_code == "fr-post"


async def test_batches_of_ten(fake_laposte: FakeLaPoste) -> None:
    numbers = [f"6A{n:011d}" for n in range(12)]
    for number in numbers:
        fake_laposte.journeys[number] = colissimo_journey(number)

    outcomes = await fake_laposte.connector().track(numbers + numbers[:1], {})

    assert [len(call) for call in fake_laposte.state.requested] == [10, 2]
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers)


async def test_single_unknown_and_malformed_numbers(fake_laposte: FakeLaPoste) -> None:
    connector = fake_laposte.connector()

    unknown = (await connector.track(["6A00000000000"], {}))["6A00000000000"]
    malformed = (await connector.track(["12"], {}))["12"]

    assert isinstance(unknown, TrackingNumberNotFound)
    assert isinstance(malformed, TrackingNumberNotFound)  # 400 "numéro pas valide"


async def test_wrong_key_is_an_auth_error_for_every_number(fake_laposte: FakeLaPoste) -> None:
    numbers = [f"6A{n:011d}" for n in range(11)]
    connector = fake_laposte.connector(api_key="not-the-okapi-key")

    outcomes = await connector.track(numbers, {})

    assert all(isinstance(o, CourierAuthError) for o in outcomes.values())
    assert len(outcomes) == 11
    assert fake_laposte.state.track_requests == 0
    assert "not-the-okapi-key" not in str(outcomes[numbers[0]])


async def test_rate_limited_with_retry_after(fake_laposte: FakeLaPoste) -> None:
    fake_laposte.journeys["6A11111111111"] = CourierRateLimited("quota", retry_after=9)
    numbers = ["6A11111111111", "6A22222222222"] + [f"6A{n:011d}" for n in range(10)]

    outcomes = await fake_laposte.connector().track(numbers, {})

    error = outcomes["6A11111111111"]
    assert isinstance(error, CourierRateLimited)
    assert error.retry_after == 9.0
    assert all(isinstance(o, CourierRateLimited) for o in outcomes.values())
    assert len(fake_laposte.state.requested) == 1  # the second batch was not sent


async def test_fault_switch_rate_limit_then_recovery(fake_laposte: FakeLaPoste) -> None:
    fake_laposte.journeys["6A11111111111"] = colissimo_journey("6A11111111111")
    fake_laposte.state.faults.set(status=429, retry_after="4", times=1)
    connector = fake_laposte.connector()

    first = (await connector.track(["6A11111111111"], {}))["6A11111111111"]
    second = (await connector.track(["6A11111111111"], {}))["6A11111111111"]

    assert isinstance(first, CourierRateLimited)
    assert first.retry_after == 4.0
    assert isinstance(second, TrackingResult)


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_unavailable(fake_laposte: FakeLaPoste, status: int) -> None:
    fake_laposte.state.faults.set(status=status, retry_after="20")

    outcomes = await fake_laposte.connector().track(["6A11111111111", "6A22222222222"], {})

    assert all(isinstance(o, CourierUnavailable) for o in outcomes.values())


async def test_malformed_body_is_invalid(fake_laposte: FakeLaPoste) -> None:
    fake_laposte.journeys["6A11111111111"] = CourierResponseInvalid("garbage")

    outcomes = await fake_laposte.connector().track(["6A11111111111", "6A22222222222"], {})

    assert all(isinstance(o, CourierResponseInvalid) for o in outcomes.values())


async def test_returned_journey_keeps_return_codes(fake_laposte: FakeLaPoste) -> None:
    number = "CB123456789FR"
    fake_laposte.journeys[number] = TrackingResult(
        number,
        "colissimo",
        "sandbox",
        events=[
            _event(number, "2024-01-08T11:20:00+01:00", "Pris en charge", "transit_handover"),
            _event(
                number, "2024-01-15T09:40:00+01:00", "Destinataire absent", "delivery_attempted"
            ),
            _event(
                number,
                "2024-01-15T12:10:00+01:00",
                "Disponible en bureau de poste",
                "delivery_available_for_pickup",
            ),
            _event(
                number, "2024-01-29T08:00:00+01:00", "Retourné à l'expéditeur", "exception_return"
            ),
            CourierEvent(
                number,
                "2024-02-06T10:02:00+01:00",
                "Livré à l'expéditeur",
                "exception_return",
                None,
                "colissimo",
                "sandbox",
                "DI2",
            ),
        ],
    )

    outcome = (await fake_laposte.connector().track([number], {}))[number]

    assert isinstance(outcome, TrackingResult)
    assert [e.carrier_status_code for e in outcome.events] == ["DI2", "RE1", "AG1", "ND1", "PC1"]
    assert outcome.events[0].status_code == "exception_return"


def test_connector_declares_itself(fake_laposte: FakeLaPoste) -> None:
    connector = fake_laposte.connector()

    assert isinstance(connector, Connector)
    assert connector.info.source_code == "laposte-tracking"
    assert connector.info.batch_size == 10
    assert connector.info.courier_codes == frozenset({"fr-post", "colissimo", "chronopost"})
    assert connector.claims("6A11111111111") is False


async def test_check_credentials(fake_laposte: FakeLaPoste) -> None:
    async def check(settings: LaPosteSettings) -> CredentialCheck:
        return await check_credentials(None, fake_laposte.session, laposte_settings=settings)

    await assert_key_checks(check, fake_laposte, name="laposte", wrong_key="wrong-okapi-7")


async def test_check_credentials_when_unavailable(fake_laposte: FakeLaPoste) -> None:
    fake_laposte.state.faults.set(status=503)

    check = await check_credentials(
        None, fake_laposte.session, laposte_settings=fake_laposte.settings()
    )

    assert (check.configured, check.ok) == (True, False)
    assert "could not check" in check.detail


async def test_build_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, http_session: aiohttp.ClientSession
) -> None:
    clear_carrier_env(monkeypatch, tmp_path, "SHIPTRACK_LAPOSTE_", ("API_KEY", "BASE_URL", "LANG"))
    assert build(None, http_session) is None

    monkeypatch.setenv("SHIPTRACK_LAPOSTE_API_KEY", "from-env")
    monkeypatch.setenv("SHIPTRACK_LAPOSTE_LANG", "en_GB")
    assert isinstance(build(None, http_session), LaPosteConnector)
    settings = LaPosteSettings()
    assert settings.lang == "en_GB"
    assert settings.resolved_base_url() == PRODUCTION_BASE_URL
    assert "from-env" not in repr(settings)
