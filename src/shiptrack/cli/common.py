"""Shared CLI plumbing: settings, an async runner, the rich console."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rich.console import Console

from shiptrack.config import Settings, get_settings
from shiptrack.db.engine import Database

T = TypeVar("T")

console = Console()
errors = Console(stderr=True)


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
