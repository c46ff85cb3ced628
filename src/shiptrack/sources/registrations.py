"""Registrations in the database: one per (source, number, courier), shared by every tracker
and account following that number, kept across restarts.

``DatabaseBook.ensure`` (called by an upstream's ``track``) inserts the rows that are missing
and registers with the provider only the rows this call *claimed*: the insert is
``ON CONFLICT DO NOTHING`` on the unique (source, number, courier) index, and a stopped or
failed row is taken back by a conditional update, so two engines, two trackers or two
accounts asking at once make one provider call. A claim left behind by a crash is taken over
after ``STALE_CLAIM``.

``DatabaseBook.sweep`` stops what no one needs: a registered number with no subscribed,
still-tracked tracker (unsubscribed, deleted by retention, delivered and finished) gets the
provider's stop call and the state ``stopped``. A tracker created later for the number
registers it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import and_, exists, not_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from shiptrack.clock import utcnow
from shiptrack.couriers.connectors.protocol import (
    BudgetExhausted,
    CourierError,
    CourierUnavailable,
    TrackingHints,
)
from shiptrack.couriers.connectors.upstream_terms import Registration
from shiptrack.db.driver import DriverValues, execute_many
from shiptrack.db.engine import Database, RawQuery
from shiptrack.db.source_tables import upstream_registrations as regs
from shiptrack.db.tables import trackers
from shiptrack.ids import new_time_ordered_ids
from shiptrack.sources import metrics

if TYPE_CHECKING:
    from shiptrack.couriers.connectors.aggregator import UpstreamConnector

log = logging.getLogger("shiptrack.sources")

#: A claim older than this is a worker that died mid-call: another may take it over.
STALE_CLAIM = dt.timedelta(minutes=5)

#: A registration's provider answer (``_record``); a refusal keeps the provider's id of an
#: earlier registration.
_RECORD = RawQuery.of(
    "UPDATE upstream_registrations SET claim = NULL, updated_at = ?, attempts = attempts + 1,"
    " state = ?, upstream_id = COALESCE(?, upstream_id), last_error = ?"
    " WHERE source = ? AND tracking_number = ? AND courier_code = ? AND claim = ?"
)
#: ``shiptrack_source_registrations_total``'s outcome for each recorded state.
_COUNTED = {"deferred": "deferred", "failed": "error", "registered": "registered"}


class DatabaseBook:
    def __init__(self, db: Database, *, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def _insert(self):  # type: ignore[no-untyped-def]
        return (postgresql if self.db.is_postgres else sqlite).insert(regs)

    async def ensure(
        self,
        connector: UpstreamConnector,
        wanted: Mapping[str, str],
        hints: Mapping[str, TrackingHints],
    ) -> dict[str, Registration | CourierError]:
        source, now, claim = connector.name, self.clock(), str(uuid.uuid4())
        keys = [(n, c) for n, c in wanted.items()]
        # A re-check finds every number registered: one read, no write transaction.
        async with self.db.read() as conn:
            known = await self._rows(conn, source, keys)
        if len(known) == len(keys) and all(r.state in ("registered", "stopping") for r in known):
            return {
                r.tracking_number: Registration(r.tracking_number, r.courier_code, r.upstream_id)
                for r in known
            }
        async with self.db.write() as conn:
            rows = {
                (r.tracking_number, r.courier_code): r for r in await self._rows(conn, source, keys)
            }
            missing = [(n, c) for n, c in keys if (n, c) not in rows]
            fresh = [
                {
                    "id": row_id,
                    "source": source,
                    "tracking_number": number,
                    "courier_code": courier,
                    "state": "registering",
                    "claim": claim,
                    "created_at": now,
                    "updated_at": now,
                }
                # Time-ordered: a batch's rows land together in the primary key's index
                # (decision 25), not at a random page each.
                for row_id, (number, courier) in zip(
                    new_time_ordered_ids(len(missing)), missing, strict=True
                )
            ]
            # What this call claims: the rows its insert made (a row another worker inserted
            # meanwhile is theirs: ON CONFLICT DO NOTHING returns nothing for it), and the
            # stopped, failed, deferred or stale rows its update took back.
            claimed: list[tuple[str, str]] = []
            if fresh:
                # One statement however many rows (SQLAlchemy's "insertmanyvalues"), its
                # RETURNING saying which were inserted.
                result = await conn.execute(
                    self._insert()
                    .on_conflict_do_nothing()
                    .returning(regs.c.tracking_number, regs.c.courier_code),
                    fresh,
                )
                claimed += [(r[0], r[1]) for r in result.all()]
            retake = [
                r.id
                for r in rows.values()
                if r.state in ("stopped", "failed", "deferred")
                or (r.state in ("registering", "stopping") and r.updated_at < now - STALE_CLAIM)
            ]
            if retake:
                result = await conn.execute(
                    update(regs)
                    .where(regs.c.id.in_(retake))
                    .values(state="registering", claim=claim, updated_at=now, stopped_at=None)
                    .returning(regs.c.tracking_number, regs.c.courier_code)
                )
                claimed += [(r[0], r[1]) for r in result.all()]
        mine = dict(claimed)
        answered: dict[str, object] = {}
        if mine:
            answered.update(await self._over_budget(connector, mine))
            allowed = {n: c for n, c in mine.items() if n not in answered}
            if allowed:
                answered.update(await connector.register(allowed, hints))
            await self._record(source, mine, answered, claim)
        out: dict[str, Registration | CourierError] = {}
        for number, courier in keys:
            row = rows.get((number, courier))
            outcome = answered.get(number) if number in mine else None
            if isinstance(outcome, CourierError):
                out[number] = outcome
            elif number in mine:
                out[number] = Registration(number, courier, outcome)
            elif row is not None and row.state in ("registered", "stopping"):
                out[number] = Registration(number, courier, row.upstream_id)
            elif row is not None and row.state == "failed":
                out[number] = CourierUnavailable(f"{source} registration failed: {row.last_error}")
            else:  # another worker is registering it right now
                out[number] = CourierUnavailable(f"{source} registration in progress")
        return out

    async def _over_budget(
        self, connector: UpstreamConnector, mine: Mapping[str, str]
    ) -> dict[str, BudgetExhausted]:
        """The registrations the source's budget has no room for today or this month: each
        gets ``BudgetExhausted`` (its row waits as ``deferred``; the next check after the
        refill registers it)."""
        granted, refused = await connector.budget.spend("registration", len(mine))
        return {} if refused is None else dict.fromkeys(list(mine)[granted:], refused)

    async def _rows(self, conn, source: str, keys: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
        if not keys:
            return []
        numbers = sorted({n for n, _ in keys})
        result = await conn.execute(
            select(regs).where(regs.c.source == source, regs.c.tracking_number.in_(numbers))
        )
        wanted = set(keys)
        return [r for r in result.all() if (r.tracking_number, r.courier_code) in wanted]

    async def _record(
        self, source: str, mine: Mapping[str, str], answered: Mapping[str, object], claim: str
    ) -> None:
        """The provider's answers, in one ``executemany`` of plain tuples for all of them
        (SQLAlchemy's per-row parameter processing cost more than the update itself)."""
        sqlite = not self.db.is_postgres
        now = DriverValues(sqlite=sqlite).row((self.clock(),))[0]
        rows = []
        for number, courier in mine.items():
            outcome = answered.get(number)
            if isinstance(outcome, BudgetExhausted):
                state, upstream_id, error = "deferred", None, str(outcome)[:500]
            elif isinstance(outcome, CourierError):
                state, upstream_id, error = "failed", None, str(outcome)[:500]
            else:
                state, upstream_id, error = "registered", outcome, None
            rows.append((now, state, upstream_id, error, source, number, courier, claim))
        for state, outcome in _COUNTED.items():
            counted = sum(row[1] == state for row in rows)
            if counted:
                metrics.REGISTRATIONS.labels(source, outcome).inc(counted)
        async with self.db.write() as conn:
            await execute_many(conn, _RECORD, rows, sqlite=sqlite)

    async def sweep(self, connectors: Mapping[str, UpstreamConnector]) -> int:
        """Stop every registration no subscribed, tracked tracker needs; how many stopped."""
        now, claim = self.clock(), str(uuid.uuid4())
        needed = exists().where(
            trackers.c.tracking_number == regs.c.tracking_number,
            trackers.c.is_subscribed,
            trackers.c.is_tracked,
        )
        async with self.db.write() as conn:
            await conn.execute(
                update(regs)
                .where(
                    regs.c.source.in_(sorted(connectors)),
                    or_(
                        regs.c.state == "registered",
                        and_(regs.c.state == "stopping", regs.c.updated_at < now - STALE_CLAIM),
                    ),
                    not_(needed),
                )
                .values(state="stopping", claim=claim, updated_at=now)
            )
            rows = (await conn.execute(select(regs).where(regs.c.claim == claim))).all()
        stopped = 0
        for row in rows:
            connector = connectors[row.source]
            registration = Registration(row.tracking_number, row.courier_code, row.upstream_id)
            try:
                await connector.unregister(registration)
            except CourierError as exc:
                log.warning(
                    "upstream stop failed",
                    extra={"source": row.source, "number": row.tracking_number, "error": str(exc)},
                )
                metrics.REGISTRATIONS.labels(row.source, "stop_error").inc()
                values = {"claim": None, "last_error": str(exc)[:500]}
            else:
                stopped += 1
                metrics.REGISTRATIONS.labels(row.source, "stopped").inc()
                values = {"state": "stopped", "claim": None, "stopped_at": self.clock()}
            async with self.db.write() as conn:
                await conn.execute(
                    update(regs)
                    .where(regs.c.id == row.id, regs.c.claim == claim)
                    .values(updated_at=self.clock(), **values)
                )
        return stopped

    async def mark_stopped(self, source: str, numbers: list[str]) -> None:
        """The provider says it stopped tracking these numbers (a push): register again when
        a tracker next needs them."""
        if not numbers:
            return
        async with self.db.write() as conn:
            await conn.execute(
                update(regs)
                .where(regs.c.source == source, regs.c.tracking_number.in_(numbers))
                .values(state="stopped", stopped_at=self.clock(), updated_at=self.clock())
            )

    async def registered(self, source: str, number: str) -> bool:
        """Whether ``number`` is registered (or being stopped) with ``source``."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(regs.c.id).where(
                        regs.c.source == source,
                        regs.c.tracking_number == number,
                        regs.c.state.in_(("registered", "stopping", "registering")),
                    )
                )
            ).first()
        return row is not None
