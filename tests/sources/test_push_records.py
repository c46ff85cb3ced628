"""What a stored push leaves behind, for each upstream on SQLite and PostgreSQL: its
``source_callbacks`` row counting the events it stored, each follower's source outcome
(found, pushed) and touch (``has_data``, ``last_event_at``), and nothing more for a push that
brings no new event."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from shiptrack.app import services_of
from shiptrack.couriers.connectors.aggregator_fake import deliver, signed
from shiptrack.db.source_tables import source_callbacks, tracker_source_outcomes
from shiptrack.db.tables import events

from .test_upstream_e2e import _count, _followed, _row


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

    # The providers' next pushes with nothing new: no event, a count of 0 (or a duplicate).
    stored = await _count(app, events)
    before = await _callback_rows(app)
    again = await asyncio.gather(*(deliver(target, *signed(provider.app, [n])) for n in numbers))
    assert all(status == 200 for status, _ in again), again
    assert all(a["data"]["duplicate"] or a["data"]["events"] == 0 for _, a in again)
    assert await _count(app, events) == stored
    after = await _callback_rows(app)
    new = {k: v for k, v in after.items() if k not in before}
    assert len(new) == sum(not a["data"]["duplicate"] for _, a in again)
    assert set(new.values()) <= {0}
    assert {k: after[k] for k in before} == before
