"""A create finds the account's trackers with the same numbers through the number index,
whatever the table's statistics say.

Bulk loads fill ``trackers`` faster than it is analysed. On PostgreSQL the planner then
believed a growing account held a handful of rows and, given ``account_id = … AND
tracking_number IN (…)`` (or a lateral join, which it flattened into a hash join), read every
tracker of the account for each bulk create, under the account's lock: a load slowed from
~4,000 to ~500 trackers/s by 60,000 trackers. The statement now probes the number index once
per number. SQLite's planner takes the (account, number) index for the plain query, and the
(account, clientTrackerId) partial index once the query states that index's own terms (it
read every tracker of the account for a create with clientTrackerIds before).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, String, bindparam, text
from sqlalchemy.dialects import sqlite

from shiptrack.accounts.service import create_account
from shiptrack.db.engine import Database
from shiptrack.trackers import repository, service
from shiptrack.trackers.validation import TrackerInput


async def _plan(db: Database, statement: Any, params: dict[str, Any], values: str) -> str:
    async with db.read() as conn:
        if db.is_postgres:
            rows = await conn.execute(
                text("EXPLAIN " + statement.element.text).bindparams(
                    bindparam(values, type_=ARRAY(String))
                ),
                params,
            )
        else:
            sql = statement.params(**params).compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
            )
            rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in rows)


async def _load(db: Database, account_id: str, prefix: str, count: int) -> list[str]:
    """``count`` trackers, every other one with a clientTrackerId (``C`` + its number)."""
    numbers = [f"{prefix}{n:08d}" for n in range(count)]
    for start in range(0, count, 1_000):
        batch = [
            TrackerInput(tracking_number=n, client_tracker_id=f"C{n}" if i % 2 else None)
            for i, n in enumerate(numbers[start : start + 1_000], start)
        ]
        await service.create_many(db, account_id, list(batch))
    return numbers


async def test_existing_trackers_are_found_through_the_number_index(db: Database) -> None:
    first = (await create_account(db, "first")).account.id
    await _load(db, first, "FIRST", 2_000)
    if db.is_postgres:
        # Statistics taken before the next account grew, as when a load outruns autovacuum:
        # they say the new account holds no trackers.
        async with db.write() as conn:
            await conn.exec_driver_sql("ALTER TABLE trackers SET (autovacuum_enabled = false)")
            await conn.exec_driver_sql("ANALYZE trackers")
    second = (await create_account(db, "second")).account.id
    numbers = await _load(db, second, "PLAN", 6_000)
    wanted = numbers[1_000:1_100]
    client_ids = [f"C{n}" for n in numbers[3_001:3_101:2]]
    by_number = {"account_id": second, "numbers": wanted}
    by_client_id = {"account_id": second, "client_ids": client_ids}
    if db.is_postgres:
        plan = await _plan(db, repository._CANDIDATES_BY_NUMBER_POSTGRES, by_number, "numbers")
        assert "Index Scan using ix_trackers_tracking_number " in plan, plan
        # The number asked for is the index condition: one probe each.
        assert any("Index Cond" in line and "n.number" in line for line in plan.split("\n"))
        for wrong in ("ix_trackers_account_seq", "Seq Scan on trackers", "Hash"):
            assert wrong not in plan, plan
    else:
        plan = await _plan(db, repository._CANDIDATES_BY_NUMBER, by_number, "numbers")
        assert "ix_trackers_account_tracking_number" in plan, plan
        plan = await _plan(db, repository._CANDIDATES_BY_CLIENT_ID, by_client_id, "client_ids")
        assert "ix_trackers_account_client_tracker_id" in plan, plan

    async with db.read() as conn:
        by_client = await repository.subscribed_candidates(
            conn, second, [], [*client_ids, "CFIRST00000001"], postgres=db.is_postgres
        )
    assert [row.client_tracker_id for row in by_client] == client_ids
    async with db.read() as conn:
        found = await repository.subscribed_candidates(
            conn, second, [*wanted, "FIRST00000001"], [], postgres=db.is_postgres
        )
    # Only the account's own trackers, in creation order: the first account's tracker of a
    # number asked for is not the second's.
    assert [row.tracking_number for row in found] == wanted
    assert {row.account_id for row in found} == {second}


async def test_a_number_another_account_tracks_is_not_a_candidate(db: Database) -> None:
    first = (await create_account(db, "first")).account.id
    second = (await create_account(db, "second")).account.id
    [one] = await service.create_many(db, first, [TrackerInput(tracking_number="SHARED12345")])
    [two] = await service.create_many(db, second, [TrackerInput(tracking_number="SHARED12345")])
    assert one.created
    assert two.created
    assert one.row.id != two.row.id
    [again] = await service.create_many(db, second, [TrackerInput(tracking_number="SHARED12345")])
    assert not again.created
    assert again.row.id == two.row.id
