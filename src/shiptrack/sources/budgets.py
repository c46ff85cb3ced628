"""The operator's budgets per upstream source, kept in the database so that every process
(two workers, an API process registering on create) spends from the same one.

A source's settings name its budgets (``SHIPTRACK_<SOURCE>_REGISTRATIONS_PER_DAY``,
``…_REGISTRATIONS_PER_MONTH``, ``…_CALLS_PER_MINUTE``; 0 means none). Each budget counts in
UTC windows — the day, the calendar month, the minute — one row per (source, budget, period)
in ``source_budget_usage``. ``spend`` takes what it may in one write transaction: the rows
are created if missing (``ON CONFLICT DO NOTHING``), locked (PostgreSQL ``FOR UPDATE``;
SQLite's write transaction holds the whole database), read, and raised by what was granted —
two processes never spend the same unit. A registration spends from the day's and the
month's budget at once.

What it cannot grant, ``spend`` answers with a ``BudgetExhausted`` carrying the seconds until the
exhausted window ends: the engine schedules the tracker's next check then (no loop in
between) and its diagnostics say which budget it waits for. Without any budget configured a
source never touches these rows (``Unlimited``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from shiptrack.clock import utcnow
from shiptrack.couriers.connectors.carrier_settings import UpstreamSettings
from shiptrack.couriers.connectors.protocol import BudgetExhausted
from shiptrack.db.engine import Database
from shiptrack.db.source_tables import source_budget_usage as usage
from shiptrack.sources import metrics

log = logging.getLogger("shiptrack.sources")


@dataclass(frozen=True, slots=True)
class Window:
    """One budget's current window: its key, its limit, and when it ends."""

    budget: str
    key: str
    limit: int
    ends: dt.datetime


def _month_after(now: dt.datetime) -> dt.datetime:
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def windows(settings: UpstreamSettings, kind: str, now: dt.datetime) -> list[Window]:
    """The budgets ``kind`` (``registration`` or ``call``) spends from, at ``now`` (UTC)."""
    now = now.astimezone(dt.UTC)
    found: list[Window] = []
    if kind == "registration":
        if settings.registrations_per_day:
            day = dt.datetime(now.year, now.month, now.day, tzinfo=dt.UTC)
            found.append(
                Window(
                    "registrations_day",
                    day.strftime("%Y-%m-%d"),
                    settings.registrations_per_day,
                    day + dt.timedelta(days=1),
                )
            )
        if settings.registrations_per_month:
            found.append(
                Window(
                    "registrations_month",
                    now.strftime("%Y-%m"),
                    settings.registrations_per_month,
                    _month_after(now),
                )
            )
    elif kind == "call" and settings.calls_per_minute:
        minute = now.replace(second=0, microsecond=0)
        found.append(
            Window(
                "calls_minute",
                minute.strftime("%Y-%m-%dT%H:%M"),
                settings.calls_per_minute,
                minute + dt.timedelta(minutes=1),
            )
        )
    return found


class DatabaseBudget:
    """One source's budgets in the database (see the module docstring)."""

    def __init__(
        self,
        db: Database,
        source: str,
        settings: UpstreamSettings,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.source = source
        self.settings = settings
        self.clock = clock

    def configured(self) -> bool:
        s = self.settings
        return bool(s.registrations_per_day or s.registrations_per_month or s.calls_per_minute)

    async def spend(self, kind: str, count: int = 1) -> tuple[int, BudgetExhausted | None]:
        now = self.clock()
        current = windows(self.settings, kind, now)
        if not current or count <= 0:
            return count, None
        keys = [(w.budget, w.key) for w in current]
        async with self.db.write() as conn:
            await conn.execute(
                (postgresql if self.db.is_postgres else sqlite)
                .insert(usage)
                .values([{"source": self.source, "budget": b, "period": k} for b, k in keys])
                .on_conflict_do_nothing()
            )
            query = select(usage.c.budget, usage.c.used).where(
                usage.c.source == self.source,
                or_(*(and_(usage.c.budget == b, usage.c.period == k) for b, k in keys)),
            )
            if self.db.is_postgres:
                query = query.with_for_update()
            used = {row.budget: row.used for row in await conn.execute(query)}
            left = {w.budget: max(0, w.limit - used.get(w.budget, 0)) for w in current}
            granted = min(count, *left.values())
            if granted:
                for budget, key in keys:
                    await conn.execute(
                        update(usage)
                        .where(
                            usage.c.source == self.source,
                            usage.c.budget == budget,
                            usage.c.period == key,
                        )
                        .values(used=usage.c.used + granted)
                    )
        for window in current:
            remaining = left[window.budget] - granted
            metrics.BUDGET_REMAINING.labels(self.source, window.budget).set(remaining)
        if granted == count:
            return granted, None
        spent = [w for w in current if left[w.budget] - granted <= 0]
        window = max(spent, key=lambda w: w.ends)
        wait = max(1.0, (window.ends - now).total_seconds())
        metrics.BUDGET_EXHAUSTED.labels(self.source, window.budget).inc()
        log.warning(
            "source budget exhausted",
            extra={
                "source": self.source,
                "budget": window.budget,
                "limit": window.limit,
                "refills_in_s": round(wait),
            },
        )
        return granted, BudgetExhausted(
            f"{self.source}: {window.budget} budget of {window.limit} spent; refills at "
            f"{window.ends.strftime('%Y-%m-%dT%H:%M:%SZ')}",
            budget=window.budget,
            retry_after=wait,
            courier_wide=kind == "call",
            refills_at=window.ends,
        )
