"""The tests USPS, UPS and FedEx share: settings, and the connector against its fake server.

Imported as ``oauth_carrier_tests`` (see this directory's ``conftest.py``). Each carrier's
``conftest.py`` has a ``carrier`` fixture with its ``OAuthCarrier`` (numbers, texts, and what
the tests expect back); its ``test_settings.py`` and ``test_fake_e2e.py`` subclass
``OAuthSettingsTests`` and ``OAuthFakeServerTests`` and add the carrier's own tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from connector_helpers import clear_carrier_env

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

#: When and what happens in the journey every carrier plays (oldest first): time, Ship24 code.
JOURNEY: tuple[tuple[str, str | None], ...] = (
    ("2025-03-03T16:02:00-05:00", "data_order_created"),
    ("2025-03-04T10:17:00-05:00", "transit_handover"),
    ("2025-03-05T21:33:00", None),
    ("2025-03-06T03:10:00Z", None),
    ("2025-03-07T07:05:00-08:00", "delivery_out_for_delivery"),
    ("2025-03-07T14:41:00-08:00", "delivery_delivered"),
)


@dataclass(frozen=True)
class OAuthCarrier:
    """One OAuth carrier as the shared tests see it; every value is the carrier's own."""

    #: ``shiptrack.couriers.connectors.<name>``: ``build``, ``check_credentials``.
    package: ModuleType
    settings_class: type[Any]
    #: The fake server's ``create_app``.
    create_app: Callable[..., web.Application]
    name: str
    courier_code: str
    source_code: str
    batch_size: int
    production_url: str
    sandbox_url: str
    #: The number the journey is played for.
    number: str
    #: (text, location) of each ``JOURNEY`` scan, as the carrier would word them.
    scans: tuple[tuple[str, str | None], ...]
    #: The carrier code each scan comes back with.
    carrier_codes: list[str]
    #: Estimated delivery, window from, window to.
    estimates: tuple[str, str, str]
    service: str
    signed_by: str
    linked_number: LinkedTrackingNumber
    #: ``str.format`` pattern of 25 more numbers of the carrier's shape (``{:05d}``).
    more_numbers: str
    #: A well-formed number the fake does not know, and the hints to send with it.
    unknown_number: str
    unknown_hints: Mapping[str, TrackingHints] = field(default_factory=dict)

    @property
    def client_id(self) -> str:
        return f"fake-{self.name}-id"

    @property
    def client_secret(self) -> str:
        return f"fake-{self.name}-secret-value"

    @property
    def env_prefix(self) -> str:
        return f"SHIPTRACK_{self.name.upper()}_"

    def event(
        self, when: str, text: str, code: str | None, where: str | None = None
    ) -> CourierEvent:
        return CourierEvent(
            self.number, when, text, code, where, self.courier_code, self.source_code
        )

    def journey(self, stage: int = 6) -> TrackingResult:
        """The first ``stage`` scans of the journey (all six: delivered and signed for)."""
        scans = zip(JOURNEY, self.scans, strict=True)
        events = [self.event(when, text, code, where) for (when, code), (text, where) in scans]
        estimated, window_from, window_to = self.estimates
        return TrackingResult(
            self.number,
            self.courier_code,
            self.source_code,
            events[:stage],
            origin_country_code="US",
            destination_country_code="US",
            estimated_delivery=estimated,
            estimated_delivery_from=window_from,
            estimated_delivery_to=window_to,
            service=self.service,
            signed_by=self.signed_by if stage >= 6 else None,
            linked_numbers=[self.linked_number],
            recipient_post_code="97214",
            recipient_city="PORTLAND",
        )


@dataclass
class Fake:
    """A running fake carrier server and the journeys it plays."""

    url: str
    app: web.Application
    journeys: dict[str, TrackingResult | CourierError]
    carrier: OAuthCarrier

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]

    def connector(self, session: aiohttp.ClientSession, **overrides: object) -> Connector:
        settings = self.carrier.settings_class(
            client_id=overrides.pop("client_id", self.carrier.client_id),
            client_secret=overrides.pop("client_secret", self.carrier.client_secret),
            base_url=self.url,
            timeout=5,
            **overrides,
        )
        connector = self.carrier.package.build(settings, session)
        assert connector is not None
        return connector


def _shape(event: CourierEvent) -> tuple[object, ...]:
    return (
        event.occurrence_datetime,
        event.status,
        event.status_code,
        event.location,
        event.courier_code,
        event.source_code,
    )


