"""Rows handed to the driver as plain tuples (``db/driver.py``) and hot reads on the driver
(``Database.fetch_first``) read back exactly as SQLAlchemy's own statements, on both
databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from shiptrack.db.driver import in_transaction_driver, insert_rows
from shiptrack.db.engine import RawQuery
from shiptrack.db.tables import accounts, trackers

NOW = dt.datetime(2026, 12, 6, 23, 1, 2, 345678, tzinfo=dt.UTC)


def _tracker(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "00000000-0000-4000-8000-000000000001",
        "account_id": "acct",
        "account_seq": 1,
        "tracking_number": "DRIVER0001",
        "client_tracker_id": None,
        "shipping_date": dt.date(2026, 12, 1),
        "courier_codes": ["dhl", "ups"],
        "restrict_to_courier": False,
        "is_subscribed": True,
        "is_tracked": True,
        "created_at": NOW,
        "updated_at": NOW,
        "shipment_id": "00000000-0000-4000-8000-000000000002",
    }
    row.update(changes)
    return row


async def _account(db) -> None:
    async with db.write() as conn:
        await conn.execute(
            accounts.insert().values(id="acct", name="driver", created_at=NOW, tracker_count=0)
        )


async def test_inserted_rows_read_back_as_sqlalchemy_wrote_them(db):
    await _account(db)
    await _insert(db, _tracker())
    async with db.read() as conn:
        row = (await conn.execute(select(trackers))).one()
    assert row.courier_codes == ["dhl", "ups"]
    assert row.shipping_date == dt.date(2026, 12, 1)
    assert row.created_at == NOW
    assert row.is_subscribed is True
    assert row.restrict_to_courier is False
    assert row.client_tracker_id is None


async def _insert(db, row: dict[str, object]) -> None:
    async with db.write() as conn:
        await insert_rows(conn, trackers, [row], sqlite=not db.is_postgres)


async def test_a_value_its_column_refuses_fails_the_insert(db):
    await _account(db)
    with pytest.raises(Exception):  # noqa: B017, PT011 — each driver names it differently
        await _insert(db, _tracker(shipping_date="not a date"))
    with pytest.raises(ValueError, match="naive"):
        await _insert(db, _tracker(created_at=NOW.replace(tzinfo=None)))
    async with db.read() as conn:
        assert (await conn.execute(select(trackers))).all() == []


async def test_fetch_first_reads_the_latest_commit_and_none_when_nothing_matches(db):
    await _account(db)
    query = RawQuery.of("SELECT tracking_number, account_seq FROM trackers WHERE id = ?")
    assert query.postgres.endswith("WHERE id = $1")
    key = ("00000000-0000-4000-8000-000000000001",)
    assert await db.fetch_first(query, key) is None
    await _insert(db, _tracker())
    assert tuple(await db.fetch_first(query, key)) == ("DRIVER0001", 1)
    async with db.write() as conn:
        await conn.exec_driver_sql("UPDATE trackers SET account_seq = 2")
    assert tuple(await db.fetch_first(query, key)) == ("DRIVER0001", 2)


class _Abandoned(Exception):
    pass


async def test_asyncpg_itself_writes_inside_the_write_transaction(db):
    """``in_transaction_driver``, before or after the block's first statement: what asyncpg
    writes is rolled back with the transaction (and committed with it)."""
    if not db.is_postgres:
        pytest.skip("asyncpg is PostgreSQL's driver")
    await _account(db)
    rename = "UPDATE accounts SET name = $1 WHERE id = 'acct'"

    async def abandoned() -> None:
        async with db.write() as conn:
            await (await in_transaction_driver(conn)).execute(rename, "renamed")
            raise _Abandoned

    with pytest.raises(_Abandoned):
        await abandoned()
    async with db.read() as conn:
        names = await conn.execute(select(accounts.c.name))
        assert names.scalar_one() == "driver"
    async with db.write() as conn:
        await conn.exec_driver_sql("SELECT 1")
        await (await in_transaction_driver(conn)).execute(rename, "renamed")
    async with db.read() as conn:
        assert (await conn.execute(select(accounts.c.name))).scalar_one() == "renamed"
