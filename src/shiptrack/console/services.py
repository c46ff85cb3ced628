"""What the console uses of the running application, read in one place.

Handlers call ``services(request)`` and never read ``request.app.state`` themselves, so the
console follows the composition root with one change here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from starlette.requests import Request

from shiptrack.accounts.auth import KeyCache
from shiptrack.accounts.ratelimit import AuthFailureLimiter
from shiptrack.config import Settings
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.couriers.coverage import Coverage
from shiptrack.db.engine import Database


@dataclass(frozen=True, slots=True)
class ConsoleServices:
    db: Database
    settings: Settings
    webhook_settings: WebhookSettings
    http: aiohttp.ClientSession
    key_cache: KeyCache
    auth_failures: AuthFailureLimiter
    connectors: ConnectorSet
    coverage: Coverage
    #: Wakes the engine for trackers just created.
    on_trackers_created: Callable[[Sequence[str]], Awaitable[None]]
    #: Tells this process's webhook dispatcher that messages are due now.
    wake_dispatcher: Callable[[], None]


def _no_wake() -> None:
    return None


def services(request: Request) -> ConsoleServices:
    state: Any = request.app.state
    dispatcher = getattr(state, "webhook_dispatcher", None)
    return ConsoleServices(
        db=state.db,
        settings=state.settings,
        webhook_settings=state.webhook_settings,
        http=state.http,
        key_cache=state.key_cache,
        auth_failures=state.auth_failures,
        connectors=state.connectors,
        coverage=state.coverage,
        on_trackers_created=state.on_trackers_created,
        wake_dispatcher=dispatcher.wake if dispatcher is not None else _no_wake,
    )
