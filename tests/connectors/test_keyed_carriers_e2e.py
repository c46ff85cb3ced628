"""Canada Post, PostNL, Royal Mail and Purolator connectors against their fake servers.

Each connector talks real HTTP to its carrier's fake on 127.0.0.1 (``<carrier>/fake.py``), which
speaks the carrier's documented protocol (XML, JSON or SOAP). The same cases run for the four:
a journey round-trips, an unknown number is "not found" without hiding a known one, refused
credentials, 429 with ``Retry-After``, 5xx and malformed bodies are typed errors for every
number of the call, the credential check, and building from ``SHIPTRACK_<CARRIER>_*``.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState, serve
from shiptrack.couriers.connectors.protocol import (
    Connector,
    CourierAuthError,
    CourierError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    TrackingNumberNotFound,
    TrackingResult,
)

#: Carrier → (connector class, settings class, fake credentials, two valid numbers, what the
#: carrier keeps of a journey's times: "offset", "local" or "zone" (Canadian zones only)).
CARRIERS: dict[str, tuple[str, str, dict[str, str], tuple[str, str], str]] = {
    "canadapost": (
        "CanadaPostConnector",
        "CanadaPostSettings",
        {"client_id": "cp-user", "client_secret": "cp-password"},
        ("7000000000000160", "0073938000549297"),
        "zone",
    ),
    "postnl": (
        "PostNLConnector",
        "PostNLSettings",
        {"api_key": "postnl-key"},
        ("3SDEVC288882229", "3SDEVC172649258"),
        "local",
    ),
    "royalmail": (
        "RoyalMailConnector",
        "RoyalMailSettings",
        {"client_id": "rm-id", "client_secret": "rm-secret"},
        ("FQ087430672GB", "RR000000164GB"),
        "offset",
    ),
    "purolator": (
        "PurolatorConnector",
        "PurolatorSettings",
        {"client_id": "puro-key", "client_secret": "puro-password"},
        ("320595463938", "331426749957"),
        "local",
    ),
}


@dataclass
class Fake:
    carrier: str
    url: str
    app: web.Application
    session: aiohttp.ClientSession
    credentials: dict[str, str]
    journeys: dict[str, TrackingResult | CourierError] = field(default_factory=dict)

    @property
    def package(self) -> Any:
        return importlib.import_module(f"shiptrack.couriers.connectors.{self.carrier}")

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]

    @property
    def numbers(self) -> tuple[str, str]:
        return CARRIERS[self.carrier][3]

    def settings(self, **overrides: Any) -> Any:
        values: dict[str, Any] = {**self.credentials, "base_url": self.url, "timeout": 5.0}
        values.update(overrides)
        return getattr(self.package, CARRIERS[self.carrier][1])(_env_file=None, **values)

    def connector(self, **overrides: Any) -> Any:
        return getattr(self.package, CARRIERS[self.carrier][0])(
            self.settings(**overrides), self.session
        )


@pytest.fixture(params=list(CARRIERS))
async def fake(
    request: pytest.FixtureRequest, http_session: aiohttp.ClientSession
) -> AsyncIterator[Fake]:
    carrier = request.param
    credentials = CARRIERS[carrier][2]
    journeys: dict[str, TrackingResult | CourierError] = {}
    module = importlib.import_module(f"shiptrack.couriers.connectors.{carrier}.fake")
    app = module.create_app(journeys.get, **credentials)
    async with serve(app) as url:
        yield Fake(carrier, url, app, http_session, credentials, journeys)


def _event(number: str, when: str, text: str, code: str | None, place: str) -> CourierEvent:
    return CourierEvent(number, when, text, code, place, "sandbox", "sandbox")


def journey(number: str) -> TrackingResult:
    """Oldest first: Toronto times (winter, -05:00), a delivery with a signature."""
    return TrackingResult(
        tracking_number=number,
        courier_code="sandbox",
        source_code="sandbox",
        events=[
            _event(number, "2026-01-12T09:14:00-05:00", "Shipment information received",
                   "data_order_created", "TORONTO, ON"),
            _event(number, "2026-01-12T17:40:00-05:00", "Picked up by the carrier",
                   "transit_handover", "TORONTO, ON"),
            _event(number, "2026-01-13T02:05:00-05:00", "Arrived at sort facility", None,
                   "MISSISSAUGA, ON"),
            _event(number, "2026-01-14T08:02:00-05:00", "Out for delivery",
                   "delivery_out_for_delivery", "OTTAWA, ON"),
            _event(number, "2026-01-14T13:31:00-05:00", "Delivered", "delivery_delivered",
                   "OTTAWA, ON"),
        ],
        estimated_delivery="2026-01-14",
        service="Expedited",
        signed_by="J TREMBLAY",
    )  # fmt: skip


async def test_a_journey_round_trips(fake: Fake) -> None:
    number = fake.numbers[0]
    fake.journeys[number] = journey(number)

    outcome = (await fake.connector().track([number], {}))[number]

    assert isinstance(outcome, TrackingResult), outcome
    assert [e.status_code for e in outcome.events] == [
        "delivery_delivered",
        "delivery_out_for_delivery",
        None,
        "transit_handover",
        "data_order_created",
    ]
    assert [e.order for e in outcome.events] == [5, 4, 3, 2, 1]
    assert {e.tracking_number for e in outcome.events} == {number}
    assert {e.source_code for e in outcome.events} == {f"{fake.carrier}-tracking"}
    times = [e.occurrence_datetime for e in outcome.events]
    kept = CARRIERS[fake.carrier][4]
    if kept == "local":
        assert times[0] == "2026-01-14T13:31:00"  # the carrier sends no zone: stays local
    else:
        assert times[0] == "2026-01-14T13:31:00-05:00"  # offset (or EST) kept, not UTC
    assert outcome.estimated_delivery == "2026-01-14"
    signed = fake.carrier != "postnl"  # PostNL's signature is an image behind another call
    assert outcome.signed_by == ("J TREMBLAY" if signed else None)


async def test_a_not_found_number_does_not_hide_the_other(fake: Fake) -> None:
    known, unknown = fake.numbers
    fake.journeys[known] = journey(known)

    outcomes = await fake.connector().track([known, unknown], {})

    assert isinstance(outcomes[known], TrackingResult)
    assert isinstance(outcomes[unknown], TrackingNumberNotFound)


async def test_refused_credentials_are_an_auth_error_and_stop_the_calls(fake: Fake) -> None:
    secret = "not-the-right-one"
    field_name = "api_key" if "api_key" in fake.credentials else "client_secret"
    connector = fake.connector(**{field_name: secret})

    outcomes = await connector.track(list(fake.numbers), {})

    assert all(isinstance(o, CourierAuthError) for o in outcomes.values()), outcomes
    assert len(outcomes) == 2
    assert fake.state.track_requests == 0  # refused at the gate
    assert all(secret not in str(o) for o in outcomes.values())


async def test_rate_limited_with_retry_after_then_recovery(fake: Fake) -> None:
    number = fake.numbers[0]
    fake.journeys[number] = journey(number)
    fake.state.faults.set(status=429, retry_after="7", times=1)
    connector = fake.connector()

    first = (await connector.track([number], {}))[number]
    second = (await connector.track([number], {}))[number]

    assert isinstance(first, CourierRateLimited)
    assert first.retry_after == 7.0
    assert isinstance(second, TrackingResult)


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_unavailable(fake: Fake, status: int) -> None:
    fake.state.faults.set(status=status, retry_after="20")

    outcomes = await fake.connector().track(list(fake.numbers), {})

    assert all(isinstance(o, CourierUnavailable) for o in outcomes.values()), outcomes


async def test_malformed_body_is_invalid(fake: Fake) -> None:
    fake.journeys[fake.numbers[0]] = journey(fake.numbers[0])
    fake.state.faults.set(malformed=True)

    outcomes = await fake.connector().track(list(fake.numbers), {})

    assert all(isinstance(o, CourierResponseInvalid) for o in outcomes.values()), outcomes


async def test_connector_declares_itself(fake: Fake) -> None:
    connector = fake.connector()

    assert isinstance(connector, Connector)
    assert connector.info.source_code == f"{fake.carrier}-tracking"
    assert connector.claims(fake.numbers[0]) is False
    assert fake.package.SOURCE.name == fake.carrier


async def test_check_credentials(fake: Fake) -> None:
    keyword = f"{fake.carrier}_settings"
    field_name = "api_key" if "api_key" in fake.credentials else "client_secret"

    good = await fake.package.check_credentials(None, fake.session, **{keyword: fake.settings()})
    bad = await fake.package.check_credentials(
        None, fake.session, **{keyword: fake.settings(**{field_name: "wrong-7"})}
    )
    unset = await fake.package.check_credentials(
        None, fake.session, **{keyword: fake.settings(**{field_name: None})}
    )
    fake.state.faults.set(status=503)
    down = await fake.package.check_credentials(None, fake.session, **{keyword: fake.settings()})

    assert (good.connector, good.configured, good.ok) == (fake.carrier, True, True)
    assert (bad.configured, bad.ok) == (True, False)
    assert (unset.configured, unset.ok) == (False, False)
    assert (down.configured, down.ok) == (True, False)
    assert "could not check" in down.detail
    for check in (good, bad, unset, down):
        assert all(value not in check.detail for value in fake.credentials.values())
        assert "wrong-7" not in check.detail


async def test_build_reads_the_environment(
    fake: Fake, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    prefix = f"SHIPTRACK_{fake.carrier.upper()}_"
    names = ["API_KEY", "CLIENT_ID", "CLIENT_SECRET", "BASE_URL", "USE_SANDBOX"]
    for name in names:
        monkeypatch.delenv(prefix + name, raising=False)
    assert fake.package.build(None, fake.session) is None

    for key, value in fake.credentials.items():
        monkeypatch.setenv(prefix + key.upper(), value)
    built = fake.package.build(None, fake.session)
    assert isinstance(built, getattr(fake.package, CARRIERS[fake.carrier][0]))
    settings = getattr(fake.package, CARRIERS[fake.carrier][1])()
    assert settings.resolved_base_url().startswith("https://")
    assert all(
        value not in repr(settings)
        for key, value in fake.credentials.items()
        if "secret" in key or key == "api_key"
    )


def test_basic_authorization_round_trips() -> None:
    from shiptrack.couriers.connectors.canadapost import CanadaPostSettings
    from shiptrack.couriers.connectors.keypair import basic_credentials

    settings = CanadaPostSettings(_env_file=None, client_id="user", client_secret="p:ss")

    assert basic_credentials(settings.basic_authorization()) == ("user", "p:ss")
    assert basic_credentials("Bearer abc") == ("", "")
    assert basic_credentials("Basic not-base64!") == ("", "")
    assert basic_credentials(None) == ("", "")
