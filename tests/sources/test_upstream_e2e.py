"""Each upstream end to end, on SQLite and PostgreSQL (see conftest.py): registration shared
by two accounts, updates by polling and by push, duplicate and forged callbacks, and the stop
when the last tracker lets go."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import REGISTRY
from sqlalchemy import func, select

from shiptrack.app import services_of
from shiptrack.couriers.connectors.aggregator_fake import deliver, signed
from shiptrack.couriers.connectors.fakesource import ordered_events
from shiptrack.couriers.connectors.protocol import TrackingHints, TrackingResult
from shiptrack.db.tables import events, tracker_schedule, trackers
from shiptrack.sources.registrations import DatabaseBook
from shiptrack.sources.tables import source_callbacks, upstream_registrations

from .conftest import usps_number

#: Ship24 codes each provider's vocabulary cannot say (its fake sends a generic scan).
INEXPRESSIBLE = {
    "ship24": set(),
    "track17": {"data_delivery_proposed", "data_delivery_decided", "customs_rejected"},
    "aftership": {
        "data_delivery_proposed",
        "data_order_cancelled",
        "transit_origin_country_departure",
        "customs_rejected",
        "exception_discarded",
    },
    "trackingmore": {
        "data_delivery_proposed",
        "data_delivery_decided",
        "transit_handover",
        "customs_received",
        "customs_rejected",
        "exception_discarded",
    },
}


async def _wait_for(predicate: Callable[[], Awaitable[Any]], seconds: float = 10.0) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        result = await predicate()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"condition not met within {seconds} s")


async def _create(client: Any, number: str) -> str:
    body = {"trackingNumber": number, "courierCode": ["us-post"]}
    response = await client.post("/trackers", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["tracker"]["trackerId"])


async def _row(app: Any, tracker_id: str) -> Any:
    async with services_of(app).db.read() as conn:
        return (
            await conn.execute(
                select(trackers, tracker_schedule)
                .join(tracker_schedule, tracker_schedule.c.tracker_id == trackers.c.id)
                .where(trackers.c.id == tracker_id)
            )
        ).one()


async def _checked(app: Any, tracker_id: str) -> Any:
    async def done() -> Any:
        row = await _row(app, tracker_id)
        return row if row.check_count > 0 else None

    return await _wait_for(done)


async def _followed(app: Any, client: Any, clock: Any, journeys: Any, count: int) -> list[Any]:
    """``count`` new trackers of fake USPS numbers (REDELIVERY journeys starting now), each
    checked once by the engine: their rows."""
    created = []
    for _ in range(count):
        number = usps_number(8)
        journeys.start(number, clock.now)
        created.append(await _create(client, number))
    return [await _checked(app, tracker) for tracker in created]


async def _events(client: Any, tracker_id: str) -> list[dict[str, Any]]:
    body = (await client.get(f"/trackers/{tracker_id}/results")).json()
    return list(reversed(body["data"]["trackings"][0]["events"]))  # oldest first


async def _registrations(app: Any) -> list[Any]:
    async with services_of(app).db.read() as conn:
        return list((await conn.execute(select(upstream_registrations))).all())


async def _count(app: Any, table: Any) -> int:
    async with services_of(app).db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


def _expected_codes(upstream: str, codes: list[str | None]) -> list[str | None]:
    lost = INEXPRESSIBLE[upstream]
    return [None if code in lost else code for code in codes]


async def test_register_once_poll_push_and_stop(
    app, client, other_client, provider, clock, journeys, callback_base
):
    number = usps_number(8)  # SBX_REDELIVERY: plays out over ~60 hours
    journeys.start(number, clock.now)
    first = await _create(client, number)
    second = await _create(other_client, number)
    await _checked(app, first)
    await _checked(app, second)

    # One registration upstream for two accounts, one row here.
    assert provider.state.registered[number] == 1
    assert provider.state.calls["register"] == 1
    (registration,) = await _registrations(app)
    assert (registration.source, registration.tracking_number) == (provider.name, number)
    assert registration.state == "registered"

    polled = await _events(client, first)
    assert polled, "the first poll found the journey's first events"
    assert {e["sourceCode"] for e in polled} == {_source(provider.name)}

    # Time passes; the provider pushes the rest. Nothing is polled for it.
    clock.advance(days=4)
    before = (await _row(app, first)).next_check_at
    polls = provider.state.calls["poll"]
    headers, body = signed(provider.app, [number])
    callback = f"{callback_base}/public/v1/sources/{provider.name}/callback"
    status, answer = await deliver(callback, headers, body)
    assert status == 200, answer
    assert answer["data"]["duplicate"] is False
    assert answer["data"]["trackers"] == 2
    assert answer["data"]["events"] > 0
    full = await _events(client, first)
    assert len(full) > len(polled)
    others = await _events(other_client, second)
    assert [e["statusCode"] for e in others] == [e["statusCode"] for e in full]
    expected = provider.state.source(number)  # the journey as the provider tells it now
    assert isinstance(expected, TrackingResult)
    wanted = _expected_codes(
        provider.name, [e.status_code for e in ordered_events(expected.events)]
    )
    assert [e["statusCode"] for e in full] == wanted
    assert all(e["status"] for e in full), "the provider's text is kept on every event"
    row = await _row(app, first)
    assert row.next_check_at == before, "a push wakes no poll"
    assert provider.state.calls["poll"] == polls

    # The same callback again: stored once.
    stored = await _count(app, events)
    status, answer = await deliver(callback, headers, body)
    assert status == 200
    assert answer["data"]["duplicate"] is True
    assert await _count(app, events) == stored

    # A forged callback: refused in the error envelope, nothing stored.
    callbacks = await _count(app, source_callbacks)
    forged_headers, forged_body = _forged(provider.name, headers, body)
    status, answer = await deliver(callback, forged_headers, forged_body)
    assert status == 401
    assert answer["data"] is None
    assert answer["errors"][0]["code"] == "invalid_signature"
    assert await _count(app, source_callbacks) == callbacks
    assert await _count(app, events) == stored

    # Unsubscribing one tracker keeps the registration; the last one stops it.
    response = await client.patch(f"/trackers/{first}", json={"isSubscribed": False})
    assert response.status_code == 200, response.text
    assert await services_of(app).sources.sweep() == 0
    assert provider.state.stopped[number] == 0
    response = await other_client.patch(f"/trackers/{second}", json={"isSubscribed": False})
    assert response.status_code == 200, response.text
    assert await services_of(app).sources.sweep() == 1
    assert provider.state.stopped[number] == 1
    (registration,) = await _registrations(app)
    assert registration.state == "stopped"
    assert await services_of(app).sources.sweep() == 0  # stopped once
    assert _metric("shiptrack_upstream_registrations_total", provider.name, "stopped") >= 1
    assert _metric("shiptrack_source_callbacks_total", provider.name, "duplicate") >= 1
    assert _metric("shiptrack_source_callbacks_total", provider.name, "bad_signature") >= 1


def _metric(name: str, source: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(name, {"source": source, "outcome": outcome})
    return value or 0.0


def _source(name: str) -> str:
    return {"track17": "17track"}.get(name, name)


def _forged(name: str, headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
    """The same callback with a wrong signature, or a changed body under the old one."""
    if name == "ship24":
        return {**headers, "Authorization": "Bearer not-the-secret"}, body
    return headers, body.replace(b"{", b'{"forged":1,', 1)


async def _refresh(app: Any, tracker_id: str) -> Any:
    """Make the tracker due now, wake the engine, wait for that check."""
    before = (await _row(app, tracker_id)).check_count
    async with services_of(app).db.write() as conn:
        await conn.execute(
            tracker_schedule.update()
            .where(tracker_schedule.c.tracker_id == tracker_id)
            .values(next_check_at=dt.datetime.now(dt.UTC))
        )
    services_of(app).engine.wake()

    async def checked() -> Any:
        row = await _row(app, tracker_id)
        return row if row.check_count > before else None

    return await _wait_for(checked)


async def test_updates_by_polling_reuse_the_registration(app, client, provider, clock, journeys):
    number = usps_number(8)
    journeys.start(number, clock.now)
    tracker = await _create(client, number)
    await _checked(app, tracker)
    first = await _events(client, tracker)
    creates = provider.state.registered[number]

    clock.advance(days=4)
    await _refresh(app, tracker)

    later = await _events(client, tracker)
    assert len(later) > len(first)
    expected = provider.state.source(number)
    assert isinstance(expected, TrackingResult)
    wanted = _expected_codes(
        provider.name, [e.status_code for e in ordered_events(expected.events)]
    )
    assert [e["statusCode"] for e in later] == wanted
    assert [e["eventId"] for e in later[: len(first)]] == [e["eventId"] for e in first]
    assert provider.state.registered[number] == creates == 1, "polling registers nothing"
    # The first check polled too, but AfterShip's create and Ship24's track call answered it
    # with the tracking.
    assert provider.state.calls["poll"] >= (1 if provider.name in ("aftership", "ship24") else 2)


async def test_a_restarted_process_registers_nothing_again(app, client, provider, clock, journeys):
    number = usps_number(6)  # DELIVERED
    tracker = await _create(client, number)
    await _checked(app, tracker)
    assert provider.state.registered[number] == 1
    # A new process: a new connector and book, the same database.
    running = services_of(app).sources.upstreams[provider.name]
    fresh = type(running)(running._settings, services_of(app).http)
    fresh.book = DatabaseBook(services_of(app).db)
    hints = {number: TrackingHints(courier_codes=("us-post",))}
    outcome = (await fresh.track([number], hints))[number]
    assert isinstance(outcome, TrackingResult)
    latest = max(outcome.events, key=lambda e: e.order or 0)
    assert latest.status_code == "delivery_delivered"
    assert provider.state.registered[number] == 1
    assert provider.state.calls["register"] == 1


async def test_an_unchanged_recheck_is_not_merged_again(app, client, provider, clock, journeys):
    """A re-check whose answer is byte for byte the last one (the connector's cached reading)
    is recorded without being merged again; one with news is merged as before."""
    number = usps_number(8)
    journeys.start(number, clock.now)
    tracker = await _create(client, number)
    await _checked(app, tracker)
    first = await _events(client, tracker)
    answers = services_of(app).engine.refresher.stored_answers
    # Ship24's first answer came from its track call, the re-checks' from results: the
    # first re-check may read new bytes; from the second on, nothing happened.
    await _refresh(app, tracker)
    skipped = answers.skipped
    checked = await _refresh(app, tracker)
    assert answers.skipped == skipped + 1
    assert checked.last_checked_at is not None
    assert await _events(client, tracker) == first

    clock.advance(days=4)
    await _refresh(app, tracker)
    assert answers.skipped == skipped + 1, "an answer with news is merged"
    later = await _events(client, tracker)
    assert len(later) > len(first)
    assert [e["eventId"] for e in later[: len(first)]] == [e["eventId"] for e in first]
