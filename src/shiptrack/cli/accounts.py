"""``shiptrack accounts`` and ``shiptrack keys``: accounts and their API keys."""

from __future__ import annotations

import typer
from rich.table import Table

from shiptrack.accounts import service
from shiptrack.cli import pages as pages_cli
from shiptrack.cli.common import console, errors, run
from shiptrack.clock import format_timestamp

accounts_app = typer.Typer(help="Accounts: each has its own trackers, keys and webhook.")
keys_app = typer.Typer(help="API keys (apik_…): shown once at creation, stored hashed.")


def _fail(exc: service.AccountError) -> typer.Exit:
    errors.print(f"[red]error:[/red] {exc}")
    return typer.Exit(1)


@accounts_app.command("create")
def create_account(
    name: str, key_name: str = typer.Option("Default", help="Name of its key")
) -> None:
    """Create an account and print its first API key (shown only this once)."""
    try:
        new = run(lambda db, _s: service.create_account(db, name, key_name))
    except service.AccountError as exc:
        raise _fail(exc) from None
    console.print(f"Account [bold]{new.account.name}[/bold] ({new.account.id})")
    console.print("API key (store it now, it is not shown again):")
    print(new.key)


@accounts_app.command("list")
def list_accounts() -> None:
    """List accounts."""
    rows = run(lambda db, _s: service.list_accounts(db))
    table = Table("id", "name", "created")
    for account in rows:
        table.add_row(account.id, account.name, format_timestamp(account.created_at))
    console.print(table)


@keys_app.command("create")
def create_key(
    account: str = typer.Argument(help="Account name, id, or a unique prefix of its id"),
    name: str = typer.Option("API key", help="A label for the key"),
) -> None:
    """Issue a new API key for an account and print it once."""
    try:
        new = run(lambda db, _s: service.create_key(db, account, name))
    except service.AccountError as exc:
        raise _fail(exc) from None
    console.print(f"Key {new.info.id} ({new.info.prefix}…) for {new.account.name}:")
    print(new.key)


@keys_app.command("list")
def list_keys(
    account: str | None = typer.Argument(
        None, help="Account name, id, or a unique prefix of its id"
    ),
) -> None:
    """List keys (prefix only: keys are never shown again)."""
    try:
        rows = run(lambda db, _s: service.list_keys(db, account))
    except service.AccountError as exc:
        raise _fail(exc) from None
    table = Table("id", "prefix", "name", "account", "created", "revoked")
    for info, owner in rows:
        table.add_row(
            info.id,
            info.prefix + "…",
            info.name,
            owner.name,
            format_timestamp(info.created_at),
            format_timestamp(info.revoked_at) if info.revoked_at else "",
        )
    console.print(table)


@keys_app.command("revoke")
def revoke_key(
    key: str = typer.Argument(help="Key id (or a unique prefix of it), or its displayed prefix"),
) -> None:
    """Revoke a key: requests with it fail with 401 (within 10 s on other processes)."""
    try:
        info = run(lambda db, _s: service.revoke_key(db, key))
    except service.AccountError as exc:
        raise _fail(exc) from None
    console.print(f"Revoked key {info.id} ({info.prefix}…).")


accounts_app.command("branding")(pages_cli.branding)
