"""Group commit for single tracker creates.

Each ``POST /trackers`` would otherwise be its own write transaction, and every create of an
account serialises on the account lock. ``TrackerCreator`` queues the creates arriving while
a transaction is running and writes them together in the next one: a lone request is written
at once, a burst of N concurrent requests costs a handful of transactions instead of N. The
per-item rules are ``service.create_many``'s, so batching changes no outcome.

A batch is one transaction, so one item the database refuses would fail every request in it:
when a batch fails, ``create_isolated`` writes its items again one transaction each, and only
the request whose item fails alone gets the error (a 500 for that request only).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from shiptrack.db.engine import Database
from shiptrack.errors import ApiError
from shiptrack.trackers.service import CreateOutcome, create_many
from shiptrack.trackers.validation import TrackerInput

MAX_BATCH = 200


async def create_isolated(
    db: Database,
    account_id: str,
    items: Sequence[TrackerInput | ApiError],
    *,
    courier_overlap_conflicts: bool = False,
) -> list[CreateOutcome | Exception]:
    """``create_many`` in one transaction; if that fails, each item in its own, so that an
    item the database refuses costs only its own outcome (its exception, in its place)."""
    try:
        return list(
            await create_many(
                db, account_id, list(items), courier_overlap_conflicts=courier_overlap_conflicts
            )
        )
    except Exception:
        if len(items) == 1:
            raise
    results: list[CreateOutcome | Exception] = []
    for item in items:
        try:
            results.extend(
                await create_many(
                    db, account_id, [item], courier_overlap_conflicts=courier_overlap_conflicts
                )
            )
        except Exception as exc:
            results.append(exc)
    return results


class TrackerCreator:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._queues: dict[
            tuple[str, bool], list[tuple[TrackerInput, asyncio.Future[CreateOutcome]]]
        ] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def create(
        self, account_id: str, item: TrackerInput, *, courier_overlap_conflicts: bool = False
    ) -> CreateOutcome:
        key = (account_id, courier_overlap_conflicts)
        future: asyncio.Future[CreateOutcome] = asyncio.get_running_loop().create_future()
        queue = self._queues.get(key)
        if queue is None:
            self._queues[key] = [(item, future)]
            task = asyncio.create_task(self._drain(key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            queue.append((item, future))
        return await future

    async def wait_idle(self) -> None:
        """Wait until every queued create is written (before the database is closed)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _drain(self, key: tuple[str, bool]) -> None:
        account_id, overlap = key
        while True:
            queue = self._queues.get(key)
            if not queue:
                self._queues.pop(key, None)
                return
            batch, rest = queue[:MAX_BATCH], queue[MAX_BATCH:]
            # Requests arriving during the write join the next batch.
            self._queues[key] = rest
            try:
                outcomes = await create_isolated(
                    self._db,
                    account_id,
                    [item for item, _ in batch],
                    courier_overlap_conflicts=overlap,
                )
            except BaseException as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
