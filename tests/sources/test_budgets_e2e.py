"""Budgets end to end for each upstream, on SQLite and PostgreSQL (see conftest.py): a spent
registration or call budget makes the next tracker wait until the refill and say so in its
diagnostics and in the metrics, without calling the provider and without counting an error."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from shiptrack.app import services_of
from shiptrack.sources.tables import upstream_registrations

from .conftest import ENV_PREFIX, Provider, usps_number
from .test_upstream_e2e import _checked, _create, _source

#: The budget each case sets to what the first tracker spends, and that tracker's spending.
BUDGETS = {
    "registrations_day": ("REGISTRATIONS_PER_DAY", "1"),
    "registrations_month": ("REGISTRATIONS_PER_MONTH", "1"),
    # The first tracker's calls (``FIRST_CHECK_CALLS``).
    "calls_minute": ("CALLS_PER_MINUTE", ""),
}
#: The calls of a first check: the registration and a poll; AfterShip answers its create and
#: Ship24 its track call with the tracking, which serves as the first poll.
FIRST_CHECK_CALLS = {"ship24": 1, "track17": 2, "aftership": 1, "trackingmore": 2}


@pytest.fixture(params=sorted(BUDGETS))
def budget(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def upstream_env(
    upstream_env: dict[str, str], provider: Provider, budget: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    name, value = BUDGETS[budget]
    value = value or str(FIRST_CHECK_CALLS[provider.name])
    variable = f"{ENV_PREFIX[provider.name]}{name}"
    monkeypatch.setenv(variable, value)
    return {**upstream_env, variable: value}


def _sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _refill(budget: str, now: dt.datetime) -> dt.datetime:
    if budget == "calls_minute":
        return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if budget == "registrations_day":
        return now.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


async def _within_one_window(budget: str) -> None:
    """Both trackers must be checked in the same budget window: a calls-per-minute budget
    refills at the top of each UTC minute, so a test begun in a minute's last seconds would
    see its second tracker served from the next minute's budget. Start in a fresh minute."""
    now = dt.datetime.now(dt.UTC)
    if budget == "calls_minute" and now.second >= 40:
        await asyncio.sleep((_refill(budget, now) - now).total_seconds() + 0.05)


async def test_a_spent_budget_makes_trackers_wait_and_say_so(app, client, provider, budget):
    await _within_one_window(budget)
    exhausted_before = _sample(
        "shiptrack_source_budget_exhausted_total", {"source": provider.name, "budget": budget}
    )
    first = await _create(client, usps_number(6))
    await _checked(app, first)
    assert sum(provider.state.registered.values()) == 1

    waiting_number = usps_number(6)
    started = dt.datetime.now(dt.UTC)
    waiting = await _create(client, waiting_number)
    row = await _checked(app, waiting)

    # The provider heard nothing of the second number; the tracker waits for the refill.
    assert provider.state.registered[waiting_number] == 0
    assert row.error_count == 0, "a spent budget is no error"
    assert row.next_check_at >= _refill(budget, started) - dt.timedelta(seconds=2)
    async with services_of(app).db.read() as conn:
        registration = (
            await conn.execute(
                select(upstream_registrations).where(
                    upstream_registrations.c.tracking_number == waiting_number
                )
            )
        ).one()
    assert registration.state == "deferred"

    # It says so: the diagnostics API (as `shiptrack trackers why` prints it) and the metrics.
    response = await client.get(f"/trackers/{waiting}/diagnostics")
    assert response.status_code == 200, response.text
    routing: dict[str, Any] = response.json()["data"]["routing"]
    said = {s["sourceCode"]: s for s in routing["sources"] if s["current"]}
    mine = said[_source(provider.name)]
    assert mine["outcome"] == "budget_exhausted"
    assert budget in mine["detail"]
    assert "Waiting for budget" in routing["explanation"]
    first_routing = (await client.get(f"/trackers/{first}/diagnostics")).json()["data"]["routing"]
    assert {s["outcome"] for s in first_routing["sources"]} == {"found"}
    labels = {"source": provider.name, "budget": budget}
    assert _sample("shiptrack_source_budget_exhausted_total", labels) > exhausted_before
    assert _sample("shiptrack_source_budget_remaining", labels) == 0
    calls = _sample(
        "shiptrack_upstream_calls_total",
        {"source": provider.name, "call": "register", "outcome": "ok"},
    )
    assert calls >= 1
