"""The upstream sources of one process: their registration book and the stop sweep.

``SourcesRuntime.start`` gives every upstream connector of the process the database-backed
book (so registrations are shared and survive restarts), its budgets in the database when the
operator set any (``sources.budgets``) and, when the engine runs here,
starts the sweep that stops registrations no tracker needs (every ``sweep_seconds``). The
callback endpoint reaches it as ``services(request, SourceServices).sources``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shiptrack.clock import utcnow
from shiptrack.couriers.connectors.aggregator import UpstreamConnector
from shiptrack.db.engine import Database
from shiptrack.sources.budgets import DatabaseBudget
from shiptrack.sources.push import PushBatcher
from shiptrack.sources.registrations import DatabaseBook
from shiptrack.tracking.refresh import Refresher

log = logging.getLogger("shiptrack.sources")


class SourcesSettings(BaseSettings):
    """Settings of the upstream sources as a whole (env prefix ``SHIPTRACK_SOURCES_``)."""

    model_config = SettingsConfigDict(
        env_prefix="SHIPTRACK_SOURCES_", env_file=".env", extra="ignore", frozen=True
    )

    sweep_seconds: float = Field(
        60.0,
        description="How often registrations no subscribed tracker needs are stopped with "
        "their provider (a stop call each), in seconds.",
    )


class SourcesRuntime:
    def __init__(
        self,
        db: Database,
        connectors: Iterable[object],
        refresher: Refresher,
        *,
        settings: SourcesSettings | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.refresher = refresher
        self.settings = settings or SourcesSettings()
        self.clock = clock
        self.book = DatabaseBook(db, clock=clock)
        self.upstreams: dict[str, UpstreamConnector] = {
            c.name: c for c in connectors if isinstance(c, UpstreamConnector)
        }
        for upstream in self.upstreams.values():
            upstream.book = self.book
            budget = DatabaseBudget(db, upstream.name, upstream._settings, clock=clock)
            if budget.configured():
                upstream.budget = budget
        #: Push callbacks are stored in batches (a group commit per source).
        self.pushes = PushBatcher(db, refresher, clock)
        self._task: asyncio.Task[None] | None = None

    def warm(self) -> None:
        """What the upstreams' first answers need, loaded now (``UpstreamConnector.warm``):
        where the engine runs, at start."""
        for upstream in self.upstreams.values():
            upstream.warm()

    def start_sweeping(self) -> None:
        if self.upstreams and self._task is None:
            self._task = asyncio.create_task(self._sweep_loop())

    async def _sweep_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.sweep_seconds)
            try:
                await self.sweep()
            except Exception:
                log.exception("upstream sweep failed")

    async def sweep(self) -> int:
        """Stop the registrations no tracker needs now; how many were stopped."""
        return await self.book.sweep(self.upstreams) if self.upstreams else 0

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
