"""What a stored push leaves behind, for each upstream on SQLite and PostgreSQL: its
``source_callbacks`` row counting the events it stored, each follower's source outcome
(found, pushed) and touch (``has_data``, ``last_event_at``), and nothing more for a push that
brings no new event."""

from __future__ import annotations

import asyncio
from operator import itemgetter

from sqlalchemy import delete, select

from shiptrack.app import services_of
from shiptrack.couriers.connectors.aggregator_fake import deliver, signed
from shiptrack.db.source_tables import source_callbacks, tracker_source_outcomes
from shiptrack.db.tables import events

from .test_upstream_e2e import _count, _events, _followed, _row


async def _callback_rows(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async with services_of(app).db.read() as conn:
        rows = await conn.execute(select(source_callbacks.c.key, source_callbacks.c.events))
        return {row.key: row.events for row in rows}


async def _pushed_outcomes(app, tracker_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    query = select(tracker_source_outcomes.c.outcome).where(
        tracker_source_outcomes.c.tracker_id == tracker_id,
        tracker_source_outcomes.c.detail == "pushed",
    )
    async with services_of(app).db.read() as conn:
        return [row.outcome for row in await conn.execute(query)]


async def test_a_push_records_its_events_outcomes_and_touch(
    app, client, provider, clock, journeys, callback_base
):
    rows = await _followed(app, client, clock, journeys, 3)
    numbers = [row.tracking_number for row in rows]
    trackers = [row.id for row in rows]
    polled = [row.last_event_at for row in rows]
    clock.advance(days=4)
    target = f"{callback_base}/v1/sources/{provider.name}/callback"
    known = await _callback_rows(app)
    answers = await asyncio.gather(*(deliver(target, *signed(provider.app, [n])) for n in numbers))
    assert all(status == 200 for status, _ in answers), answers
    counts = [a["data"]["events"] for _, a in answers]
    assert all(not a["data"]["duplicate"] for _, a in answers)
    assert all(c > 0 for c in counts)
    rows = await _callback_rows(app)
    added = {k: v for k, v in rows.items() if k not in known}
    assert sorted(added.values()) == sorted(counts)
    for tracker, last_event_at in zip(trackers, polled, strict=True):
        row = await _row(app, tracker)
        assert row.has_data
        assert row.last_event_at > last_event_at
        assert await _pushed_outcomes(app, tracker) == ["found"]

    # The providers' next pushes with nothing new: no event, a count of 0 (or a duplicate),
    # the trackers' last event time left as it was.
    stored = await _count(app, events)
    before = await _callback_rows(app)
    touched = [(await _row(app, tracker)).last_event_at for tracker in trackers]
    clock.advance(minutes=1)
    again = await asyncio.gather(*(deliver(target, *signed(provider.app, [n])) for n in numbers))
    assert all(status == 200 for status, _ in again), again
    assert all(a["data"]["duplicate"] or a["data"]["events"] == 0 for _, a in again)
    assert await _count(app, events) == stored
    after = await _callback_rows(app)
    new = {k: v for k, v in after.items() if k not in before}
    assert len(new) == sum(not a["data"]["duplicate"] for _, a in again)
    assert set(new.values()) <= {0}
    assert {k: after[k] for k in before} == before
    assert [(await _row(app, tracker)).last_event_at for tracker in trackers] == touched


async def test_an_update_brings_back_a_missed_older_checkpoint_once(
    app, client, provider, clock, journeys, callback_base
):
    """An update repeats the provider's whole history: a checkpoint older than the stored
    timeline's newest that shiptrack never stored (here: deleted) is stored once more, with
    the next sequence, in its place in time; a redelivery of that update stores nothing."""
    (row,) = await _followed(app, client, clock, journeys, 1)
    target = f"{callback_base}/v1/sources/{provider.name}/callback"
    clock.advance(days=1)
    first_status, _ = await deliver(target, *signed(provider.app, [row.tracking_number]))
    assert first_status == 200
    before = await _events(client, row.id)  # oldest first
    assert len(before) >= 3
    lost = before[1]
    async with services_of(app).db.write() as conn:
        await conn.execute(delete(events).where(events.c.id == lost["eventId"]))
    clock.advance(days=1)  # the next update brings new scans too
    body = signed(provider.app, [row.tracking_number])
    status, answer = await deliver(target, *body)
    assert status == 200, answer
    after = await _events(client, row.id)
    key = itemgetter("occurrenceDatetime", "status", "location")
    back = [e for e in after if key(e) == key(lost)]
    assert len(back) == 1, (answer, before, after)
    assert back[0]["eventId"] != lost["eventId"], (answer, before, after)
    assert back[0]["sequence"] > max(e["sequence"] for e in before)
    assert {key(e) for e in before} <= {key(e) for e in after}
    assert len({key(e) for e in after}) == len(after) == await _count(app, events)
    assert answer["data"]["events"] == len(after) - len(before) + 1
    times = [e["occurrenceDatetime"] for e in after]
    assert times == sorted(times)

    again_status, again = await deliver(target, *body)
    assert again_status == 200
    assert again["data"]["duplicate"] is True
    assert await _events(client, row.id) == after
