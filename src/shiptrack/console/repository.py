"""All SQL of the console: its sessions and its CSV imports (``db/console_tables.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from shiptrack.db.console_tables import console_imports, console_sessions
from shiptrack.db.engine import Connection
from shiptrack.db.tables import accounts


async def insert_session(conn: Connection, values: dict[str, Any]) -> None:
    await conn.execute(insert(console_sessions).values(**values))


async def session(conn: Connection, token_hash: str, now: dt.datetime) -> Row[Any] | None:
    """The live session with this token hash, with its account's name."""
    query = (
        select(console_sessions, accounts.c.name.label("account_name"))
        .join(accounts, accounts.c.id == console_sessions.c.account_id)
        .where(console_sessions.c.token_hash == token_hash, console_sessions.c.expires_at > now)
    )
    return (await conn.execute(query)).first()


async def delete_session(conn: Connection, token_hash: str) -> None:
    await conn.execute(delete(console_sessions).where(console_sessions.c.token_hash == token_hash))


async def delete_expired_sessions(conn: Connection, now: dt.datetime) -> None:
    await conn.execute(delete(console_sessions).where(console_sessions.c.expires_at <= now))


async def insert_import(conn: Connection, values: dict[str, Any]) -> None:
    await conn.execute(insert(console_imports).values(**values))


async def update_import(conn: Connection, import_id: str, values: dict[str, Any]) -> None:
    await conn.execute(
        update(console_imports).where(console_imports.c.id == import_id).values(**values)
    )


async def get_import(conn: Connection, account_id: str, import_id: str) -> Row[Any] | None:
    query = select(console_imports).where(
        console_imports.c.id == import_id, console_imports.c.account_id == account_id
    )
    return (await conn.execute(query)).first()


async def recent_imports(conn: Connection, account_id: str, limit: int) -> list[Row[Any]]:
    query = (
        select(console_imports)
        .where(console_imports.c.account_id == account_id)
        .order_by(console_imports.c.created_at.desc())
        .limit(limit)
    )
    return list(await conn.execute(query))
