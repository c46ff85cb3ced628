"""Account and API-key rules: creation, the first-run default account, revocation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shiptrack.accounts import keys, repository
from shiptrack.accounts.repository import Account, ApiKeyInfo
from shiptrack.clock import utcnow
from shiptrack.db.engine import Connection, Database

#: Ship24 allows 20 active keys per account; so do we.
MAX_ACTIVE_KEYS = 20


class AccountError(Exception):
    """A CLI-level problem with an account or key (unknown name, too many keys…)."""


@dataclass(frozen=True, slots=True)
class NewKey:
    """A freshly issued key: ``key`` is shown once and never stored."""

    account: Account
    info: ApiKeyInfo
    key: str


async def create_account(db: Database, name: str, key_name: str = "Default") -> NewKey:
    name = name.strip()
    if not name:
        raise AccountError("an account needs a name")
    async with db.write() as conn:
        if await repository.find_account(conn, name):
            raise AccountError(f"an account named {name!r} exists already")
        now = utcnow()
        account = await repository.insert_account(conn, name, now)
        return await _issue(conn, account, key_name, now)


async def ensure_default_account(db: Database) -> NewKey | None:
    """On an empty database, create the ``default`` account and its key; else do nothing."""
    async with db.write() as conn:
        if await repository.count_accounts(conn):
            return None
        now = utcnow()
        account = await repository.insert_account(conn, "default", now)
        return await _issue(conn, account, "Default", now)


async def create_key(db: Database, account_ref: str, key_name: str = "API key") -> NewKey:
    async with db.write() as conn:
        account = await repository.find_account(conn, account_ref)
        if account is None:
            raise AccountError(f"no account with id or name {account_ref!r}")
        active = [k for k in await repository.list_keys(conn, account.id) if not k.revoked_at]
        if len(active) >= MAX_ACTIVE_KEYS:
            raise AccountError(
                f"account {account.name!r} has {MAX_ACTIVE_KEYS} active keys; revoke one first"
            )
        return await _issue(conn, account, key_name, utcnow())


async def _issue(conn: Connection, account: Account, key_name: str, now: dt.datetime) -> NewKey:
    key = keys.generate_key()
    info = await repository.insert_key(
        conn, account.id, keys.hash_key(key), keys.display_prefix(key), key_name, now
    )
    return NewKey(account, info, key)


async def list_keys(db: Database, account_ref: str | None) -> list[tuple[ApiKeyInfo, Account]]:
    async with db.read() as conn:
        accounts = {a.id: a for a in await repository.list_accounts(conn)}
        account_id = None
        if account_ref:
            account = await repository.find_account(conn, account_ref)
            if account is None:
                raise AccountError(f"no account with id or name {account_ref!r}")
            account_id = account.id
        return [(k, accounts[k.account_id]) for k in await repository.list_keys(conn, account_id)]


async def revoke_key(db: Database, ref: str) -> ApiKeyInfo:
    async with db.write() as conn:
        info = await repository.revoke_key(conn, ref, utcnow())
    if info is None:
        raise AccountError(f"no single active key with id or prefix {ref!r}")
    return info


async def list_accounts(db: Database) -> list[Account]:
    async with db.read() as conn:
        return await repository.list_accounts(conn)
