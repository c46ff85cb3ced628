"""All SQL about accounts and API keys."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text, update

from shiptrack.db import prefixes
from shiptrack.db.engine import Connection
from shiptrack.db.tables import accounts, api_keys
from shiptrack.db.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    id: str
    account_id: str
    prefix: str
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


async def insert_account(conn: Connection, name: str, now: dt.datetime) -> Account:
    account = Account(id=str(uuid.uuid4()), name=name, created_at=now)
    await conn.execute(
        insert(accounts).values(id=account.id, name=name, created_at=now, tracker_count=0)
    )
    return account


async def insert_key(
    conn: Connection,
    account_id: str,
    key_hash: str,
    prefix: str,
    name: str,
    now: dt.datetime,
) -> ApiKeyInfo:
    info = ApiKeyInfo(str(uuid.uuid4()), account_id, prefix, name, now, None)
    await conn.execute(
        insert(api_keys).values(
            id=info.id,
            account_id=account_id,
            key_hash=key_hash,
            prefix=prefix,
            name=name,
            created_at=now,
        )
    )
    return info


_ACCOUNT_FOR_KEY = text(
    "SELECT a.id, a.name, a.created_at FROM api_keys k JOIN accounts a ON a.id = k.account_id "
    "WHERE k.key_hash = :key_hash AND k.revoked_at IS NULL"
).columns(created_at=UTCDateTime())


async def account_for_key_hash(conn: Connection, key_hash: str) -> Account | None:
    row = (await conn.execute(_ACCOUNT_FOR_KEY, {"key_hash": key_hash})).first()
    return Account(row.id, row.name, row.created_at) if row else None


async def count_accounts(conn: Connection) -> int:
    return int((await conn.execute(select(func.count()).select_from(accounts))).scalar_one())


async def list_accounts(conn: Connection) -> list[Account]:
    rows = await conn.execute(
        select(accounts.c.id, accounts.c.name, accounts.c.created_at).order_by(
            accounts.c.created_at
        )
    )
    return [Account(r.id, r.name, r.created_at) for r in rows]


async def find_account(conn: Connection, ref: str) -> Account | None:
    """An account by id, by exact name, or by a unique prefix of its id (raises
    ``AmbiguousPrefix`` when several ids start with ``ref``)."""
    columns = (accounts.c.id, accounts.c.name, accounts.c.created_at)
    exact = (accounts.c.id == ref) | (accounts.c.name == ref)
    row = (await conn.execute(select(*columns).where(exact))).first()
    if row is None and (account_id := await prefixes.expand(conn, accounts.c.id, ref)):
        row = (await conn.execute(select(*columns).where(accounts.c.id == account_id))).first()
    return Account(row.id, row.name, row.created_at) if row else None


async def list_keys(conn: Connection, account_id: str | None) -> list[ApiKeyInfo]:
    query = select(api_keys).order_by(api_keys.c.created_at)
    if account_id:
        query = query.where(api_keys.c.account_id == account_id)
    rows = await conn.execute(query)
    return [
        ApiKeyInfo(r.id, r.account_id, r.prefix, r.name, r.created_at, r.revoked_at) for r in rows
    ]


async def revoke_key(conn: Connection, ref: str, now: dt.datetime) -> ApiKeyInfo | None:
    """Revoke a key by id, display prefix or unique id prefix; returns it, or None if no
    active key matches."""
    active = api_keys.c.revoked_at.is_(None)
    ref = await prefixes.expand(conn, api_keys.c.id, ref, active) or prefixes.clean(ref)
    rows = (
        await conn.execute(
            select(api_keys).where(
                (api_keys.c.id == ref) | (api_keys.c.prefix == ref),
                api_keys.c.revoked_at.is_(None),
            )
        )
    ).all()
    if len(rows) != 1:
        return None
    row = rows[0]
    await conn.execute(update(api_keys).where(api_keys.c.id == row.id).values(revoked_at=now))
    return ApiKeyInfo(row.id, row.account_id, row.prefix, row.name, row.created_at, now)
