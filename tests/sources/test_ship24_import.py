"""``shiptrack import ship24`` against a fake Ship24 (real HTTP on 127.0.0.1) into a real
database, on SQLite and PostgreSQL: all trackers recreated, a SIGKILLed import restarted
without duplicates, 429s waited out with no request inside their Retry-After."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from shiptrack.accounts import service as accounts
from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE
from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.protocol import TrackingHints
from shiptrack.couriers.connectors.ship24 import Ship24Connector, Ship24Settings, fake
from shiptrack.couriers.connectors.ship24.fake_account import FakeAccount, preload
from shiptrack.db.engine import Database
from shiptrack.db.tables import trackers
from shiptrack.errors import ApiError
from shiptrack.sources import ship24_import as importer
from shiptrack.sources.registrations import DatabaseBook
from shiptrack.sources.tables import upstream_registrations

KEY = "fake-ship24-key"


def ship24_fake(account: FakeAccount):  # type: ignore[no-untyped-def]
    return fake.create_app(lambda number: None, api_key=KEY, webhook_secret="s", account=account)


def expected(listed: list[dict]) -> dict[str, dict]:  # type: ignore[type-arg]
    return {t["trackingNumber"]: t for t in listed if t["isSubscribed"]}


async def stored(db: Database, account_id: str) -> list:  # type: ignore[type-arg]
    async with db.read() as conn:
        query = select(trackers).where(trackers.c.account_id == account_id)
        return list((await conn.execute(query)).all())


async def run_import(
    db: Database, account_id: str, url: str, path: Path, **options: object
) -> importer.Counts:
    rate = float(options.pop("rate", 50.0))  # type: ignore[arg-type]
    page_size = int(options.pop("page_size", 100))  # type: ignore[call-overload]
    state = importer.Checkpoint.load(path) or importer.Checkpoint(account_id, url, page_size)
    async with aiohttp.ClientSession() as session:
        lister = importer.Ship24Lister(session, url, KEY, rate=rate)
        job = importer.Ship24Import(db, lister, state, path, **options)  # type: ignore[arg-type]
        return await job.run()


def no_request_while_told_to_wait(account: FakeAccount) -> tuple[int, int]:
    """(429s answered, requests that arrived inside a 429's Retry-After window)."""
    told = [r for r in account.requests if r.status == 429]
    early = sum(
        1
        for r in told
        for later in account.requests
        if r.at < later.at < r.at + (r.retry_after or 0)
    )
    return len(told), early


def check_recreated(rows: list, listed: list[dict]) -> None:  # type: ignore[type-arg]
    want = expected(listed)
    numbers = [r.tracking_number for r in rows]
    assert len(numbers) == len(set(numbers)), "a tracker was created twice"
    assert set(numbers) == set(want)
    for row in rows:
        source = want[row.tracking_number]
        assert row.shipment_reference == source["shipmentReference"]
        assert row.client_tracker_id == source["clientTrackerId"]
        assert list(row.courier_codes) == source["courierCode"]
        assert row.is_subscribed
        assert row.is_tracked


async def test_ten_thousand_trackers_survive_a_sigkill_and_a_restart(
    database_url: str, tmp_path: Path
) -> None:
    listed = preload(10_000)
    account = FakeAccount(trackers=listed, throttle_every=9, retry_after=1)
    db = Database(database_url)
    try:
        account_id = (await accounts.create_account(db, "mover")).account.id
        async with serve(ship24_fake(account)) as url:
            env = {
                **os.environ,
                "SHIPTRACK_DATABASE_URL": database_url,
                "SHIPTRACK_SHIP24_API_KEY": KEY,
                "SHIPTRACK_SHIP24_BASE_URL": url,
            }
            command = [sys.executable, "-m", "shiptrack", "import", "ship24"]
            command += ["--account", account_id[:8], "--rate", "8"]
            command += ["--checkpoint", str(tmp_path / "progress.json")]

            first = await asyncio.create_subprocess_exec(
                *command, env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL
            )
            deadline = time.monotonic() + 60
            while sum(r.status == 200 for r in account.requests) < 7:
                assert time.monotonic() < deadline
                assert first.returncode is None
                await asyncio.sleep(0.02)
            first.send_signal(signal.SIGKILL)
            assert await first.wait() == -signal.SIGKILL
            interrupted = len(await stored(db, account_id))
            assert 0 < interrupted < len(expected(listed)), "killed mid-import"

            started = time.monotonic()
            second = await asyncio.create_subprocess_exec(
                *command, env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE
            )
            out, _ = await asyncio.wait_for(second.communicate(), 120)
            assert second.returncode == 0, out
            assert b"Resuming after page" in out
            elapsed = time.monotonic() - started
        rows = await stored(db, account_id)
        check_recreated(rows, listed)
        assert len(rows) == 9_800  # every 50th Ship24 tracker is unsubscribed: not imported
        told, early = no_request_while_told_to_wait(account)
        assert told >= 2
        assert early == 0
        resumed_pages = {r.page for r in account.requests if r.status == 200}
        assert max(resumed_pages) == 21  # 20 full pages and the empty one that ends the list
        assert elapsed < 60
    finally:
        await db.dispose()


async def test_429s_are_waited_out_and_nothing_is_sent_during_retry_after(
    db: Database, tmp_path: Path
) -> None:
    listed = preload(1_000)
    # Every 4th request is refused, and more than 4 a second is over the fake's rate limit.
    account = FakeAccount(trackers=listed, throttle_every=4, rate_limit=4, retry_after=1)
    account_id = (await accounts.create_account(db, "mover")).account.id
    async with serve(ship24_fake(account)) as url:
        counts = await run_import(db, account_id, url, tmp_path / "p.json", rate=20.0)
    check_recreated(await stored(db, account_id), listed)
    told, early = no_request_while_told_to_wait(account)
    assert told >= 3
    assert early == 0, "a request was sent inside a Retry-After window"
    assert counts.waited >= told * 1.0
    assert (counts.read, counts.created, counts.skipped, counts.failed) == (1_000, 980, 20, 0)


async def test_a_page_written_again_after_a_lost_checkpoint_creates_nothing(
    db: Database, tmp_path: Path
) -> None:
    listed = preload(250)
    account_id = (await accounts.create_account(db, "mover")).account.id
    path = tmp_path / "progress.json"
    async with serve(ship24_fake(FakeAccount(trackers=listed))) as url:
        first = await run_import(db, account_id, url, path)
        assert (first.created, first.existing) == (245, 0)
        # A kill between a page's commit and its checkpoint: the checkpoint says nothing.
        path.unlink()
        again = await run_import(db, account_id, url, path)
        assert (again.created, again.existing) == (0, 245)
        # Trackers created on Ship24 since: a finished import run again picks them up alone.
        listed.extend(preload(30, start=250))
        later = await run_import(db, account_id, url, path)
    # The counts are the import's since its checkpoint began: 30 more read, all new.
    assert (later.read, later.created, later.existing) == (280, 30, 245)
    check_recreated(await stored(db, account_id), listed)


async def test_kept_upstream_trackers_are_polled_at_their_ship24_tracker_not_registered_again(
    db: Database, tmp_path: Path
) -> None:
    listed = preload(40)
    app = ship24_fake(FakeAccount(trackers=listed))
    account_id = (await accounts.create_account(db, "mover")).account.id
    async with serve(app) as url:
        counts = await run_import(db, account_id, url, tmp_path / "p.json", keep_upstream=True)
        assert counts.kept_upstream == len(expected(listed))
        async with db.read() as conn:
            rows = (await conn.execute(select(upstream_registrations))).all()
        by_number = {r.tracking_number: r for r in rows}
        for number, tracker in expected(listed).items():
            row = by_number[number]
            assert (row.source, row.state) == ("ship24", "registered")
            assert row.upstream_id == tracker["trackerId"]
            assert row.courier_code == (tracker["courierCode"] or [""])[0]

        settings = Ship24Settings(api_key=KEY, base_url=url, _env_file=None)  # type: ignore[call-arg]
        tracker = next(t for t in listed if t["courierCode"] and t["isSubscribed"])
        async with aiohttp.ClientSession() as session:
            connector = Ship24Connector(settings, session)
            connector.book = DatabaseBook(db)
            hints = TrackingHints(courier_codes=tuple(tracker["courierCode"]))
            await connector.track([tracker["trackingNumber"]], {tracker["trackingNumber"]: hints})
        state = app[UPSTREAM_FAKE]
        assert state.calls["register"] == 0, "Ship24 was asked to create a tracker again"
        assert state.calls["poll"] == 1

        # Run again: the registrations are there already, nothing is added twice.
        (tmp_path / "p.json").unlink()
        again = await run_import(db, account_id, url, tmp_path / "p.json", keep_upstream=True)
    assert again.kept_upstream == 0
    async with db.read() as conn:
        total = (
            await conn.execute(select(func.count()).select_from(upstream_registrations))
        ).scalar()
    assert total == len(expected(listed))


def test_a_listed_tracker_becomes_the_same_create_request() -> None:
    day = dt.datetime.now(dt.UTC).date()
    tracker = {
        "trackerId": "t-1",
        "trackingNumber": "ly396870931de",
        "shipmentReference": None,
        "courierCode": ["us-post", "ups", "fedex", "dhl", "us-post"],
        "clientTrackerId": "order-7",
        "settings": {"restrictTrackingToCourierCode": True},
    }
    item = importer.tracker_input(tracker, restrict=False, max_age_days=180, today=day)
    assert item.tracking_number == "LY396870931DE"
    assert item.courier_codes == ("us-post", "ups", "fedex", "dhl")
    assert item.client_tracker_id == "order-7"
    assert item.restrict_to_courier
    plain = {"trackingNumber": "LT621980897", "courierCode": "us-post"}
    assert importer.tracker_input(
        plain, restrict=True, max_age_days=180, today=day
    ).restrict_to_courier
    bare = {"trackingNumber": "LT621980897"}
    assert not importer.tracker_input(
        bare, restrict=True, max_age_days=180, today=day
    ).restrict_to_courier
    with pytest.raises(ApiError):
        importer.tracker_input(
            {"trackingNumber": "123456789"}, restrict=False, max_age_days=180, today=day
        )


async def test_a_refused_key_stops_the_cli_with_ship24s_message(
    database_url: str, tmp_path: Path
) -> None:
    db = Database(database_url)
    try:
        await accounts.create_account(db, "mover")
    finally:
        await db.dispose()
    async with serve(ship24_fake(FakeAccount(trackers=preload(5)))) as url:
        env = {**os.environ, "SHIPTRACK_DATABASE_URL": database_url}
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "shiptrack", "import", "ship24"),
            *("--api-key", "wrong", "--base-url", url),
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert b"401" in err
    assert b"Invalid API key" in err
