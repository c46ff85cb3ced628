"""Shared CLI plumbing: settings, an async runner, the rich console."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console

from shiptrack.config import Settings, get_settings
from shiptrack.config_checks import SettingsConflict

if TYPE_CHECKING:  # the database layer is imported by the commands that use it, when run
    from shiptrack.db.engine import Database

T = TypeVar("T")

console = Console()
errors = Console(stderr=True)


@contextmanager
def exit_on_conflict() -> Iterator[None]:
    """Settings that contradict each other: print what to change and exit with status 2."""
    try:
        yield
    except SettingsConflict as exc:
        # Plain stderr, not the rich console: the lines must not be re-wrapped.
        print(exc, file=sys.stderr, flush=True)
        raise typer.Exit(2) from None


async def prepared_database(settings: Settings, pool_size: int = 2) -> Database:
    """The database, migrated first when it is behind and ``auto_migrate`` is on (Alembic is
    loaded only then: a current database costs one query)."""
    from shiptrack.db.engine import Database
    from shiptrack.db.schema import is_current

    db = Database(settings.database_url, pool_size=pool_size)
    if settings.auto_migrate and not await is_current(db):
        from shiptrack.db.migrate import upgrade

        await upgrade(settings.database_url)
    return db


def run(main: Callable[[Database, Settings], Awaitable[T]]) -> T:
    """Run ``main(db, settings)`` on a fresh event loop with a migrated database."""
    from shiptrack.db.prefixes import AmbiguousPrefix

    settings = get_settings()

    async def runner() -> T:
        db = await prepared_database(settings)
        try:
            return await main(db, settings)
        finally:
            await db.dispose()

    try:
        return asyncio.run(runner())
    except AmbiguousPrefix as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
