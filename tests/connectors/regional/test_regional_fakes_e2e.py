"""InPost, Bring, PostNord and Australia Post connectors against their fake servers over real
HTTP on 127.0.0.1: a journey round-trips; not found, a refused key, 429, 5xx, malformed bodies
and timeouts are typed errors for every number concerned, never a lost or invented event."""

from __future__ import annotations

import pytest

from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    TrackingNumberNotFound,
    TrackingResult,
)

from .conftest import RegionalFake

#: (time, text, Ship24 code): words each carrier's vocabulary or normaliser knows.
STEPS = [
    ("2024-04-02T08:10:00+02:00", "Shipment information received", "data_order_created"),
    ("2024-04-02T17:02:00+02:00", "Picked up from the sender", "transit_handover"),
    ("2024-04-03T10:23:00+02:00", "In transit to next facility", None),
    ("2024-04-04T07:15:00+02:00", "Out for delivery", "delivery_out_for_delivery"),
    ("2024-04-04T11:48:00+02:00", "Delivered", "delivery_delivered"),
]


def journey(number: str) -> TrackingResult:
    events = [
        CourierEvent(number, when, text, code, "OSLO, NO", None, "sandbox", order=i)
        for i, (when, text, code) in enumerate(STEPS, 1)
    ]
    return TrackingResult(number, "sandbox", "sandbox", events=events, service="Parcel")


async def test_a_journey_round_trips(regional_fake: RegionalFake) -> None:
    carrier = regional_fake.carrier
    regional_fake.journeys[carrier.number] = journey(carrier.number)

    outcome = (await regional_fake.connector().track([carrier.number], {}))[carrier.number]

    assert isinstance(outcome, TrackingResult), outcome
    assert [e.status_code for e in outcome.events] == [code for _, _, code in reversed(STEPS)]
    times = [e.occurrence_datetime for e in outcome.events]
    if carrier.name == "postnord":  # PostNord sends local times without their offset
        assert times == [when[:19] for when, _, _ in reversed(STEPS)]
    else:
        assert times == [when for when, _, _ in reversed(STEPS)]
    assert [e.order for e in outcome.events] == [5, 4, 3, 2, 1]
    assert {(e.courier_code, e.source_code) for e in outcome.events} == {
        (carrier.courier_code, carrier.source_code)
    }
    assert outcome.service == "Parcel"
    assert regional_fake.state.requested == [[carrier.number]]


async def test_unknown_numbers_are_not_found_and_do_not_hide_others(
    regional_fake: RegionalFake,
) -> None:
    known = regional_fake.carrier.number
    unknown = known[:-3] + "999" if known[-3:] != "999" else known[:-3] + "000"
    regional_fake.journeys[known] = journey(known)

    outcomes = await regional_fake.connector().track([unknown, known], {})

    assert isinstance(outcomes[unknown], TrackingNumberNotFound), outcomes[unknown]
    assert isinstance(outcomes[known], TrackingResult)


async def test_a_refused_key_is_an_auth_error_for_every_number(
    regional_fake: RegionalFake,
) -> None:
    numbers = [regional_fake.carrier.number, "LX123456785NO", "LX123456785SE"]

    outcomes = await regional_fake.connector(api_key="not-the-key").track(numbers, {})

    assert len(outcomes) == 3
    assert all(isinstance(o, CourierAuthError) for o in outcomes.values()), outcomes
    assert regional_fake.state.track_requests == 0
    assert all("not-the-key" not in str(o) for o in outcomes.values())


async def test_rate_limited_then_recovered(regional_fake: RegionalFake) -> None:
    number = regional_fake.carrier.number
    regional_fake.journeys[number] = journey(number)
    regional_fake.state.faults.set(status=429, retry_after="7", times=1)
    connector = regional_fake.connector()

    first = await connector.track([number, "LX123456785NO"], {})
    second = (await connector.track([number], {}))[number]

    assert all(isinstance(o, CourierRateLimited) for o in first.values()), first
    assert first[number].retry_after == 7.0
    assert len(regional_fake.state.requested) == 2  # the second number was not sent
    assert isinstance(second, TrackingResult)


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_unavailable(regional_fake: RegionalFake, status: int) -> None:
    regional_fake.state.faults.set(status=status)
    number = regional_fake.carrier.number

    outcome = (await regional_fake.connector().track([number], {}))[number]

    assert isinstance(outcome, CourierUnavailable), outcome


async def test_a_malformed_body_is_invalid(regional_fake: RegionalFake) -> None:
    number = regional_fake.carrier.number
    regional_fake.journeys[number] = CourierResponseInvalid("garbage")

    outcome = (await regional_fake.connector().track([number], {}))[number]

    assert isinstance(outcome, CourierResponseInvalid), outcome


async def test_a_carrier_that_does_not_answer_in_time_is_unavailable(
    regional_fake: RegionalFake,
) -> None:
    number = regional_fake.carrier.number
    outcome = await regional_fake.connector(base_url="http://127.0.0.1:9").track([number], {})

    assert isinstance(outcome[number], CourierUnavailable), outcome


async def test_credential_check(regional_fake: RegionalFake) -> None:
    connector_class = regional_fake.carrier.connector_class

    good = await connector_class.check_credentials(regional_fake.settings(), regional_fake.session)
    bad = await connector_class.check_credentials(
        regional_fake.settings(api_key="wrong-key"), regional_fake.session
    )
    unset = await connector_class.check_credentials(
        regional_fake.settings(api_key=None), regional_fake.session
    )

    assert (good.connector, good.configured, good.ok) == (regional_fake.carrier.name, True, True)
    assert (bad.configured, bad.ok) == (True, False)
    assert "wrong-key" not in bad.detail
    assert (unset.configured, unset.ok) == (False, False)
    assert (
        connector_class.build(regional_fake.settings(api_key=None), regional_fake.session) is None
    )
