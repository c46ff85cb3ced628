"""Storing a push callback: its events join the timelines exactly as polled events do.

In one write transaction: the callback's idempotency key is inserted (a key already there
means a duplicate delivery: nothing else is done), the trackers following each pushed number
through a registration with that source are locked (PostgreSQL) and merged with the results
by the engine's own ``Refresher`` stages (fingerprints drop events already stored, sequences
continue, the shipment is re-rendered, the engine's ``UpdateSink`` writes the webhook outbox
and hears ``after_commit`` once the transaction has committed). A push
touches no schedule: ``next_check_at`` stays as it was (it wakes no poll; polling remains the
fallback), only ``has_data`` and ``last_event_at`` move.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Boolean, bindparam, select, text
from sqlalchemy.dialects import postgresql, sqlite

from shiptrack.couriers.connectors.protocol import TrackingResult
from shiptrack.db.engine import Database
from shiptrack.db.source_tables import source_callbacks, upstream_registrations
from shiptrack.db.types import UTCDateTime
from shiptrack.tracking import repository
from shiptrack.tracking.fetch import TrackerFetch
from shiptrack.tracking.refresh import Refresher, stored_timeline

_FOLLOWERS = (
    "SELECT id, account_id, tracking_number, client_tracker_id, shipment_reference, "
    "created_at, shipment_id, has_data, is_subscribed FROM trackers "
    "WHERE tracking_number IN :numbers AND is_subscribed AND is_tracked ORDER BY id"
)
_FOLLOWER_TYPES = {"created_at": UTCDateTime(), "has_data": Boolean(), "is_subscribed": Boolean()}
_FOLLOWERS_SQL = {
    locked: text(_FOLLOWERS + (" FOR UPDATE" if locked else ""))
    .bindparams(bindparam("numbers", expanding=True))
    .columns(**_FOLLOWER_TYPES)
    for locked in (False, True)
}
_TOUCH = text(
    "UPDATE trackers SET has_data = true, "
    "last_event_at = COALESCE(:last_event_at, last_event_at), updated_at = :now WHERE id = :id"
).bindparams(bindparam("now", type_=UTCDateTime()), bindparam("last_event_at", type_=UTCDateTime()))


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


async def store_push(
    db: Database,
    refresher: Refresher,
    source: str,
    key: str,
    results: Sequence[TrackingResult],
    now: dt.datetime,
) -> PushOutcome:
    """Store one verified callback (see the module docstring)."""
    postgres = db.is_postgres
    insert = (postgresql if postgres else sqlite).insert(source_callbacks)
    async with db.write() as conn:
        inserted = await conn.execute(
            insert.values(source=source, key=key, received_at=now)
            .on_conflict_do_nothing()
            .returning(source_callbacks.c.key)
        )
        if inserted.first() is None:
            return PushOutcome(duplicate=True)
        by_number: dict[str, list[TrackingResult]] = {}
        for result in results:
            by_number.setdefault(result.tracking_number, []).append(result)
        if not by_number:
            return PushOutcome(duplicate=False)
        registered = {
            r.tracking_number: r.courier_code
            for r in await conn.execute(
                select(
                    upstream_registrations.c.tracking_number, upstream_registrations.c.courier_code
                ).where(
                    upstream_registrations.c.source == source,
                    upstream_registrations.c.tracking_number.in_(sorted(by_number)),
                )
            )
        }
        for number, courier in registered.items():
            by_number[number] = [_with_courier(r, courier) for r in by_number[number]]
        followers = (
            list(await conn.execute(_FOLLOWERS_SQL[postgres], {"numbers": sorted(registered)}))
            if registered
            else []
        )
        count, written = await _merge_and_store(
            conn, refresher, followers, by_number, now, postgres
        )
        await conn.execute(
            source_callbacks.update()
            .where(source_callbacks.c.source == source, source_callbacks.c.key == key)
            .values(events=count)
        )
    if written:
        refresher.sink.after_commit()
    return PushOutcome(duplicate=False, trackers=len(followers), events=count)


def _with_courier(result: TrackingResult, courier: str) -> TrackingResult:
    """A pushed result without courier codes gets the registration's (17TRACK's pushes name
    17TRACK's carrier key, not Ship24's code)."""
    if result.courier_code or not courier:
        return result
    events = [e if e.courier_code else replace(e, courier_code=courier) for e in result.events]
    return replace(result, courier_code=courier, events=events)


async def _merge_and_store(
    conn: Any,
    refresher: Refresher,
    followers: Sequence[Any],
    by_number: dict[str, list[TrackingResult]],
    now: dt.datetime,
    postgres: bool,
) -> tuple[int, int]:
    """The refresh's merge → render → store → hand-off, for pushed results: the events
    stored and what the update sink wrote (``after_commit`` is the caller's, after commit)."""
    if not followers:
        return 0, 0
    shipment_ids = [t.shipment_id for t in followers]
    stored = await repository.load_shipments(conn, shipment_ids)
    keys = await repository.load_event_keys(conn, shipment_ids)
    prior = await repository.load_events(conn, [s for s in shipment_ids if s in stored])
    event_rows: list[dict[str, Any]] = []
    new_shipments, changed_shipments, updates, replaced = [], [], [], []
    for tracker in followers:
        fetch = TrackerFetch(tracker, results=list(by_number.get(tracker.tracking_number, ())))
        state = refresher._state(
            tracker, stored.get(tracker.shipment_id), keys.get(tracker.shipment_id)
        )
        refresher._merge(fetch, state, now, event_rows, prior.get(tracker.shipment_id))
        if state.changed:
            state.events = stored_timeline(prior.get(tracker.shipment_id, ()), state) + state.events
            replaced.extend(state.replaced.values())
            row = refresher._shipment_row(tracker, state, now)
            (changed_shipments if state.exists else new_shipments).append(row)
        await conn.execute(
            _TOUCH,
            {"id": tracker.id, "now": now, "last_event_at": now if state.new_events else None},
        )
        if state.new_events:
            updates.append((tracker, state))
    await repository.insert_events(conn, event_rows, postgres=postgres)
    await repository.replace_events(conn, replaced)
    await repository.record_outcomes(
        conn,
        [
            {
                "tracker_id": t.id,
                "source": r.source_code,
                "outcome": "found",
                "detail": "pushed",
                "checked_at": now,
            }
            for t in followers
            for r in {r.source_code: r for r in by_number.get(t.tracking_number, ())}.values()
        ],
        postgres=postgres,
    )
    await repository.insert_shipments(conn, new_shipments)
    await repository.update_shipments(conn, changed_shipments)
    written = 0
    if updates:
        written = await refresher.sink.write(
            conn, [refresher._update(t, s, now) for t, s in updates]
        )
    return len(event_rows), written
