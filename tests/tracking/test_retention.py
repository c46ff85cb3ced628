"""Retention: the engine deletes trackers whose tracking stopped long enough ago, with their
schedule, shipments and events, in batches; nothing when retention is off (the default)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from shiptrack.app import services_of
from shiptrack.clock import utcnow
from shiptrack.config import Settings
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.db.tables import events, shipments, tracker_schedule, trackers
from shiptrack.tracking import engine as engine_module
from shiptrack.tracking.engine import Engine


@pytest.fixture
def settings_overrides():
    return {"retention_stopped_tracker_days": 30, "engine_enabled": False}


async def _tracker_with_events(client, number: str) -> str:
    response = await client.post("/trackers/track", json={"trackingNumber": number})
    assert response.status_code == 201, response.text
    assert response.json()["data"]["trackings"][0]["events"]
    return response.json()["data"]["trackings"][0]["tracker"]["trackerId"]


async def _age(db, tracker_id: str, *, tracked: bool, updated_days: float, checked_days: float):
    now = utcnow()
    async with db.write() as conn:
        await conn.execute(
            update(trackers)
            .where(trackers.c.id == tracker_id)
            .values(is_tracked=tracked, updated_at=now - dt.timedelta(days=updated_days))
        )
        await conn.execute(
            update(tracker_schedule)
            .where(tracker_schedule.c.tracker_id == tracker_id)
            .values(last_checked_at=now - dt.timedelta(days=checked_days))
        )


async def _counts(db, tracker_id: str) -> tuple[int, int, int]:
    """(tracker and schedule rows, shipment rows, events) of a tracker."""
    async with db.read() as conn:
        shipment_id = select(trackers.c.shipment_id).where(trackers.c.id == tracker_id)
        found = (
            await conn.execute(select(func.count()).where(trackers.c.id == tracker_id))
        ).scalar_one()
        scheduled = (
            await conn.execute(
                select(func.count()).where(tracker_schedule.c.tracker_id == tracker_id)
            )
        ).scalar_one()
        assert scheduled == found, "a tracker and its schedule row go together"
        shipment = (
            await conn.execute(select(func.count()).where(shipments.c.tracker_id == tracker_id))
        ).scalar_one()
        event_count = (
            await conn.execute(select(func.count()).where(events.c.shipment_id.in_(shipment_id)))
        ).scalar_one()
    return found, shipment, event_count


async def test_stopped_trackers_past_retention_go_with_their_shipment_and_events(
    client, monkeypatch
):
    db = services_of(client.app).db
    expired = [
        await _tracker_with_events(client, f"SHIP24_SAMPLE_DELIVERED_{n:03d}") for n in range(5)
    ]
    recently_checked = await _tracker_with_events(client, "SHIP24_SAMPLE_IN_TRANSIT_001")
    still_tracked = await _tracker_with_events(client, "SHIP24_SAMPLE_IN_TRANSIT_002")
    for tracker_id in expired:
        await _age(db, tracker_id, tracked=False, updated_days=31, checked_days=31)
    await _age(db, recently_checked, tracked=False, updated_days=31, checked_days=29)
    await _age(db, still_tracked, tracked=True, updated_days=31, checked_days=31)
    expired_shipments = [await _counts(db, t) for t in expired]
    assert all(found == 1 and shipment == 1 and n > 0 for found, shipment, n in expired_shipments)

    # Off by default: the same database, an engine with default settings, deletes nothing.
    defaults = Settings(_env_file=None, database_url=db.url)  # type: ignore[call-arg]
    default = Engine(db, defaults, ConnectorSet([]))
    assert await default.apply_retention() == 0

    monkeypatch.setattr(engine_module, "RETENTION_BATCH", 2)  # 5 expired: three batches
    assert await services_of(client.app).engine.apply_retention() == 5
    for tracker_id in expired:
        assert await _counts(db, tracker_id) == (0, 0, 0)
        gone = await client.get(f"/trackers/{tracker_id}/results")
        assert gone.status_code == 404
    for tracker_id in (recently_checked, still_tracked):
        found, shipment, n = await _counts(db, tracker_id)
        assert (found, shipment) == (1, 1)
        assert n > 0
    assert await services_of(client.app).engine.apply_retention() == 0