class OAuthSettingsTests:
    """Environment variables, sandbox switch, base-URL override, factory."""

    @pytest.fixture
    def clean_env(
        self, carrier: OAuthCarrier, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> pytest.MonkeyPatch:
        names = ("CLIENT_ID", "CLIENT_SECRET", "USE_SANDBOX", "BASE_URL", "TIMEOUT")
        clear_carrier_env(monkeypatch, tmp_path, carrier.env_prefix, names)
        return monkeypatch

    def test_from_environment(self, carrier: OAuthCarrier, clean_env: pytest.MonkeyPatch) -> None:
        clean_env.setenv(f"{carrier.env_prefix}CLIENT_ID", "key")
        clean_env.setenv(f"{carrier.env_prefix}CLIENT_SECRET", "s3cret")
        clean_env.setenv(f"{carrier.env_prefix}USE_SANDBOX", "true")
        settings = carrier.settings_class()
        assert settings.configured
        assert settings.api_url == carrier.sandbox_url
        assert "s3cret" not in repr(settings)

    def test_from_env_file(
        self, carrier: OAuthCarrier, clean_env: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        prefix = carrier.env_prefix
        (tmp_path / ".env").write_text(f"{prefix}CLIENT_ID=key\n{prefix}CLIENT_SECRET=s3cret\n")
        settings = carrier.settings_class()
        assert settings.configured
        assert settings.api_url == carrier.production_url

    def test_base_url_override(self, carrier: OAuthCarrier, clean_env: pytest.MonkeyPatch) -> None:
        settings = carrier.settings_class(base_url="http://127.0.0.1:9999/", use_sandbox=True)
        assert settings.api_url == "http://127.0.0.1:9999"

    async def test_factory_without_credentials(
        self, carrier: OAuthCarrier, clean_env: pytest.MonkeyPatch
    ) -> None:
        build = carrier.package.build
        async with aiohttp.ClientSession() as session:
            assert build(None, session) is None
            assert build(carrier.settings_class(client_id="key"), session) is None
            clean_env.setenv(f"{carrier.env_prefix}CLIENT_ID", "key")
            clean_env.setenv(f"{carrier.env_prefix}CLIENT_SECRET", "s3cret")
            connector = build(None, session)
            assert connector is not None
            assert carrier.courier_code in connector.info.courier_codes


class OAuthFakeServerTests:
    """The connector against the carrier's fake server, over real HTTP on 127.0.0.1."""

    @pytest.fixture
    async def fake(self, carrier: OAuthCarrier) -> AsyncIterator[Fake]:
        journeys: dict[str, TrackingResult | CourierError] = {carrier.number: carrier.journey()}
        app = carrier.create_app(
            journeys.get, client_id=carrier.client_id, client_secret=carrier.client_secret
        )
        async with serve(app) as url:
            yield Fake(url, app, journeys, carrier)

    @pytest.fixture
    async def short_lived_fake(self, carrier: OAuthCarrier) -> AsyncIterator[Fake]:
        journeys: dict[str, TrackingResult | CourierError] = {carrier.number: carrier.journey(3)}
        app = carrier.create_app(
            journeys.get,
            client_id=carrier.client_id,
            client_secret=carrier.client_secret,
            token_lifetime=0.2,
        )
        async with serve(app) as url:
            yield Fake(url, app, journeys, carrier)

    async def test_full_journey(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        number = carrier.number
        connector = fake.connector(http_session)
        assert isinstance(connector, Connector)
        assert connector.info.source_code == carrier.source_code
        assert connector.info.batch_size == carrier.batch_size
        assert connector.claims(number) is False

        outcomes = await connector.track([number], {})
        result = outcomes[number]
        assert isinstance(result, TrackingResult)
        expected = carrier.journey()
        assert [_shape(e) for e in result.events] == [_shape(e) for e in expected.events]
        assert [e.carrier_status_code for e in result.events] == carrier.carrier_codes
        assert result.estimated_delivery == carrier.estimates[0]
        assert result.estimated_delivery_from == carrier.estimates[1]
        assert result.estimated_delivery_to == carrier.estimates[2]
        assert result.signed_by == carrier.signed_by
        assert result.service == carrier.service
        assert (result.origin_country_code, result.destination_country_code) == ("US", "US")
        assert result.linked_numbers == expected.linked_numbers
        assert (result.recipient_post_code, result.recipient_city) == ("97214", "PORTLAND")
        await connector.aclose()

    async def test_token_is_cached(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        connector = fake.connector(http_session)
        for _ in range(3):
            outcome = (await connector.track([carrier.number], {}))[carrier.number]
            assert isinstance(outcome, TrackingResult)
        assert fake.state.token_requests == 1
        assert fake.state.track_requests == 3

    async def test_concurrent_calls_share_one_token_request(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        numbers = [carrier.more_numbers.format(i) for i in range(25)]
        for number in numbers:
            fake.journeys[number] = carrier.journey(2)
        connector = fake.connector(http_session)
        batches = await asyncio.gather(*(connector.track([n], {}) for n in numbers))
        assert all(isinstance(b[n], TrackingResult) for b, n in zip(batches, numbers, strict=True))
        assert fake.state.token_requests == 1

    async def test_token_expiry_mid_run(
        self, carrier: OAuthCarrier, short_lived_fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        fake, number = short_lived_fake, carrier.number
        connector = fake.connector(http_session)
        first = (await connector.track([number], {}))[number]
        assert isinstance(first, TrackingResult)
        assert len(first.events) == 3

        # The server expires tokens after 0.2 s but advertised 1 s: the connector still trusts
        # its token, gets a 401, refreshes once and retries; the new scans all come through.
        await asyncio.sleep(0.3)
        fake.journeys[number] = carrier.journey(6)
        second = (await connector.track([number], {}))[number]
        assert isinstance(second, TrackingResult)
        assert [_shape(e) for e in second.events] == [_shape(e) for e in carrier.journey(6).events]
        assert fake.state.token_requests == 2

    async def test_revoked_token_is_refreshed_once(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        connector = fake.connector(http_session)
        await connector.track([carrier.number], {})
        fake.state.tokens.revoke_all()
        result = await asyncio.gather(*(connector.track([carrier.number], {}) for _ in range(5)))
        assert all(isinstance(r[carrier.number], TrackingResult) for r in result)
        assert fake.state.token_requests == 2

    async def test_persistent_401_is_an_auth_error(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        connector = fake.connector(http_session)
        fake.state.faults.set(status=401)
        outcome = (await connector.track([carrier.number], {}))[carrier.number]
        assert isinstance(outcome, CourierAuthError)
        assert fake.state.token_requests == 2  # refreshed once, then gave up

    async def test_403_is_an_auth_error_without_refresh(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        connector = fake.connector(http_session)
        fake.state.faults.set(status=403, times=1)
        outcome = (await connector.track([carrier.number], {}))[carrier.number]
        assert isinstance(outcome, CourierAuthError)
        assert fake.state.token_requests == 1

    async def test_wrong_credentials(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        connector = fake.connector(http_session, client_secret="wrong")
        outcome = (await connector.track([carrier.number], {}))[carrier.number]
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
        self,
        carrier: OAuthCarrier,
        fake: Fake,
        http_session: aiohttp.ClientSession,
        error: CourierError,
        expected: type[CourierError],
    ) -> None:
        fake.journeys[carrier.number] = error
        outcome = (await fake.connector(http_session).track([carrier.number], {}))[carrier.number]
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
        self,
        carrier: OAuthCarrier,
        fake: Fake,
        http_session: aiohttp.ClientSession,
        fault: dict[str, object],
        expected: type[CourierError],
    ) -> None:
        connector = fake.connector(http_session)
        fake.state.faults.set(times=1, **fault)  # type: ignore[arg-type]
        outcome = (await connector.track([carrier.number], {}))[carrier.number]
        assert type(outcome) is expected
        if "retry_after" in fault:
            assert outcome.retry_after == float(fault["retry_after"])  # type: ignore[arg-type]
        # The fault lasted one call.
        outcome = (await connector.track([carrier.number], {}))[carrier.number]
        assert isinstance(outcome, TrackingResult)

    async def test_unknown_and_invalid_numbers(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        connector = fake.connector(http_session)
        unknown, number = carrier.unknown_number, carrier.number
        outcomes = await connector.track([unknown, "../etc", number], carrier.unknown_hints)
        assert isinstance(outcomes[unknown], TrackingNumberNotFound)
        assert isinstance(outcomes["../etc"], TrackingNumberNotFound)
        assert isinstance(outcomes[number], TrackingResult)
        if carrier.batch_size > 1:
            assert fake.state.requested == [[unknown, number]]  # one batch, without "../etc"
        else:
            assert fake.state.track_requests == 2  # the malformed number never left the process

    async def test_check_credentials(
        self, carrier: OAuthCarrier, fake: Fake, http_session: aiohttp.ClientSession
    ) -> None:
        settings_class, check_credentials = (
            carrier.settings_class,
            carrier.package.check_credentials,
        )
        good = settings_class(
            client_id=carrier.client_id, client_secret=carrier.client_secret, base_url=fake.url
        )
        check = await check_credentials(good, http_session)
        assert check.ok, check.detail
        assert (check.connector, check.configured) == (carrier.name, True)
        bad = settings_class(
            client_id=carrier.client_id, client_secret="not-the-secret", base_url=fake.url
        )
        check = await check_credentials(bad, http_session)
        assert not check.ok
        assert "CourierAuthError" in check.detail
        assert "not-the-secret" not in check.detail
        missing = settings_class(client_id=None, client_secret=None)
        check = await check_credentials(missing, http_session)
        assert not check.ok
        assert not check.configured
        assert f"{carrier.env_prefix}CLIENT_ID" in check.detail
