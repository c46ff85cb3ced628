"""Shared CLI plumbing: settings, an async runner, the rich console."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer
from rich.console import Console

from shiptrack.config import Settings, get_settings
from shiptrack.config_checks import SettingsConflict
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


def run(main: Callable[[Database, Settings], Awaitable[T]]) -> T:
    """Run ``main(db, settings)`` on a fresh event loop with a migrated database."""
    settings = get_settings()

    async def runner() -> T:
        from shiptrack.db.migrate import upgrade

        if settings.auto_migrate:
            await upgrade(settings.database_url)
        db = Database(settings.database_url, pool_size=2)
        try:
            return await main(db, settings)
        finally:
            await db.dispose()

    return asyncio.run(runner())
