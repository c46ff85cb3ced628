"""Several `shiptrack worker` processes on PostgreSQL share the trackers exactly once, and a
worker killed mid-batch loses nothing: its trackers are taken over when the lease expires."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shiptrack.accounts import service as accounts
from shiptrack.db.engine import Database
from shiptrack.db.tables import tracker_schedule
from shiptrack.trackers import service
from shiptrack.trackers.validation import TrackerInput

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


async def _load(url: str, count: int) -> None:
    db = Database(url)
    try:
        account = (await accounts.create_account(db, "load")).account
        for start in range(0, count, 1000):
            items = [
                TrackerInput(
                    tracking_number=f"SHIP24_SAMPLE_PENDING_{n:03d}", client_tracker_id=f"c{n}"
                )
                for n in range(start, min(count, start + 1000))
            ]
            await service.create_many(db, account.id, items)  # type: ignore[arg-type]
    finally:
        await db.dispose()


async def _counts(url: str) -> tuple[int, int, int]:
    """(trackers checked at least once, checked more than once, max check count)."""
    db = Database(url)
    try:
        async with db.read() as conn:
            once = (
                await conn.execute(select(func.count()).where(tracker_schedule.c.check_count >= 1))
            ).scalar_one()
            more = (
                await conn.execute(select(func.count()).where(tracker_schedule.c.check_count > 1))
            ).scalar_one()
            top = (
                await conn.execute(select(func.max(tracker_schedule.c.check_count)))
            ).scalar_one()
        return int(once), int(more), int(top or 0)
    finally:
        await db.dispose()


def _worker(url: str, tmp_path: Path, name: str, **env: str) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "SHIPTRACK_DATABASE_URL": url,
        "SHIPTRACK_ENGINE_BATCH_SIZE": "100",
        "SHIPTRACK_ENGINE_IDLE_POLL_SECONDS": "0.2",
        **env,
    }
    with (tmp_path / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "shiptrack", "worker"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _wait(url: str, total: int, seconds: float) -> tuple[int, int, int]:
    deadline = time.monotonic() + seconds
    counts = asyncio.run(_counts(url))
    while counts[0] < total and time.monotonic() < deadline:
        time.sleep(0.5)
        counts = asyncio.run(_counts(url))
    return counts


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_workers_check_each_tracker_exactly_once(database_url, tmp_path):
    total = 10_000
    asyncio.run(_load(database_url, total))
    workers = [
        _worker(database_url, tmp_path, f"w{n}", SHIPTRACK_SANDBOX_LATENCY="0.05") for n in range(2)
    ]
    try:
        checked, twice, top = _wait(database_url, total, 180)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    assert checked == total
    assert twice == 0, f"{twice} trackers were checked more than once (max {top})"
    logs = [(tmp_path / f"w{n}.log").read_text() for n in range(2)]
    assert all("engine stopped" in log for log in logs)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_killed_worker_loses_nothing(database_url, tmp_path):
    total = 1_000
    asyncio.run(_load(database_url, total))
    # A slow courier (2 s a call) keeps the first worker's batches in flight when it dies.
    slow = _worker(
        database_url,
        tmp_path,
        "slow",
        SHIPTRACK_SANDBOX_LATENCY="2",
        SHIPTRACK_ENGINE_LEASE_SECONDS="3",
    )

    async def leased() -> int:
        db = Database(database_url)
        try:
            async with db.read() as conn:
                return int(
                    (
                        await conn.execute(
                            select(func.count()).where(tracker_schedule.c.lease_owner.is_not(None))
                        )
                    ).scalar_one()
                )
        finally:
            await db.dispose()

    deadline = time.monotonic() + 30
    while asyncio.run(leased()) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert asyncio.run(leased()) > 0
    slow.send_signal(signal.SIGKILL)
    slow.wait(10)
    held = asyncio.run(leased())
    assert held > 0
    rescuer = _worker(database_url, tmp_path, "rescuer", SHIPTRACK_ENGINE_LEASE_SECONDS="3")
    try:
        checked, twice, _ = _wait(database_url, total, 120)
    finally:
        rescuer.send_signal(signal.SIGTERM)
        rescuer.wait(30)
    assert checked == total
    assert twice == 0
