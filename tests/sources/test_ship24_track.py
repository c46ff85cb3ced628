"""Ship24's first checks in one call: a new number is registered with ``POST /trackers/track``,
whose answer (the tracker and its results) is the first poll; a re-check reads results; a
number already registered is not created again; a track call Ship24 refuses (400
``tracker_conflict``) or fails (5xx) falls back to the bulk create; the operator's budgets still
stop and say so; push mode still waits. Against the fake Ship24 over real HTTP, the
registrations in the database (SQLite and PostgreSQL). And the fake's track call itself:
idempotent, the results' shape, its own documented limit, ``tracker_conflict``."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import aiohttp
import orjson
import pytest
from sqlalchemy import select

from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE
from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.protocol import (
    BudgetExhausted,
    TrackingHints,
    TrackingResult,
    WaitingForPush,
)
from shiptrack.couriers.connectors.ship24 import Ship24Connector, Ship24Settings
from shiptrack.couriers.connectors.ship24 import client as ship24_client
from shiptrack.couriers.connectors.ship24 import fake as ship24_fake
from shiptrack.couriers.fakes import CarrierJourneys
from shiptrack.couriers.fakes.aggregators import FAKE_API_KEY, aggregator_source
from shiptrack.sources.registrations import DatabaseBook
from shiptrack.sources.tables import upstream_registrations

from .conftest import TestClock, usps_number
from .test_batches import CountingBudget

HINTS = TrackingHints(courier_codes=("us-post",))
TRACK = "POST /public/v1/trackers/track"
BULK = "POST /public/v1/trackers/bulk"


def _start(limits: dict[str, float] | None = None):  # type: ignore[no-untyped-def]
    app = ship24_fake.create_app(
        aggregator_source(CarrierJourneys(clock=TestClock())),
        api_key=FAKE_API_KEY,
        webhook_secret="secret",
        limits=limits,
    )
    return app, serve(app)


def _connector(url: str, session: aiohttp.ClientSession, **settings: Any) -> Ship24Connector:
    own = Ship24Settings(_env_file=None, base_url=url, api_key=FAKE_API_KEY, **settings)
    connector = Ship24Connector(own, session)
    connector.budget = CountingBudget()
    return connector


def _sent(connector: Ship24Connector) -> list[str]:
    """Every request the connector sends, as ``METHOD path`` (a results read as
    ``GET results``)."""
    sent: list[str] = []
    origin = connector._http
    request = origin.request

    async def noted(method: str, target: str, **kwargs: Any) -> Any:
        path = target.split("?")[0]
        sent.append("GET results" if path.endswith("/results") else f"{method} {path}")
        return await request(method, target, **kwargs)

    origin.request = noted  # type: ignore[method-assign]
    return sent


async def _track(connector: Ship24Connector, numbers: list[str]) -> dict[str, Any]:
    return await connector.track(numbers, dict.fromkeys(numbers, HINTS))


async def _rows(db: Any) -> list[Any]:
    async with db.read() as conn:
        return list((await conn.execute(select(upstream_registrations))).all())


async def test_a_first_check_is_one_track_call_and_a_recheck_reads_results(db):
    app, served = _start()
    state = app[UPSTREAM_FAKE]
    numbers = [usps_number(6) for _ in range(5)]  # DELIVERED journeys
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(url, session)
        connector.book = DatabaseBook(db)
        sent = _sent(connector)

        first = await _track(connector, numbers)
        assert all(isinstance(first[n], TrackingResult) and first[n].events for n in numbers)
        assert sent == [TRACK] * 5, "one call per number: no results read"
        assert ship24_client._ANSWERED.get() is None, "the answers kept for the poll are gone"
        rows = {r.tracking_number: r for r in await _rows(db)}
        assert {n: rows[n].upstream_id for n in numbers} == {
            n: state.find(n).id
            for n in numbers  # type: ignore[union-attr]
        }
        assert all(rows[n].state == "registered" for n in numbers)

        again = await _track(connector, numbers)
    assert sent[5:] == ["GET results"] * 5, "a re-check reads results"
    assert {n: len(r.events) for n, r in again.items()} == {
        n: len(r.events) for n, r in first.items()
    }
    assert all(state.registered[n] == 1 for n in numbers)
    # What Ship24 bills: each number once; each call once.
    assert connector.budget.spent == Counter(registration=5, call=10)  # type: ignore[attr-defined]


async def test_a_number_registered_by_another_process_is_polled_not_tracked(db):
    """Two processes (or two accounts' trackers) on one number: one registration, one track
    call; the other reads results."""
    app, served = _start()
    state = app[UPSTREAM_FAKE]
    number = usps_number(6)
    async with served as url, aiohttp.ClientSession() as session:
        one, other = _connector(url, session), _connector(url, session)
        one.book, other.book = DatabaseBook(db), DatabaseBook(db)
        sent_one, sent_other = _sent(one), _sent(other)
        first = await _track(one, [number, number])
        second = await _track(other, [number])
    assert isinstance(first[number], TrackingResult)
    assert isinstance(second[number], TrackingResult)
    assert sent_one == [TRACK]
    assert sent_other == ["GET results"]
    assert state.registered[number] == 1
    assert len(await _rows(db)) == 1


async def test_a_tracker_conflict_falls_back_to_the_bulk_create(db):
    """A tracker of that number exists with the courier list ["us-post", "ups"] (made by
    another client of the key): Ship24's track call refuses ["us-post"] as a conflict; the
    bulk create finds the existing tracker, as before this call was used."""
    app, served = _start()
    state = app[UPSTREAM_FAKE]
    number = usps_number(6)
    existing, _ = state.register(number, "us-post")
    existing.codes = ("us-post", "ups")
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(url, session)
        connector.book = DatabaseBook(db)
        sent = _sent(connector)
        outcomes = await _track(connector, [number])
    assert isinstance(outcomes[number], TrackingResult)
    assert sent == [TRACK, BULK, "GET results"]
    assert state.registered[number] == 1, "nothing created again"
    (row,) = await _rows(db)
    assert (row.state, row.upstream_id) == ("registered", existing.id)
    assert connector.budget.spent["registration"] == 1, "counted once"  # type: ignore[attr-defined]


async def test_a_failed_track_call_falls_back_to_the_bulk_create():
    app, served = _start()
    state = app[UPSTREAM_FAKE]
    number = usps_number(6)
    state.faults.set(status=500, times=1)
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(url, session)
        sent = _sent(connector)
        outcomes = await _track(connector, [number])
    assert isinstance(outcomes[number], TrackingResult)
    assert sent == [TRACK, BULK, "GET results"]
    assert state.registered[number] == 1


async def test_a_track_call_still_throttled_falls_back_to_the_bulk_create():
    """Another client of the key spends the track limit: after its retries the number is
    registered by the bulk create (a limit of its own) and read by results."""
    app, served = _start()
    state = app[UPSTREAM_FAKE]
    number = usps_number(6)
    state.faults.set(status=429, retry_after="0", times=4)  # the first try and 3 retries
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(url, session)
        sent = _sent(connector)
        outcomes = await _track(connector, [number])
    assert isinstance(outcomes[number], TrackingResult)
    assert sent == [TRACK] * 4 + [BULK, "GET results"]
    assert state.registered[number] == 1


class NoCalls:
    """The operator's calls budget, spent."""

    async def spend(self, kind: str, count: int = 1) -> tuple[int, BudgetExhausted | None]:
        if kind == "call":
            return 0, BudgetExhausted("calls_minute spent", budget="calls_minute")
        return count, None


async def test_a_spent_budget_is_reported_not_sent(db):
    app, served = _start()
    number = usps_number(6)
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(url, session)
        connector.book = DatabaseBook(db)
        connector.budget = NoCalls()
        sent = _sent(connector)
        outcomes = await _track(connector, [number])
    assert isinstance(outcomes[number], BudgetExhausted)
    assert outcomes[number].budget == "calls_minute"
    assert sent == [], "no call sent, no fallback"
    (row,) = await _rows(db)
    assert row.state == "deferred"
    assert app[UPSTREAM_FAKE].registered[number] == 0


async def test_push_mode_waits_for_the_push_when_the_track_call_has_no_events():
    _app, served = _start()
    number = "ZZ000000001XX"  # no journey: Ship24 has the tracker, no events yet
    async with served as url, aiohttp.ClientSession() as session:
        connector = _connector(url, session, webhook_secret="secret")
        sent = _sent(connector)
        outcomes = await _track(connector, [number])
    assert isinstance(outcomes[number], WaitingForPush), outcomes
    assert sent == [TRACK]


# --- the fake's track call -------------------------------------------------------------------


async def _post(session: aiohttp.ClientSession, url: str, body: object) -> tuple[int, Any, Any]:
    async with session.post(
        f"{url}/public/v1/trackers/track",
        data=orjson.dumps(body),
        headers={"Authorization": f"Bearer {FAKE_API_KEY}", "Content-Type": "application/json"},
    ) as response:
        raw = await response.read()
        try:
            decoded = orjson.loads(raw)
        except orjson.JSONDecodeError:
            decoded = raw
        return response.status, decoded, response.headers


async def test_the_fake_track_call_is_idempotent_and_answers_the_results_shape():
    app, served = _start()
    state = app[UPSTREAM_FAKE]
    number = usps_number(6)
    async with served as url, aiohttp.ClientSession() as session:
        status, body, _ = await _post(
            session, url, {"trackingNumber": number, "courierCode": ["us-post"]}
        )
        again_status, again, _ = await _post(
            session, url, {"trackingNumber": number, "courierCode": ["us-post"]}
        )
        tracker_id = body["data"]["trackings"][0]["tracker"]["trackerId"]
        async with session.get(
            f"{url}/public/v1/trackers/{tracker_id}/results",
            headers={"Authorization": f"Bearer {FAKE_API_KEY}"},
        ) as response:
            results = orjson.loads(await response.read())
        invalid, error, _ = await _post(session, url, {"trackingNumber": "X"})
    assert (status, again_status) == (201, 201)
    assert again == body, "the same tracker, the same results"
    assert state.registered[number] == 1
    assert body == results, "the same shape as results answer"
    (tracking,) = body["data"]["trackings"]
    assert set(tracking) == {"tracker", "shipment", "events"}
    assert tracking["events"], "the journey's events, newest first"
    assert invalid == 400
    assert error["errors"][0]["code"] == "validation_error"


async def test_the_fake_track_call_refuses_an_overlapping_courier_list():
    app, served = _start()
    number = usps_number(6)
    async with served as url, aiohttp.ClientSession() as session:
        created, _, _ = await _post(
            session, url, {"trackingNumber": number, "courierCode": ["us-post", "ups"]}
        )
        overlap, error, _ = await _post(
            session, url, {"trackingNumber": number, "courierCode": ["us-post"]}
        )
        same, body, _ = await _post(
            session, url, {"trackingNumber": number, "courierCode": ["ups", "us-post"]}
        )
    assert created == 201
    assert overlap == 400
    assert error["errors"][0]["code"] == "tracker_conflict"
    assert same == 201, "the same list in another order is the same tracker"
    assert body["data"]["trackings"][0]["tracker"]["courierCode"] == ["us-post", "ups"]
    assert app[UPSTREAM_FAKE].registered[number] == 1


async def test_the_fake_track_call_keeps_its_own_documented_limit():
    app, served = _start()  # Ship24's documented limits: track 10 a second
    state = app[UPSTREAM_FAKE]
    async with served as url, aiohttp.ClientSession() as session:
        while time.time() % 1 > 0.5:  # all within one window
            await asyncio.sleep(0.05)
        answers = [await _post(session, url, {"trackingNumber": usps_number(6)}) for _ in range(12)]
    statuses = [a[0] for a in answers]
    assert statuses.count(201) == 10
    assert statuses.count(429) == 2
    refused = next(a for a in answers if a[0] == 429)
    assert refused[1] == b"Too many requests, please try again later."
    assert refused[2]["Retry-After"]
    assert refused[2]["X-RateLimit-Limit"] == "10"
    assert state.rates.refused == {"track": 2}


@pytest.mark.parametrize("limits", [None, {"track": 20.0}])
def test_the_track_endpoint_is_paced_and_configurable(limits, monkeypatch):
    if limits is not None:
        monkeypatch.setenv("SHIPTRACK_SHIP24_RATE_LIMITS", orjson.dumps(limits).decode())
    settings = Ship24Settings(_env_file=None, api_key=FAKE_API_KEY)
    assert settings.endpoint_limits()["track"] == (20.0 if limits else 10.0)
    assert Ship24Settings.documented_limits["track"] == 10.0
