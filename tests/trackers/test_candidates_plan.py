"""A create finds the account's trackers with the same number through an index on the
number, whatever the table's statistics say.

Bulk loads fill ``trackers`` faster than autovacuum analyses it. On PostgreSQL, with
``account_id = … AND tracking_number IN (…)`` the planner then went by the account's index
(or scanned the table) and read every tracker of the account for each bulk create, under
the account's lock (a bulk load slowed from ~2,300 to ~500 trackers/s by 70,000 trackers);
the statement now looks each number up (a lateral join). SQLite's planner takes the
(account, number) index for the plain query.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, String, bindparam, text
from sqlalchemy.dialects import sqlite

from shiptrack.accounts.service import create_account
from shiptrack.db.engine import Database
from shiptrack.trackers import repository, service
from shiptrack.trackers.validation import TrackerInput

TRACKERS = 6_000


async def _plan(db: Database, statement: Any, params: dict[str, Any]) -> str:
    async with db.read() as conn:
        if db.is_postgres:
            rows = await conn.execute(
                text("EXPLAIN " + statement.element.text).bindparams(
                    bindparam("numbers", type_=ARRAY(String))
                ),
                params,
            )
        else:
            sql = statement.params(**params).compile(
                dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
            )
            rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in rows)


async def test_existing_trackers_are_found_through_the_number_index(db: Database) -> None:
    account_id = (await create_account(db, "bulk")).account.id
    numbers = [f"PLAN{n:08d}" for n in range(TRACKERS)]
    for start in range(0, TRACKERS, 1_000):
        batch = [TrackerInput(tracking_number=n) for n in numbers[start : start + 1_000]]
        await service.create_many(db, account_id, list(batch))
    if db.is_postgres:
        # Statistics as a table filling faster than autovacuum leaves them: none.
        async with db.write() as conn:
            await conn.exec_driver_sql("ALTER TABLE trackers SET (autovacuum_enabled = false)")
    wanted = numbers[1_000:1_100]
    params = {"account_id": account_id, "numbers": wanted}
    if db.is_postgres:
        plan = await _plan(db, repository._CANDIDATES_BY_NUMBER_POSTGRES, params)
        assert "Index" in plan, plan
        assert "ix_trackers_account_seq" not in plan, plan
        assert "Seq Scan on trackers" not in plan, plan
    else:
        plan = await _plan(db, repository._CANDIDATES_BY_NUMBER, params)
        assert "ix_trackers_account_tracking_number" in plan, plan

    async with db.read() as conn:
        found = await repository.subscribed_candidates(
            conn, account_id, wanted, [], postgres=db.is_postgres
        )
    assert sorted(row.tracking_number for row in found) == wanted
