"""Sandbox trackers at speed: error backoff runs on the sandbox's time scale, and a number
that breaks the scenario grammar says why in a log line."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select

from shiptrack.app import services_of
from shiptrack.clock import utcnow
from shiptrack.config import Settings
from shiptrack.db.tables import tracker_schedule
from shiptrack.tracking import cadence


def test_backoff_is_scaled_but_a_couriers_retry_after_is_not():
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    clock = cadence.TrackerClock(now=utcnow(), created_at=utcnow(), last_event_at=None)

    def wait(**kwargs):
        decision = cadence.decide(settings, clock, "pending", **kwargs)
        return (decision.next_check_at - clock.now).total_seconds()

    assert wait(errors=1) == pytest.approx(60)
    assert wait(errors=3) == pytest.approx(240)
    assert wait(errors=1, time_scale=4320) == pytest.approx(60 / 4320, abs=1e-5)
    assert wait(errors=3, time_scale=4320) == pytest.approx(240 / 4320, abs=1e-5)
    # Retry-After is what the courier said, in real seconds.
    assert wait(errors=1, time_scale=4320, retry_after=30) == pytest.approx(30)


@pytest.fixture
def settings_overrides():
    return {"sandbox_time_scale": 4320, "engine_enabled": False}


async def _next_check_in(db, tracker_id: str) -> float:
    async with db.read() as conn:
        row = (
            await conn.execute(
                select(tracker_schedule.c.next_check_at).where(
                    tracker_schedule.c.tracker_id == tracker_id
                )
            )
        ).one()
    return (row.next_check_at - utcnow()).total_seconds()


async def test_a_flaky_sandbox_courier_is_retried_at_the_sandbox_pace(client):
    created = await client.post("/trackers", json={"trackingNumber": "SBX-OC-1H-DL_TO3"})
    assert created.status_code == 201, created.text
    tracker_id = created.json()["data"]["tracker"]["trackerId"]
    engine = services_of(client.app).engine
    for _ in range(3):  # three scripted timeouts: backoff 60, 120, 240 s at scale 1
        assert await engine.run_once() == 1
        assert await _next_check_in(services_of(client.app).db, tracker_id) < 1.0
        async with services_of(client.app).db.write() as conn:  # due again at once
            await conn.execute(
                tracker_schedule.update()
                .where(tracker_schedule.c.tracker_id == tracker_id)
                .values(next_check_at=utcnow() - dt.timedelta(seconds=1))
            )
    assert await engine.run_once() == 1
    results = await client.get(f"/trackers/{tracker_id}/results")
    assert results.json()["data"]["trackings"][0]["events"]


async def test_a_number_breaking_the_grammar_says_why_in_a_log_line(client, caplog):
    created = await client.post("/trackers", json={"trackingNumber": "SBX-OC-ZZ"})
    assert created.status_code == 201, created.text
    caplog.set_level(logging.WARNING, logger="shiptrack.sandbox")
    assert await services_of(client.app).engine.run_once() == 1
    (record,) = [r for r in caplog.records if r.name == "shiptrack.sandbox"]
    assert record.getMessage() == "invalid sandbox number"
    assert record.tracking_number == "SBX-OC-ZZ"
    assert "ZZ" in record.reason
    # Once per tracker: later checks stay quiet.
    caplog.clear()
    async with services_of(client.app).db.write() as conn:
        await conn.execute(tracker_schedule.update().values(next_check_at=utcnow()))
    await services_of(client.app).engine.run_once()
    assert not [r for r in caplog.records if r.name == "shiptrack.sandbox"]
