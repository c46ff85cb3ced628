"""A number tracked by its carrier's connector and an aggregator at once, end to end on
SQLite and PostgreSQL: the fake USPS and the fake provider (real HTTP on 127.0.0.1) tell the
same journey, the engine asks both, and the tracker shows one timeline — each scan once, in
the carrier's words (``sourceCode``), whichever source said it first."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from shiptrack.couriers.connectors.aggregator_fake import deliver, signed
from shiptrack.couriers.fakes import FakeCouriers, start_fake_couriers

from .conftest import Provider, TestClock
from .test_upstream_e2e import _checked, _create, _events, _refresh

CARRIER_SOURCE = "usps-tracking"


@pytest.fixture
async def usps(clock: TestClock) -> AsyncIterator[FakeCouriers]:
    fakes = await start_fake_couriers(base_port=0, carriers=["usps"], clock=clock)
    try:
        yield fakes
    finally:
        await fakes.aclose()


@pytest.fixture
def upstream_env(
    upstream_env: dict[str, str], usps: FakeCouriers, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    env = usps.env(relaxed_limits=True)
    env["SHIPTRACK_USPS_MIN_INTERVAL"] = "0"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {**upstream_env, **env}


def _scans(events: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter(
        (e["occurrenceDatetime"][:16], " ".join(e["status"].lower().split())) for e in events
    )


async def test_one_merged_timeline_from_a_carrier_and_an_aggregator(
    app,
    client,
    provider: Provider,
    usps: FakeCouriers,
    journeys: Any,
    clock: TestClock,
    callback_base: str,
):
    number = usps.number("usps", "REDELIVERY")
    usps.start(number, clock.now)  # the same journey, told by USPS and by the aggregator
    journeys.start(number, clock.now)
    tracker = await _create(client, number)
    await _checked(app, tracker)
    first = await _events(client, tracker)
    assert first
    # The aggregator was asked too (AfterShip answers its create and Ship24 its track call with
    # the tracking: no poll).
    asked = "register" if provider.name in ("aftership", "ship24") else "poll"
    assert provider.state.calls[asked] >= 1, "the aggregator was asked too"
    assert max(_scans(first).values()) == 1, "no scan twice"
    assert {e["sourceCode"] for e in first} == {CARRIER_SOURCE}
    journey = usps.journeys.source("usps")(number)
    assert len(first) == len(journey.events)

    # The aggregator learns more first and pushes it: stored once, in its words for now.
    clock.advance(days=4)
    headers, body = signed(provider.app, [number])
    status, answer = await deliver(
        f"{callback_base}/v1/sources/{provider.name}/callback", headers, body
    )
    assert status == 200, answer
    pushed = await _events(client, tracker)
    assert len(pushed) > len(first)
    assert max(_scans(pushed).values()) == 1

    # Then both are polled: the carrier's report of the same scans wins, nothing is doubled,
    # and the events keep their ids.
    await _refresh(app, tracker)
    merged = await _events(client, tracker)
    journey = usps.journeys.source("usps")(number)
    assert len(merged) == len(journey.events)
    assert max(_scans(merged).values()) == 1
    assert {e["sourceCode"] for e in merged} == {CARRIER_SOURCE}
    assert {e["eventId"] for e in pushed} <= {e["eventId"] for e in merged}
    diagnostics = (await client.get(f"/trackers/{tracker}/diagnostics")).json()["data"]
    current = {
        s["sourceCode"]: s["outcome"] for s in diagnostics["routing"]["sources"] if s["current"]
    }
    assert current[CARRIER_SOURCE] == "found"
