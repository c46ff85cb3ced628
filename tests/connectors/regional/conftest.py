"""InPost, Bring, PostNord and Australia Post test fixtures: fixture files and their fakes.

Each carrier's fake server runs on 127.0.0.1 and plays the journeys of the yielded
``RegionalFake`` (``fake.journeys[number] = TrackingResult | CourierError``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors import auspost, bring, inpost, postnord
from shiptrack.couriers.connectors.auspost import fake as auspost_fake
from shiptrack.couriers.connectors.bring import fake as bring_fake
from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState, serve
from shiptrack.couriers.connectors.inpost import fake as inpost_fake
from shiptrack.couriers.connectors.postnord import fake as postnord_fake
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult


@dataclass(frozen=True)
class Carrier:
    """How to run one carrier's fake and configure its connector against it."""

    name: str
    create_app: Callable[..., web.Application]
    connector_class: type[Any]
    settings_class: type[Any]
    #: Credentials: the fake's keyword arguments, and the connector's settings fields.
    credentials: dict[str, str]
    #: A number of the carrier's format (the fakes accept any well-formed number).
    number: str
    courier_code: str
    source_code: str


CARRIERS: dict[str, Carrier] = {
    "inpost": Carrier(
        "inpost",
        inpost_fake.create_app,
        inpost.InPostConnector,
        inpost.InPostSettings,
        {"api_key": "test-shipx-token"},
        "612345678901234567890123",
        "inpost-pl",
        "inpost-tracking",
    ),
    "bring": Carrier(
        "bring",
        bring_fake.create_app,
        bring.BringConnector,
        bring.BringSettings,
        {"api_key": "test-mybring-key", "api_uid": "ops@example.com"},
        "TESTPACKAGEDELIVERED",
        "bring",
        "bring-tracking",
    ),
    "postnord": Carrier(
        "postnord",
        postnord_fake.create_app,
        postnord.PostNordConnector,
        postnord.PostNordSettings,
        {"api_key": "0123456789abcdef0123456789abcdef"},
        "UA123456785SE",
        "se-post",
        "postnord-tracking",
    ),
    "auspost": Carrier(
        "auspost",
        auspost_fake.create_app,
        auspost.AusPostConnector,
        auspost.AusPostSettings,
        {"api_key": "test-ap-key", "password": "test-ap-password", "account_number": "1234567890"},
        "LX123456789US",
        "au-post",
        "auspost-tracking",
    ),
}


@dataclass
class RegionalFake:
    """A running fake carrier server and the journeys it plays."""

    carrier: Carrier
    url: str
    app: web.Application
    session: aiohttp.ClientSession
    journeys: dict[str, TrackingResult | CourierError] = field(default_factory=dict)

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]

    def settings(self, **overrides: Any) -> Any:
        values: dict[str, Any] = {**self.carrier.credentials, "base_url": self.url}
        values["timeout"] = 5.0
        values.update(overrides)
        return self.carrier.settings_class(_env_file=None, **values)

    def connector(self, **overrides: Any) -> Any:
        return self.carrier.connector_class(self.settings(**overrides), self.session)


@pytest.fixture(params=sorted(CARRIERS))
async def regional_fake(
    request: pytest.FixtureRequest, http_session: aiohttp.ClientSession
) -> AsyncIterator[RegionalFake]:
    """Each of the four carriers' fakes in turn."""
    carrier = CARRIERS[request.param]
    journeys: dict[str, TrackingResult | CourierError] = {}
    app = carrier.create_app(journeys.get, **carrier.credentials)
    async with serve(app) as url:
        yield RegionalFake(carrier, url, app, http_session, journeys)
