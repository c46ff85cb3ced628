"""The upstream connectors' batch calls against the fake providers over real HTTP on 127.0.0.1:
registrations and polls go in the providers' documented batches (17TRACK 40, TrackingMore 40,
AfterShip's list 50; Ship24's track call and AfterShip's create one number each, answering
its tracking with it), a number the provider already tracks is not
created again, budgets count what the provider bills (each number registered, each call), an
unchanged answer is not read again, and a re-check's registration lookup writes nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections import Counter
from typing import Any

import aiohttp
import pytest

from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE
from shiptrack.couriers.connectors.protocol import (
    TrackingHints,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.fakes import CarrierJourneys
from shiptrack.couriers.fakes.aggregators import (
    FAKE_API_KEY,
    UPSTREAMS,
    start_fake_upstreams,
    stop_fake_upstreams,
)
from shiptrack.sources.registrations import DatabaseBook

from .conftest import TestClock, usps_number

#: Numbers per call, as each provider documents it: (registration, poll).
BATCHES = {
    "ship24": (1, 1),  # track (create + results) per number; results one tracker at a time
    "track17": (40, 40),  # register, gettrackinfo
    "aftership": (1, 50),  # one create per number; the list by tracking_numbers
    "trackingmore": (40, 40),  # trackings/batch, trackings/get
}
HINTS = TrackingHints(courier_codes=("us-post",))


class CountingBudget:
    """Grants everything and counts what was spent, as a provider bills it."""

    def __init__(self) -> None:
        self.spent: Counter[str] = Counter()

    async def spend(self, kind: str, count: int = 1) -> tuple[int, None]:
        self.spent[kind] += count
        return count, None


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
async def running(clock: TestClock):
    fakes = await start_fake_upstreams(CarrierJourneys(clock=clock))
    try:
        yield {f.name: f for f in fakes}
    finally:
        await stop_fake_upstreams(fakes)


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


def _connector(running: dict[str, Any], name: str, session: aiohttp.ClientSession) -> Any:
    package = importlib.import_module(f"shiptrack.couriers.connectors.{name}")
    settings_class = next(v for k, v in vars(package).items() if k.endswith("Settings"))
    settings = settings_class(_env_file=None, base_url=running[name].url, api_key=FAKE_API_KEY)
    connector = package.build(settings, session)
    connector.budget = CountingBudget()
    return connector


async def _track(connector: Any, numbers: list[str]) -> dict[str, Any]:
    return await connector.track(numbers, dict.fromkeys(numbers, HINTS))


@pytest.mark.parametrize("name", UPSTREAMS)
async def test_registrations_and_polls_go_in_the_providers_batches(running, session, db, name):
    connector = _connector(running, name, session)
    connector.book = DatabaseBook(db)  # where the registration budget is spent
    state = running[name].app[UPSTREAM_FAKE]
    numbers = [usps_number(6) for _ in range(90)]  # DELIVERED journeys
    register_size, poll_size = BATCHES[name]

    first = await _track(connector, numbers)
    assert all(isinstance(first[n], TrackingResult) for n in numbers), first
    assert all(state.registered[n] == 1 for n in numbers)
    assert state.calls["register"] == math.ceil(90 / register_size)
    # A first check polls after registering, except AfterShip and Ship24: their create (and
    # Ship24's track) answers with the tracking.
    first_polls = 0 if name in ("aftership", "ship24") else math.ceil(90 / poll_size)
    assert state.calls["poll"] == first_polls

    again = await _track(connector, numbers)
    assert {n: len(r.events) for n, r in again.items()} == {
        n: len(r.events) for n, r in first.items()
    }
    assert state.calls["register"] == math.ceil(90 / register_size), "registered once"
    assert state.calls["poll"] == first_polls + math.ceil(90 / poll_size)
    # The budgets count what the provider bills: each number registered, each call.
    assert connector.budget.spent["registration"] == 90
    assert connector.budget.spent["call"] == state.calls["register"] + state.calls["poll"]


@pytest.mark.parametrize("name", UPSTREAMS)
async def test_a_number_the_provider_already_tracks_is_not_created_again(running, session, name):
    connector = _connector(running, name, session)
    state = running[name].app[UPSTREAM_FAKE]
    known, new = usps_number(6), usps_number(6)
    existing, _ = state.register(known, "usps")  # e.g. registered before a restart

    outcomes = await _track(connector, [known, new])
    assert isinstance(outcomes[known], TrackingResult)
    assert isinstance(outcomes[new], TrackingResult)
    assert state.registered[known] == 1
    assert state.registered[new] == 1
    registrations = connector.book.known  # the MemoryBook of a connector on its own
    if name != "track17":  # 17TRACK has no id for a registration: the number is the key
        assert registrations[(known, "us-post")].upstream_id == existing.id
        assert registrations[(new, "us-post")].upstream_id == state.find(new).id


@pytest.mark.parametrize("name", UPSTREAMS)
async def test_an_unchanged_answer_is_not_read_again(running, session, clock, name):
    connector = _connector(running, name, session)
    journeys = running[name].app[UPSTREAM_FAKE].source
    numbers = [usps_number(8) for _ in range(3)]  # REDELIVERY: ~60 hours of scans
    for number in numbers:
        journeys(number)  # the fake starts playing them now
    first = await _track(connector, numbers)
    assert connector.answers.hits == 0

    again = await _track(connector, numbers)
    assert connector.answers.hits == 3
    assert all(again[n] is first[n] for n in numbers), "the same reading, not a new one"

    clock.advance(hours=30)  # new scans: every answer changed and is read again
    later = await _track(connector, numbers)
    assert connector.answers.hits == 3
    assert all(len(later[n].events) > len(first[n].events) for n in numbers)


async def test_aftership_asks_alone_for_a_number_its_list_does_not_return(running, session):
    connector = _connector(running, "aftership", session)
    state = running["aftership"].app[UPSTREAM_FAKE]
    kept, dropped = usps_number(6), usps_number(6)
    await _track(connector, [kept, dropped])
    state.stop(state.find(dropped))  # AfterShip no longer tracks it (deleted in its admin)

    polls = state.calls["poll"]
    outcomes = await _track(connector, [kept, dropped])
    assert isinstance(outcomes[kept], TrackingResult)
    assert isinstance(outcomes[dropped], TrackingNumberNotFound)
    assert state.calls["poll"] == polls + 2, "one list call, then the missing number alone"


@pytest.mark.parametrize(
    ("name", "path", "limit"),
    [
        ("aftership", "GET /tracking/2025-01/trackings", 50),
        ("trackingmore", "POST /v4/trackings/batch", 40),
        ("trackingmore", "GET /v4/trackings/get", 40),
        ("ship24", "POST /public/v1/trackers/bulk", 100),
        ("track17", "POST /track/v2.2/register", 40),
    ],
)
async def test_the_fakes_refuse_more_than_the_documented_batch(running, session, name, path, limit):
    method, _, route = path.partition(" ")
    numbers = [usps_number(6) for _ in range(limit + 1)]
    headers = {
        "ship24": {"Authorization": f"Bearer {FAKE_API_KEY}"},
        "track17": {"17token": FAKE_API_KEY},
        "aftership": {"as-api-key": FAKE_API_KEY},
        "trackingmore": {"Tracking-Api-Key": FAKE_API_KEY},
    }[name]
    body: Any = {
        "ship24": [{"trackingNumber": n} for n in numbers],
        "track17": [{"number": n} for n in numbers],
        "trackingmore": [{"tracking_number": n, "courier_code": "usps"} for n in numbers],
    }.get(name)
    params = {"tracking_numbers": ",".join(numbers)} if method == "GET" else None
    url = running[name].url + route
    async with session.request(method, url, json=body, params=params, headers=headers) as answer:
        decoded = await answer.json(content_type=None)
    refused = answer.status == 400 or (name == "track17" and decoded["code"] == -18010014)
    assert refused, (answer.status, decoded)
    assert not running[name].app[UPSTREAM_FAKE].registered, "nothing registered"


@pytest.mark.parametrize("name", ["aftership", "track17"])
async def test_a_recheck_looks_registrations_up_without_writing(running, session, db, name):
    connector = _connector(running, name, session)
    connector.book = DatabaseBook(db)
    numbers = [usps_number(6) for _ in range(5)]
    await _track(connector, numbers)  # registers them: claims and outcomes are written

    writes = 0
    write = db.write

    def counting_write(*args: Any, **kwargs: Any) -> Any:
        nonlocal writes
        writes += 1
        return write(*args, **kwargs)

    db.write = counting_write  # type: ignore[method-assign]
    started = dt.datetime.now(dt.UTC)
    outcomes = await _track(connector, numbers)
    assert all(isinstance(outcomes[n], TrackingResult) for n in numbers)
    assert writes == 0, "a re-check of registered numbers writes nothing"
    assert dt.datetime.now(dt.UTC) - started < dt.timedelta(seconds=10)

    fresh = usps_number(6)
    outcomes = await _track(connector, [*numbers, fresh])
    assert isinstance(outcomes[fresh], TrackingResult)
    assert writes == 2, "a new number: its claim, then the provider's answer"
