"""The app's services (``api/services.py``, ``app.Services``): one frozen object, the only
thing on ``app.state``, satisfying every feature's view of it."""

from __future__ import annotations

import dataclasses

import pytest

from shiptrack.accounts.ratelimit import RateLimiter
from shiptrack.app import SERVICE_VIEWS, Services, replace_services, services_of


async def test_the_services_are_the_only_state_and_are_frozen(app):
    found = services_of(app)
    assert isinstance(found, Services)
    assert set(vars(app.state)["_state"]) == {"services"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.db = None  # type: ignore[misc]


@pytest.mark.parametrize("view", SERVICE_VIEWS, ids=lambda view: view.__name__)
async def test_the_services_satisfy_every_view(app, view):
    assert isinstance(services_of(app), view)


async def test_handlers_see_replaced_services(app, client):
    limiter = RateLimiter({"list_trackers": 1}, clock=lambda: 1000.5)
    replace_services(app, rate_limiter=limiter)
    assert (await client.get("/trackers")).status_code == 200
    assert (await client.get("/trackers")).status_code == 429
