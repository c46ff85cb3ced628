"""Many rows at once, handed to the database driver as plain tuples.

SQLAlchemy's per-row parameter work (a parameter dictionary compiled per row, a bind
processor per value) was the largest cost of a bulk create (~60 µs a row) and of storing a
first check (its ~9 events, the shipment, the tracker's schedule). ``insert_rows`` and
``execute_many`` convert each value once, as its column's type would store it, and give the
driver one ``executemany``:

* on SQLite: timestamps as naive-UTC text (SQLAlchemy's storage format), dates in ISO form,
  booleans as 0/1, JSON as text;
* on PostgreSQL (asyncpg): JSON as text, everything else as it is.

Statements are plain SQL written once with ``?`` placeholders (``RawQuery``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Table, TypeDecorator

from shiptrack.db.engine import Connection, RawQuery

SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


class DriverValues:
    """Converts values for one dialect; a batch shares its timestamps, so each distinct one
    is formatted once."""

    def __init__(self, *, sqlite: bool) -> None:
        self._times: dict[dt.datetime, str] = {}
        self._convert: dict[type, Callable[[Any], Any]] = (
            {
                bool: int,
                dt.datetime: self.sqlite_time,
                dt.date: dt.date.isoformat,
                list: _json_text,
                dict: _json_text,
            }
            if sqlite
            else {list: _json_text, dict: _json_text}
        )

    def sqlite_time(self, value: dt.datetime) -> str:
        text = self._times.get(value)
        if text is None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            text = self._times[value] = value.astimezone(dt.UTC).strftime(SQLITE_TIME)
        return text

    def row(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """Values of known types converted by their type (statements written by hand)."""
        convert = self._convert
        return tuple(
            value if (to := convert.get(type(value))) is None else to(value) for value in values
        )


def _column_converter(
    column: Column[Any], values: DriverValues, *, sqlite: bool
) -> Callable[[Any], Any] | None:
    """How a value of ``column`` goes to the driver, from the column's type (a value of the
    wrong type is refused as SQLAlchemy would: a shipping date that is not a date fails)."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, JSON):
        return _json_text
    if isinstance(kind, DateTime):
        return values.sqlite_time if sqlite else aware
    if isinstance(kind, Date):
        return dt.date.isoformat if sqlite else None
    if isinstance(kind, Boolean):
        return int if sqlite else None
    return None


def aware(value: dt.datetime) -> dt.datetime:
    """``value`` itself, refused when naive (what a UTC column takes on PostgreSQL)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value


async def insert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    sqlite: bool,
    ignore_conflicts: bool = False,
) -> None:
    """``INSERT INTO table`` of ``rows`` (dictionaries with the same keys, column names),
    in one ``executemany``, each value converted as its column's type stores it;
    ``ignore_conflicts`` skips rows whose unique key exists."""
    if not rows:
        return
    columns = list(rows[0])
    values = DriverValues(sqlite=sqlite)
    converters = [_column_converter(table.c[name], values, sqlite=sqlite) for name in columns]
    driver_rows = [
        tuple(
            value if convert is None or value is None else convert(value)
            for value, convert in zip((row[c] for c in columns), converters, strict=True)
        )
        for row in rows
    ]
    query = RawQuery.of(
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    )
    await execute_many(conn, query, driver_rows, sqlite=sqlite)


async def execute_many(
    conn: Connection, query: RawQuery, rows: Sequence[tuple[Any, ...]], *, sqlite: bool
) -> None:
    """``query`` once per row of driver values (see ``driver_rows``)."""
    if rows:
        await conn.exec_driver_sql(query.sqlite if sqlite else query.postgres, list(rows))


async def in_transaction_driver(conn: Connection) -> Any:
    """The asyncpg connection under a PostgreSQL transaction (``Database.write``), for
    statements sent to asyncpg itself, inside that transaction. SQLAlchemy's adapter begins
    it with the block's first statement: when none has run yet, a trivial one does (asyncpg's
    own connection would otherwise run each statement outside it, committed alone)."""
    raw = await conn.get_raw_connection()  # type: ignore[attr-defined]
    driver = raw.driver_connection
    if not driver.is_in_transaction():
        await conn.exec_driver_sql("SELECT 1")
        if not driver.is_in_transaction():
            raise RuntimeError("the connection is in autocommit mode: no transaction to join")
    return driver
