"""Budgets in the database, on SQLite and PostgreSQL: two processes' budgets (two
``Database`` engines on one database) never spend more than the limit together, say when
they refill, and refill in the next window."""

from __future__ import annotations

import asyncio
import datetime as dt

from shiptrack.couriers.connectors.aftership.settings import AfterShipSettings
from shiptrack.db.engine import Database
from shiptrack.sources.budgets import DatabaseBudget


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _settings(**budgets: int) -> AfterShipSettings:
    return AfterShipSettings(_env_file=None, api_key="k", **budgets)  # type: ignore[call-arg]


async def test_two_processes_share_one_registration_budget(database_url):
    clock = Clock(dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC))
    settings = _settings(registrations_per_day=10, registrations_per_month=25)
    first, second = Database(database_url), Database(database_url)
    try:
        budgets = [DatabaseBudget(db, "aftership", settings, clock=clock) for db in (first, second)]
        answers = await asyncio.gather(*(budgets[i % 2].spend("registration", 3) for i in range(6)))
        assert sum(granted for granted, _ in answers) == 10
        refused = [r for _, r in answers if r is not None]
        assert refused, "the day's budget ran out"
        assert refused[0].budget == "registrations_day"
        assert refused[0].retry_after == 90 * 60  # to midnight UTC
        granted, again = await budgets[1].spend("registration", 1)
        assert granted == 0
        assert again is not None

        # The next day refills the day's budget; the month's still counts what was spent.
        clock.now += dt.timedelta(days=1)
        granted, refusal = await budgets[0].spend("registration", 20)
        assert granted == 10
        assert refusal is not None
        assert refusal.budget == "registrations_day"
        clock.now += dt.timedelta(days=1)
        granted, refusal = await budgets[1].spend("registration", 20)
        assert granted == 5, "25 a month: 10 + 10 spent"
        assert refusal is not None
        assert refusal.budget == "registrations_month"
        assert (
            refusal.retry_after
            == (dt.datetime(2027, 1, 1, tzinfo=dt.UTC) - clock.now).total_seconds()
        )
    finally:
        await first.dispose()
        await second.dispose()


async def test_calls_per_minute_refill_each_minute(database_url):
    clock = Clock(dt.datetime(2026, 12, 6, 22, 30, 45, tzinfo=dt.UTC))
    db = Database(database_url)
    try:
        budget = DatabaseBudget(db, "aftership", _settings(calls_per_minute=2), clock=clock)
        assert await budget.spend("call") == (1, None)
        assert await budget.spend("call") == (1, None)
        granted, refusal = await budget.spend("call")
        assert granted == 0
        assert refusal is not None
        assert refusal.courier_wide, "a spent call budget holds back every call"
        assert refusal.retry_after == 15
        assert await budget.spend("registration", 5) == (5, None), "no registration budget"
        clock.now += dt.timedelta(seconds=15)
        assert await budget.spend("call") == (1, None)
    finally:
        await db.dispose()
