"""Push callbacks arriving together are stored together (``PushBatcher``), on SQLite and
PostgreSQL: each answered once, every event stored once, a callback delivered twice in the
same batch stored once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from shiptrack.app import services_of
from shiptrack.couriers.connectors.aggregator_fake import deliver, signed
from shiptrack.db.tables import events

from .test_upstream_e2e import _events, _followed


@pytest.fixture(params=["aftership"])
def upstream(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_concurrent_callbacks_are_each_stored_once(
    app, client, provider, clock, journeys, callback_base
):
    rows = await _followed(app, client, clock, journeys, 6)
    numbers = [row.tracking_number for row in rows]
    trackers = [row.id for row in rows]
    clock.advance(days=4)
    bodies = [signed(provider.app, [n]) for n in numbers]
    target = f"{callback_base}/v1/sources/{provider.name}/callback"
    # Every callback at once, the first one twice.
    answers = await asyncio.gather(*(deliver(target, h, b) for h, b in [bodies[0], *bodies]))
    assert all(status == 200 for status, _ in answers), answers
    duplicates = [a["data"]["duplicate"] for _, a in answers]
    assert duplicates.count(True) == 1
    stored = [a["data"] for _, a in answers if not a["data"]["duplicate"]]
    assert len(stored) == len(numbers)
    assert all(s["trackers"] == 1 and s["events"] > 0 for s in stored)
    async with services_of(app).db.read() as conn:
        count = (await conn.execute(select(func.count()).select_from(events))).scalar_one()
    timelines = [await _events(client, t) for t in trackers]
    assert count == sum(len(t) for t in timelines)
    for timeline in timelines:
        ids = [e["eventId"] for e in timeline]
        assert len(ids) == len(set(ids))
