"""Helpers the carrier connector tests share: fixture files, results, API-key fake servers.

Imported as ``connector_helpers`` (see this directory's ``conftest.py``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState, serve
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult

if TYPE_CHECKING:
    from shiptrack.couriers.connectors.base import ApiKeyConnector
    from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: A fixture loader: file name → decoded JSON.
Load = Callable[[str], Any]


def fixture_loader(carrier: str, suffix: str = "") -> Load:
    """Loads ``tests/connectors/fixtures/<carrier>/<name><suffix>``."""
    return lambda name: json.loads((FIXTURES / carrier / f"{name}{suffix}").read_text())


def as_result(outcome: object) -> TrackingResult:
    """``outcome``, which must be a ``TrackingResult``."""
    assert isinstance(outcome, TrackingResult), outcome
    return outcome


def assert_played_back(outcome: object, journey: TrackingResult) -> TrackingResult:
    """``outcome`` is the result of a fake playing ``journey``: the journey's events newest
    first (as carriers list them) with the same Ship24 code, time and text, and the journey's
    estimated delivery and window."""
    result = as_result(outcome)
    newest_first = list(reversed(journey.events))
    assert [e.status_code for e in result.events] == [e.status_code for e in newest_first]
    assert [e.occurrence_datetime for e in result.events] == [
        e.occurrence_datetime for e in newest_first
    ]
    assert [e.status for e in result.events] == [e.status for e in newest_first]
    assert result.estimated_delivery == journey.estimated_delivery
    assert result.estimated_delivery_from == journey.estimated_delivery_from
    assert result.estimated_delivery_to == journey.estimated_delivery_to
    return result


async def assert_key_checks(
    check: Callable[[Any], Awaitable[CredentialCheck]],
    fake: ApiKeyFake,
    *,
    name: str,
    wrong_key: str,
) -> None:
    """``check`` (``check_credentials`` with given settings) accepts the fake's key, refuses
    ``wrong_key``, says "not configured" without a key, and never shows a key."""
    good = await check(fake.settings())
    bad = await check(fake.settings(api_key=wrong_key))
    unset = await check(fake.settings(api_key=None))
    assert (good.connector, good.configured, good.ok) == (name, True, True)
    assert (bad.configured, bad.ok) == (True, False)
    assert wrong_key not in bad.detail
    assert fake.api_key not in good.detail
    assert (unset.configured, unset.ok) == (False, False)


def clear_carrier_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, prefix: str, names: Iterable[str]
) -> None:
    """No stray ``.env`` file (work in ``tmp_path``) and none of ``prefix + name`` set."""
    monkeypatch.chdir(tmp_path)
    for name in names:
        monkeypatch.delenv(f"{prefix}{name}", raising=False)


@dataclass
class ApiKeyFake:
    """A running fake API-key carrier server (DHL, La Poste) and the journeys it plays."""

    url: str
    app: web.Application
    session: aiohttp.ClientSession
    settings_class: type[ApiKeyCarrierSettings]
    connector_class: type[ApiKeyConnector]
    api_key: str
    journeys: dict[str, TrackingResult | CourierError] = field(default_factory=dict)

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]

    def settings(self, **overrides: Any) -> Any:
        values: dict[str, Any] = {"api_key": self.api_key, "base_url": self.url, "timeout": 5.0}
        values.update(overrides)
        return self.settings_class(_env_file=None, **values)  # type: ignore[call-arg]

    def connector(self, **overrides: Any) -> Any:
        return self.connector_class(self.settings(**overrides), self.session)


@asynccontextmanager
async def serve_api_key_fake(
    create_app: Callable[..., web.Application],
    settings_class: type[ApiKeyCarrierSettings],
    connector_class: type[ApiKeyConnector],
    *,
    api_key: str,
    session: aiohttp.ClientSession,
) -> AsyncIterator[ApiKeyFake]:
    """``create_app``'s fake on 127.0.0.1, playing the journeys of the yielded ``ApiKeyFake``."""
    fake_journeys: dict[str, TrackingResult | CourierError] = {}
    app = create_app(fake_journeys.get, api_key=api_key)
    async with serve(app) as url:
        yield ApiKeyFake(url, app, session, settings_class, connector_class, api_key, fake_journeys)
