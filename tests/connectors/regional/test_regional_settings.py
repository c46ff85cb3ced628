"""Settings of the InPost, Bring, PostNord and Australia Post connectors: the variables that
enable each one, the hosts they call, and Australia Post's batches of ten ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from shiptrack.couriers.connectors import auspost, bring, inpost, postnord
from shiptrack.couriers.connectors.auspost import fake as auspost_fake
from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.protocol import TrackingNumberNotFound, TrackingResult

from .test_regional_fakes_e2e import journey

#: Carrier → (package, the variables that enable it).
ENABLING = {
    "inpost": (inpost, {"SHIPTRACK_INPOST_API_KEY": "t"}),
    "bring": (bring, {"SHIPTRACK_BRING_API_KEY": "k", "SHIPTRACK_BRING_API_UID": "u@example.com"}),
    "postnord": (postnord, {"SHIPTRACK_POSTNORD_API_KEY": "k"}),
    "auspost": (
        auspost,
        {
            "SHIPTRACK_AUSPOST_API_KEY": "k",
            "SHIPTRACK_AUSPOST_PASSWORD": "p",
            "SHIPTRACK_AUSPOST_ACCOUNT_NUMBER": "1234567890",
        },
    ),
}


@pytest.mark.parametrize("carrier", sorted(ENABLING))
async def test_built_only_with_every_variable(
    carrier: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package, variables = ENABLING[carrier]
    monkeypatch.chdir(tmp_path)  # no stray .env file
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    async with aiohttp.ClientSession() as session:
        assert package.build(None, session) is not None
        for missing in variables:
            monkeypatch.delenv(missing)
            assert package.build(None, session) is None, missing
            monkeypatch.setenv(missing, variables[missing])
    assert set(variables) == set(package.SOURCE.enable.removeprefix("set ").split(" and "))


@pytest.mark.parametrize(
    ("settings", "origin"),
    [
        (inpost.InPostSettings(api_key="t"), "https://api-shipx-pl.easypack24.net"),
        (
            inpost.InPostSettings(api_key="t", use_sandbox=True),
            "https://sandbox-api-shipx-pl.easypack24.net",
        ),
        (bring.BringSettings(api_key="k", api_uid="u"), "https://api.bring.com"),
        (postnord.PostNordSettings(api_key="k"), "https://api2.postnord.com"),
        (postnord.PostNordSettings(api_key="k", use_sandbox=True), "https://atapi2.postnord.com"),
        (
            postnord.PostNordSettings(api_key="k", use_sandbox=True, base_url="http://x:1/"),
            "http://x:1",
        ),
        (auspost.AusPostSettings(api_key="k"), "https://digitalapi.auspost.com.au"),
    ],
)
def test_hosts(settings: object, origin: str) -> None:
    assert settings.resolved_base_url() == origin  # type: ignore[attr-defined]


async def test_auspost_asks_ten_ids_per_call_on_its_test_path() -> None:
    journeys: dict[str, TrackingResult] = {}
    numbers = [f"LA{n:08d}0AU" for n in range(12)]
    for number in numbers[:11]:
        journeys[number] = journey(number)
    credentials = {"api_key": "k", "password": "p", "account_number": "1234567890"}
    app = auspost_fake.create_app(journeys.get, **credentials)
    paths: list[str] = []

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        paths.append(request.path)
        return await handler(request)

    app.middlewares.append(record)
    async with serve(app) as url, aiohttp.ClientSession() as session:
        settings = auspost.AusPostSettings(
            _env_file=None, base_url=url, use_sandbox=True, **credentials
        )
        outcomes = await auspost.AusPostConnector(settings, session).track(numbers, {})
        state = app[auspost_fake.FAKE_STATE]

    assert [len(call) for call in state.requested] == [10, 2]
    assert paths == ["/test/shipping/v1/track"] * 2
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers[:11])
    assert isinstance(outcomes[numbers[11]], TrackingNumberNotFound)
