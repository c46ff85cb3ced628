"""The engine's hand-off (``tracking/updates.py``): one ``write`` of typed updates inside the
storing transaction, then ``after_commit`` once the events are committed."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from shiptrack.app import services_of
from shiptrack.db.tables import events, shipments, trackers
from shiptrack.tracking.updates import TrackingUpdate


@pytest.fixture
def settings_overrides():
    return {"engine_idle_poll_seconds": 0.05}


class RecordingSink:
    """Wraps the process's sink and records what it is told, and what was committed then."""

    def __init__(self, inner, db) -> None:
        self.inner, self.db = inner, db
        self.calls: list[tuple[str, object]] = []
        self.checks: list[asyncio.Task[int]] = []

    async def _committed_events(self) -> int:
        async with self.db.read() as conn:
            query = (
                select(func.count())
                .select_from(
                    events.join(shipments, events.c.shipment_id == shipments.c.id).join(
                        trackers, trackers.c.shipment_id == shipments.c.id
                    )
                )
                .where(trackers.c.id.in_(self.tracker_ids))
            )
            return int((await conn.execute(query)).scalar_one())

    async def write(self, conn, updates):
        self.tracker_ids = [u.tracker_id for u in updates]
        self.calls.append(("write", list(updates)))
        self.calls.append(("committed at write", await self._committed_events()))
        await self.inner.write(conn, updates)
        return len(updates)  # this sink keeps every update: it wants after_commit

    def after_commit(self) -> None:
        self.calls.append(("after_commit", None))
        self.checks.append(asyncio.get_running_loop().create_task(self._committed_events()))
        self.inner.after_commit()

    async def unsubscribed(self, conn, tracker_id, now):
        return await self.inner.unsubscribed(conn, tracker_id, now)


async def test_updates_are_written_in_the_transaction_and_announced_after_commit(client, app):
    refresher = services_of(app).engine.refresher
    sink = RecordingSink(refresher.sink, services_of(app).db)
    refresher.sink = sink
    created = await client.post("/trackers", json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_001"})
    tracker_id = created.json()["data"]["tracker"]["trackerId"]
    services_of(app).engine.wake()
    for _ in range(400):
        if any(kind == "after_commit" for kind, _ in sink.calls):
            break
        await asyncio.sleep(0.05)
    kinds = [kind for kind, _ in sink.calls]
    assert kinds[:3] == ["write", "committed at write", "after_commit"], kinds
    updates = sink.calls[0][1]
    assert all(isinstance(u, TrackingUpdate) for u in updates)
    (update,) = [u for u in updates if u.tracker_id == tracker_id]
    assert update.tracking["tracker"]["trackerId"] == tracker_id
    sequences = [e["sequence"] for e in update.new_events]
    assert sequences
    assert sequences == sorted(sequences)
    # Inside the transaction nothing was visible yet; after the commit every event is.
    assert sink.calls[1][1] == 0
    assert await sink.checks[0] == len(update.new_events)
