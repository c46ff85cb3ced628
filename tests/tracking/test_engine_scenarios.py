"""Engine behaviour with scripted sandbox journeys: time scale, faults, duplicates, stopping."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest
from sqlalchemy import select

from shiptrack.app import services_of
from shiptrack.db.tables import events, tracker_schedule, trackers

# Three simulated days in ~2 real seconds; the delivered grace period (24 h) in 0.1 s.
SCALE = 130_000.0


@pytest.fixture
def settings_overrides():
    return {"sandbox_time_scale": SCALE, "engine_idle_poll_seconds": 0.05}


async def _results(client, tracker_id):
    body = (await client.get(f"/trackers/{tracker_id}/results")).json()
    return body["data"]["trackings"][0]


async def _wait_for(predicate, seconds=20.0):
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        result = await predicate()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_a_multi_day_journey_plays_out_and_tracking_stops(client):
    number = "SBX-OC-8H-HO-16H-SC-1D-SC-18H-OF-6H-DL"
    created = (await client.post("/trackers", json={"trackingNumber": number})).json()
    tracker_id = created["data"]["tracker"]["trackerId"]
    seen_milestones = []

    async def stopped():
        tracking = await _results(client, tracker_id)
        milestone = tracking["shipment"]["statusMilestone"]
        if not seen_milestones or seen_milestones[-1] != milestone:
            seen_milestones.append(milestone)
        return not tracking["tracker"]["isTracked"] and tracking

    tracking = await _wait_for(stopped)
    assert tracking["shipment"]["statusMilestone"] == "delivered"
    assert len(tracking["events"]) == 6
    # Events arrived over several checks, not all at once.
    assert len(seen_milestones) >= 2, seen_milestones
    assert [e["sequence"] for e in reversed(tracking["events"])] == [1, 2, 3, 4, 5, 6]


async def test_duplicates_and_out_of_order_are_stored_once_in_order(client, app):
    number = "SBX-OC-HO.D-SC-SC.L1D-OF-DL_DUP_SHUF"
    response = await client.post("/trackers/track", json={"trackingNumber": number})
    tracker_id = response.json()["data"]["trackings"][0]["tracker"]["trackerId"]

    async def complete():
        tracking = await _results(client, tracker_id)
        return tracking if len(tracking["events"]) >= 6 else None

    # The late scan is reported a simulated day after it happened, after the delivery.
    await _wait_for(complete)
    await asyncio.sleep(0.5)  # more checks re-deliver everything: nothing new is stored
    tracking = await _results(client, tracker_id)
    assert tracking["shipment"]["statusMilestone"] == "delivered"
    assert len(tracking["events"]) == 6
    times = [e["occurrenceDatetime"] for e in reversed(tracking["events"])]
    assert times == sorted(times)
    async with services_of(app).db.read() as conn:
        stored = (await conn.execute(select(events.c.fingerprint))).all()
    assert len(stored) == len({r.fingerprint for r in stored}) == 6


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ("TO", "SandboxTimeout"),
        ("SE", "CourierUnavailable"),
        ("RL1R30", "CourierRateLimited"),
        ("BAD", "CourierResponseInvalid"),
        ("NF2", None),
    ],
)
async def test_courier_faults_are_retried_without_losing_events(client, app, options, error):
    number = f"SBX-OC-HO-OF-DL_{options}"
    created = (await client.post("/trackers", json={"trackingNumber": number})).json()
    tracker_id = created["data"]["tracker"]["trackerId"]
    # Another tracker on a healthy journey is not held up by the faulty one.
    healthy = (await client.post("/trackers", json={"trackingNumber": "SBX-OC-HO-DL"})).json()

    async def found(tid):
        tracking = await _results(client, tid)
        return tracking if tracking["shipment"]["statusMilestone"] == "delivered" else None

    assert await _wait_for(lambda: found(healthy["data"]["tracker"]["trackerId"]), 5)
    async with services_of(app).db.read() as conn:
        row = (
            await conn.execute(
                select(trackers, tracker_schedule)
                .join(tracker_schedule, tracker_schedule.c.tracker_id == trackers.c.id)
                .where(trackers.c.id == tracker_id)
            )
        ).one()
    if error and row.check_count == 1:
        # First check failed: backoff recorded, the tracker is scheduled again.
        assert row.error_count == 1
        assert row.is_tracked
        assert row.next_check_at > row.last_checked_at
        if options.startswith("RL"):
            waited = (row.next_check_at - row.last_checked_at).total_seconds()
            assert waited >= 29
        # Make it due now and let the engine retry.
        async with services_of(app).db.write() as conn:
            await conn.execute(
                tracker_schedule.update()
                .where(tracker_schedule.c.tracker_id == tracker_id)
                .values(next_check_at=dt.datetime.now(dt.UTC))
            )
        services_of(app).engine.wake()
    tracking = await _wait_for(lambda: found(tracker_id), 15)
    assert tracking["shipment"]["statusMilestone"] == "delivered"
    assert len(tracking["events"]) == 4


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_refresh_lines_failures_at_info_found_events_counted_per_batch(client):
    """Decision 25: a failed check keeps its own INFO line; a check that found events is a
    DEBUG line, counted in its batch's INFO ``refresh batch`` line."""
    engine_log = logging.getLogger("shiptrack.engine")
    handler, level = _Records(), engine_log.level
    engine_log.addHandler(handler)
    engine_log.setLevel(logging.DEBUG)
    try:
        faulty = (await client.post("/trackers", json={"trackingNumber": "SBX-OC-DL_SE"})).json()
        healthy = (await client.post("/trackers", json={"trackingNumber": "SBX-OC-HO-DL"})).json()
        faulty_id = faulty["data"]["tracker"]["trackerId"]
        healthy_id = healthy["data"]["tracker"]["trackerId"]

        async def both_logged():
            ids = {getattr(r, "tracker", None) for r in handler.records if r.msg == "refresh"}
            batches = [r for r in handler.records if r.msg == "refresh batch"]
            # The batch line follows the commit, after the per-tracker lines.
            counted = sum(r.with_news for r in batches) and sum(r.errors for r in batches)
            return {faulty_id, healthy_id} <= ids and counted

        await _wait_for(both_logged, 10)
    finally:
        engine_log.removeHandler(handler)
        engine_log.setLevel(level)
    lines = [r for r in handler.records if r.msg == "refresh"]
    failed = [r for r in lines if r.tracker == faulty_id]
    found = [r for r in lines if r.tracker == healthy_id]
    assert failed[0].levelno == logging.INFO
    assert failed[0].outcome == "error"
    assert failed[0].errors == "CourierUnavailable"
    assert found[0].levelno == logging.DEBUG
    assert found[0].outcome == "data"
    assert found[0].new_events >= 1
    batches = [r for r in handler.records if r.msg == "refresh batch"]
    assert all(r.levelno == logging.INFO for r in batches)
    assert sum(r.with_news for r in batches) >= 1
    assert sum(r.errors for r in batches) >= 1
    assert sum(r.new_events for r in batches) >= found[0].new_events
