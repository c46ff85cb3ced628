"""The tracking engine of one process: claims due trackers in batches and refreshes them.

Any number of engines (``serve`` embeds one per API process; ``shiptrack worker`` runs one
alone) share the work through leases on the trackers table. ``wake()`` makes an idle engine
look for due trackers at once (new trackers are due immediately). ``stop()`` finishes the
batches in flight, then gives back any lease it still holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence

from shiptrack.clock import utcnow
from shiptrack.config import Settings
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.db.engine import Database
from shiptrack.tracking import metrics, repository, schedule_sql
from shiptrack.tracking.after_check import BatchStats
from shiptrack.tracking.claims import ClaimedTracker, TrackerToFetch
from shiptrack.tracking.fetch import Fetcher
from shiptrack.tracking.refresh import Refresher
from shiptrack.tracking.updates import UpdateSink

log = logging.getLogger("shiptrack.engine")

#: How often an engine counts the due backlog for ``shiptrack_due_backlog`` (one indexed
#: count; scrapes read the last figure instead of querying).
BACKLOG_EVERY_SECONDS = 15.0
#: Retention: how often an engine deletes expired stopped trackers, and how many per
#: transaction (a short write: ~500 trackers with their shipments and events).
RETENTION_EVERY_SECONDS = 600.0
RETENTION_BATCH = 500


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


class Engine:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        connectors: ConnectorSet,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        sink: UpdateSink | None = None,
        owner: str | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.connectors = connectors
        self.clock = clock
        self.owner = owner or worker_name()
        self.refresher = Refresher(
            db, settings, Fetcher(connectors), owner=self.owner, clock=clock, sink=sink
        )
        self._wake = asyncio.Event()
        self._stopping = False
        self._in_flight: set[asyncio.Task[BatchStats]] = set()
        self._held: set[str] = set()
        self._slots = asyncio.Semaphore(max(1, settings.engine_concurrency))

    def wake(self) -> None:
        self._wake.set()

    async def on_trackers_created(self, _tracker_ids: Sequence[str]) -> None:
        self.wake()

    def _lease_until(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self.settings.engine_lease_seconds)

    async def claim_batch(self) -> list[ClaimedTracker]:
        now = self.clock()
        async with self.db.write() as conn:
            rows = await schedule_sql.claim_due(
                conn,
                postgres=self.db.is_postgres,
                now=now,
                lease_until=self._lease_until(now),
                owner=self.owner,
                limit=self.settings.engine_batch_size,
            )
        return list(rows)  # type: ignore[arg-type]  # rows of CLAIM_COLUMNS

    async def run_once(self) -> int:
        """Claim one batch and refresh it; the number of trackers refreshed (tests, CLI)."""
        rows = await self.claim_batch()
        if not rows:
            return 0
        return (await self._refresh(rows)).refreshed

    async def _refresh(self, rows: Sequence[ClaimedTracker]) -> BatchStats:
        ids = {r.id for r in rows}
        self._held |= ids
        try:
            return await self.refresher.refresh(rows)
        finally:
            self._held -= ids

    async def run(self) -> None:
        """Claim and refresh until ``stop()``; several batches overlap (their courier calls
        wait on the network, not on the CPU)."""
        log.info(
            "engine started",
            extra={
                "owner": self.owner,
                "connectors": ",".join(c.info.source_code for c in self.connectors.connectors),
            },
        )
        idle = self.settings.engine_idle_poll_seconds
        chores = [
            asyncio.create_task(self._every(BACKLOG_EVERY_SECONDS, self.update_backlog)),
            asyncio.create_task(self._every(RETENTION_EVERY_SECONDS, self.apply_retention)),
        ]
        try:
            await self._claim_loop(idle)
        finally:
            for chore in chores:
                chore.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await chore

    async def _every(self, seconds: float, chore: Callable[[], Awaitable[object]]) -> None:
        while not self._stopping:
            try:
                await chore()
            except Exception:
                log.exception("engine chore failed", extra={"chore": chore.__name__})
            await asyncio.sleep(seconds)

    async def apply_retention(self) -> int:
        """Delete the trackers whose tracking stopped more than
        ``retention_stopped_tracker_days`` ago (0: keep them), with their shipments and
        events, in batches; the number deleted."""
        days = self.settings.retention_stopped_tracker_days
        if days <= 0:
            return 0
        before = self.clock() - dt.timedelta(days=days)
        total = 0
        while not self._stopping:
            async with self.db.write() as conn:
                deleted = await repository.delete_stopped_trackers(
                    conn, before=before, limit=RETENTION_BATCH, postgres=self.db.is_postgres
                )
            total += deleted
            if deleted < RETENTION_BATCH:
                break
            await asyncio.sleep(0.05)  # let API writes in between (SQLite: one writer)
        if total:
            log.info("retention: deleted stopped trackers", extra={"deleted": total})
        return total

    async def _claim_loop(self, idle: float) -> None:
        while not self._stopping:
            await self._slots.acquire()
            if self._stopping:
                self._slots.release()
                break
            try:
                rows = await self.claim_batch()
            except Exception:
                self._slots.release()
                log.exception("claiming due trackers failed")
                await asyncio.sleep(idle)
                continue
            if self._stopping:
                # stop() came while this claim ran: hand the trackers straight back.
                self._slots.release()
                await self._release([r.id for r in rows])  # type: ignore[attr-defined]
                break
            if not rows:
                self._slots.release()
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), idle)
                except TimeoutError:
                    pass
                continue
            task = asyncio.create_task(self._refresh(rows))
            self._in_flight.add(task)
            task.add_done_callback(self._batch_done)

    def _batch_done(self, task: asyncio.Task[BatchStats]) -> None:
        self._in_flight.discard(task)
        self._slots.release()
        if not task.cancelled() and task.exception() is not None:
            log.error("refresh batch failed", exc_info=task.exception())
        else:
            # A full batch means more may be due: look again without waiting.
            self._wake.set()

    async def first_fetch(self, tracker_ids: Sequence[str], budget: float | None = None) -> None:
        """Refresh never-checked trackers now, within ``budget`` seconds (for
        ``POST /trackers/track``). A tracker another worker is checking is waited for."""
        budget = self.settings.first_fetch_budget_seconds if budget is None else budget
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        claimed = []
        for tracker_id in tracker_ids:
            now = self.clock()
            async with self.db.write() as conn:
                row = await schedule_sql.claim_new(
                    conn,
                    tracker_id,
                    now=now,
                    lease_until=self._lease_until(now),
                    owner=self.owner,
                    postgres=self.db.is_postgres,
                )
            if row is not None:
                claimed.append(row)
        if claimed:
            task = asyncio.create_task(self._refresh(claimed))
            try:
                await asyncio.wait_for(asyncio.shield(task), max(0.0, deadline - loop.time()))
            except TimeoutError:
                # The refresh goes on in the background and stores what it finds.
                self._in_flight.add(task)  # type: ignore[arg-type]
                task.add_done_callback(lambda t: self._in_flight.discard(t))  # type: ignore[arg-type]
            return
        for tracker_id in tracker_ids:
            while loop.time() < deadline:
                async with self.db.read() as conn:
                    if await schedule_sql.check_count(conn, tracker_id):
                        break
                await asyncio.sleep(0.05)

    async def lookup(self, tracker: TrackerToFetch, budget: float | None = None) -> bytes | None:
        """Fetch a shipment's tracking now without storing it; None past the budget."""
        budget = self.settings.first_fetch_budget_seconds if budget is None else budget
        try:
            return await asyncio.wait_for(self.refresher.lookup(tracker), budget)
        except TimeoutError:
            return None

    async def _release(self, tracker_ids: Sequence[str]) -> None:
        if tracker_ids:
            async with self.db.write() as conn:
                await schedule_sql.release(conn, tracker_ids, self.owner, self.clock())

    async def update_backlog(self) -> None:
        async with self.db.read() as conn:
            metrics.DUE_BACKLOG.set(await schedule_sql.due_backlog(conn, self.clock()))

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop claiming, let batches in flight finish (up to ``timeout``), then hand back
        whatever this engine still holds so other workers take it at once."""
        self._stopping = True
        self._wake.set()
        if self._in_flight:
            _, pending = await asyncio.wait(list(self._in_flight), timeout=timeout)
            for task in pending:
                task.cancel()
            # Let cancelled batches unwind (and give their connections back) before the
            # caller disposes of the database.
            await asyncio.gather(*pending, return_exceptions=True)
        await self._release(sorted(self._held))
        self._held.clear()
        log.info("engine stopped", extra={"owner": self.owner})
