"""Storing a push callback: its events join the timelines exactly as polled events do.

In one write transaction: the callback's idempotency key is inserted (a key already there
means a duplicate delivery: nothing else is done), the trackers following each pushed number
through a registration with that source are locked (PostgreSQL: their schedule rows, which
the engine's store locks too) and merged with the results
by the engine's own ``Refresher`` stages (fingerprints drop events already stored, sequences
continue, the shipment is re-rendered, the engine's ``UpdateSink`` writes the webhook outbox
and hears ``after_commit`` once the transaction has committed). A push
touches no schedule: ``next_check_at`` stays as it was (it wakes no poll; polling remains the
fallback), only the schedule row's ``has_data`` and ``last_event_at`` move (decision 28).

The followers are found through ``ix_trackers_tracking_number`` (across accounts), and the
batch's own statements go to the driver as plain SQL (``sources/push_sql.py``: on PostgreSQL
to asyncpg itself, inside the same transaction); see docs/benchmarks.md for what a callback
costs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import orjson

from shiptrack.couriers.connectors.protocol import TrackingResult
from shiptrack.db.driver import DriverValues
from shiptrack.db.engine import Database
from shiptrack.sources.push_sql import BatchReads, BatchWrites, PostgresPush, SqlitePush
from shiptrack.tracking.fetch import TrackerFetch
from shiptrack.tracking.refresh import Refresher

# The callbacks' keys in one statement, through SQLAlchemy on both engines (it begins the
# transaction; the rest of the batch is ``push_sql``'s). A list of values is one parameter:
# a JSON array on SQLite, an array on PostgreSQL.
_NEW_KEYS = {
    False: "INSERT INTO source_callbacks (source, key, received_at, events) "
    "SELECT ?, value, ?, 0 FROM json_each(?) WHERE true ON CONFLICT DO NOTHING RETURNING key",
    True: "INSERT INTO source_callbacks (source, key, received_at, events) "
    "SELECT $1, k, $2, 0 FROM unnest($3::text[]) AS k ON CONFLICT DO NOTHING RETURNING key",
}


def _values(values: Sequence[str], postgres: bool) -> object:
    """A list of strings as one parameter of ``_NEW_KEYS``."""
    return list(values) if postgres else orjson.dumps(list(values)).decode()


@dataclass(frozen=True, slots=True)
class PushOutcome:
    duplicate: bool
    trackers: int = 0
    events: int = 0


def callback_key(source_key: str | None, body: bytes) -> str:
    """The idempotency key: the provider's message id, else the body's SHA-256."""
    if source_key:
        return source_key[:100]
    return "sha256:" + hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class Push:
    """One verified callback to store: its idempotency key and what it says."""

    key: str
    results: Sequence[TrackingResult]


async def store_push(
    db: Database,
    refresher: Refresher,
    source: str,
    key: str,
    results: Sequence[TrackingResult],
    now: dt.datetime,
) -> PushOutcome:
    """Store one verified callback (see the module docstring)."""
    (outcome,) = await store_pushes(db, refresher, source, [Push(key, results)], now)
    return outcome


async def store_pushes(
    db: Database,
    refresher: Refresher,
    source: str,
    pushes: Sequence[Push],
    now: dt.datetime,
) -> list[PushOutcome]:
    """Store callbacks of one source in one transaction (``PushBatcher`` gathers them):
    their keys first (a key already stored, or earlier in the batch, is a duplicate), then
    every pushed number's events, merged once per tracker. Each callback's outcome counts
    the trackers following its numbers and the events stored for them."""
    postgres = db.is_postgres
    driver = DriverValues(sqlite=not postgres)
    written = 0
    async with db.write() as conn:
        keys = list(dict.fromkeys(p.key for p in pushes))
        inserted = {
            row[0]
            for row in await conn.exec_driver_sql(
                _NEW_KEYS[postgres], (source, driver.row((now,))[0], _values(keys, postgres))
            )
        }
        fresh: dict[str, Push] = {}
        for push in pushes:
            if push.key in inserted and push.key not in fresh:
                fresh[push.key] = push
        by_number: dict[str, list[TrackingResult]] = {}
        for push in fresh.values():
            for result in push.results:
                by_number.setdefault(result.tracking_number, []).append(result)
        statements = await PostgresPush.of(conn) if postgres else SqlitePush(conn)
        reads = await statements.read(source, list(by_number)) if by_number else BatchReads()
        for number, courier in reads.registered.items():
            by_number[number] = [_with_courier(r, courier) for r in by_number[number]]
        followers = reads.followers
        stored: Counter[str] = Counter()
        touches: list[tuple[str, bool]] = []
        if followers:
            fetches = [
                TrackerFetch(t, results=list(by_number.get(t.tracking_number, ())))
                for t in followers
            ]
            states, written = await refresher.merge_and_write(
                conn, fetches, reads.shipments, reads.keys, now, reads.events
            )
            for tracker, state in zip(followers, states, strict=True):
                stored[tracker.shipment_id] += len(state.new_events)
                touches.append((tracker.id, bool(state.new_events)))
        per_number: dict[str, tuple[int, int]] = {}
        for tracker in followers:
            trackers_, events_ = per_number.get(tracker.tracking_number, (0, 0))
            per_number[tracker.tracking_number] = (
                trackers_ + 1,
                events_ + stored.get(tracker.shipment_id, 0),
            )
        outcomes: dict[str, PushOutcome] = {}
        for key, push in fresh.items():
            numbers = {r.tracking_number for r in push.results}
            counts = [per_number.get(n, (0, 0)) for n in numbers]
            outcomes[key] = PushOutcome(
                duplicate=False,
                trackers=sum(c[0] for c in counts),
                events=sum(c[1] for c in counts),
            )
        # Each source's outcome for each follower, as a refresh records it.
        reported = [
            (t.id, code)
            for t in followers
            for code in {r.source_code for r in by_number.get(t.tracking_number, ())}
        ]
        counted = [(k, o.events) for k, o in outcomes.items() if o.events]
        await statements.write(BatchWrites(source, now, touches, reported, counted))
    if written:
        refresher.sink.after_commit()
    duplicate = PushOutcome(duplicate=True)
    answered: set[str] = set()
    result: list[PushOutcome] = []
    for push in pushes:
        first = push.key in outcomes and push.key not in answered
        answered.add(push.key)
        result.append(outcomes[push.key] if first else duplicate)
    return result


class PushBatcher:
    """Gathers the callbacks that arrive while one is being stored, and stores them together
    (one transaction per batch, per source: a group commit). A lone callback is stored at
    once; under load each transaction carries every callback that arrived meanwhile, up to
    ``max_batch``. If a batch fails, its callbacks are stored one by one, so a bad one fails
    alone (its provider gets an error and retries); nothing is answered before its commit."""

    def __init__(
        self,
        db: Database,
        refresher: Refresher,
        clock: Callable[[], dt.datetime],
        *,
        max_batch: int = 200,
    ) -> None:
        self.db, self.refresher, self.clock, self.max_batch = db, refresher, clock, max_batch
        self._waiting: dict[str, list[tuple[Push, asyncio.Future[PushOutcome]]]] = {}
        self._draining: dict[str, asyncio.Task[None]] = {}

    async def store(self, source: str, push: Push) -> PushOutcome:
        future: asyncio.Future[PushOutcome] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(source, []).append((push, future))
        if source not in self._draining:
            self._draining[source] = asyncio.create_task(self._drain(source))
        return await asyncio.shield(future)

    async def _drain(self, source: str) -> None:
        try:
            # One turn of the event loop first: the requests already read reach ``store``
            # and join this batch (on SQLite a batch runs without yielding, so what was not
            # queued before it starts waits for the next one).
            await asyncio.sleep(0)
            while waiting := self._waiting.get(source):
                batch = waiting[: self.max_batch]
                del waiting[: self.max_batch]
                await self._store(source, batch)
        finally:
            del self._draining[source]

    async def _store(
        self, source: str, batch: list[tuple[Push, asyncio.Future[PushOutcome]]]
    ) -> None:
        try:
            outcomes = await store_pushes(
                self.db, self.refresher, source, [p for p, _ in batch], self.clock()
            )
        except Exception as exc:
            if len(batch) > 1:
                for item in batch:
                    await self._store(source, [item])
                return
            if not batch[0][1].done():
                batch[0][1].set_exception(exc)
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(outcome)


def _with_courier(result: TrackingResult, courier: str) -> TrackingResult:
    """A pushed result without courier codes gets the registration's (17TRACK's pushes name
    17TRACK's carrier key, not Ship24's code)."""
    if result.courier_code or not courier:
        return result
    events = [e if e.courier_code else e.with_courier(courier) for e in result.events]
    return replace(result, courier_code=courier, events=events)
