"""``kill -9`` of the process holding unsent messages, then a restart: every message arrives."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from webhook_helpers import fast_settings, new_account, new_journey, set_endpoint

from shiptrack.db.webhook_tables import webhook_messages

pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).with_name("dispatcher_process.py")


async def _start(database_url: str, owner: str, lease_seconds: int = 4) -> subprocess.Popen[bytes]:
    """A dispatcher process. Its claims last ``lease_seconds``: short where a test waits for a
    killed process's claims to expire, long where a process starved by a loaded machine must
    not lose its claim to the other one mid-delivery (at-least-once would then send twice)."""
    env = {
        **os.environ,
        "SHIPTRACK_WEBHOOK_ALLOW_PRIVATE": "true",
        "SHIPTRACK_WEBHOOK_LEASE_SECONDS": str(lease_seconds),
        "SHIPTRACK_WEBHOOK_TIMEOUT_SECONDS": "1",
        "SHIPTRACK_WEBHOOK_POLL_INTERVAL_SECONDS": "0.1",
        "SHIPTRACK_WEBHOOK_RETRY_SCHEDULE": "0.5,0.5,0.5,0.5,0.5",
    }
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), database_url, owner],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    # Read off the event loop: the receiver in this process keeps serving meanwhile.
    assert (await asyncio.to_thread(process.stdout.readline)).strip() == b"ready"
    return process


async def _messages(db):
    async with db.read() as conn:
        return list(await conn.execute(select(webhook_messages)))


async def test_kill_9_then_restart_delivers_everything(db, database_url, receiver):
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, fast_settings())
    receiver.secrets, receiver.bearers = [secret], [secret]
    for _ in range(20):
        await (await new_journey(db, account_id)).step(db, 3)
    # The receiver holds the first requests open: the process is killed mid-delivery.
    holding = {"on": True}
    receiver.behaviour = lambda r, req, n: (200, {}, b"", 30.0 if holding["on"] else 0.0)
    first = await _start(database_url, "victim")
    try:
        deadline = time.monotonic() + 15
        while len(receiver.requests) < 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
        first.stdout.close()
    assert receiver.received == []
    leased = [m for m in await _messages(db) if m.lease_owner == "victim"]
    assert leased, "the killed process held no claims"
    assert all(m.status == "pending" for m in leased)

    holding["on"] = False
    restarted = await _start(database_url, "survivor")
    try:
        await receiver.wait_for(60, timeout=40)
    finally:
        restarted.terminate()  # a graceful stop records the outcomes
        restarted.wait(20)
        restarted.stdout.close()
    rows = await _messages(db)
    assert len(rows) == 60
    assert {r.status for r in rows} == {"delivered"}
    assert all(r.lease_owner is None for r in rows)
    # Every message arrived at least once; the killed deliveries were sent again.
    assert set(receiver.ids()) == {r.id for r in rows}
    per_tracker: dict[str, list[int]] = {}
    for got in receiver.received:
        item = got.payload["trackings"][0]
        per_tracker.setdefault(item["tracker"]["trackerId"], []).append(
            item["events"][0]["sequence"]
        )
    assert all(seqs == sorted(seqs) for seqs in per_tracker.values())


async def test_two_dispatcher_processes_never_send_the_same_attempt(db, database_url, receiver):
    from collections import Counter

    from shiptrack.db.webhook_tables import webhook_attempts

    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, fast_settings())
    receiver.secrets, receiver.bearers = [secret], [secret]
    for _ in range(50):
        await (await new_journey(db, account_id)).step(db, 3)
    receiver.behaviour = lambda r, req, n: (200, {}, b"", 0.005)
    processes = [
        await _start(database_url, "one", lease_seconds=60),
        await _start(database_url, "two", lease_seconds=60),
    ]
    try:
        await receiver.wait_for(150, timeout=60)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)
            process.stdout.close()
    counts = Counter(receiver.ids())
    assert len(counts) == 150
    assert set(counts.values()) == {1}, counts.most_common(3)
    async with db.read() as conn:
        attempts = list(await conn.execute(select(webhook_attempts)))
    assert len(attempts) == 150
    assert {a.dispatcher for a in attempts} <= {"one", "two"}
    rows = await _messages(db)
    assert {r.status for r in rows} == {"delivered"}
