"""All SQL of tracking pages: links (by tracker, by token hash) and account branding."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from shiptrack.db.engine import Connection
from shiptrack.db.page_tables import page_brandings, page_links


async def link_of_tracker(conn: Connection, tracker_id: str) -> Row[Any] | None:
    query = select(page_links).where(page_links.c.tracker_id == tracker_id)
    return (await conn.execute(query)).first()


async def link_by_hash(conn: Connection, token_hash: str) -> Row[Any] | None:
    query = select(page_links).where(page_links.c.token_hash == token_hash)
    return (await conn.execute(query)).first()


async def put_link(
    conn: Connection,
    *,
    tracker_id: str,
    account_id: str,
    token: str,
    token_hash: str,
    now: dt.datetime,
    replace: bool,
) -> None:
    """Store the tracker's link; ``replace`` removes an earlier one first (a rotation).
    Without it, a link made meanwhile by another request fails the insert (primary key)."""
    if replace:
        await conn.execute(delete(page_links).where(page_links.c.tracker_id == tracker_id))
    await conn.execute(
        insert(page_links).values(
            tracker_id=tracker_id,
            account_id=account_id,
            token=token,
            token_hash=token_hash,
            created_at=now,
        )
    )


async def delete_link(conn: Connection, tracker_id: str) -> bool:
    result = await conn.execute(delete(page_links).where(page_links.c.tracker_id == tracker_id))
    return bool(result.rowcount)


async def branding(conn: Connection, account_id: str) -> Row[Any] | None:
    query = select(page_brandings).where(page_brandings.c.account_id == account_id)
    return (await conn.execute(query)).first()


async def put_branding(conn: Connection, account_id: str, values: dict[str, Any]) -> None:
    """Replace the account's branding with ``values`` (column → value)."""
    exists = await branding(conn, account_id)
    if exists is None:
        await conn.execute(insert(page_brandings).values(account_id=account_id, **values))
    else:
        where = page_brandings.c.account_id == account_id
        await conn.execute(update(page_brandings).where(where).values(**values))
