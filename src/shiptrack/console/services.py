"""What the console uses of the running application, read in one place.

Handlers call ``services(request)`` and never read the app's services themselves, so the
console follows the composition root with one change here: it reads the one frozen
``Services`` object through the HTTP kit's accessor (``api/services.py``), seen as
:class:`ConsoleView`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from starlette.requests import Request

from shiptrack.accounts.auth import KeyCache
from shiptrack.accounts.ratelimit import AuthFailureLimiter
from shiptrack.api import services as app_services
from shiptrack.config import Settings
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.couriers.coverage import Coverage
from shiptrack.db.engine import Database
from shiptrack.tracking.engine import Engine
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
from shiptrack.webhooks.delivery.outbox import Outbox

if TYPE_CHECKING:
    import aiohttp


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
    #: Tells this process's webhook dispatcher that messages are due now (call it once the
    #: transaction that queued them has committed).
    wake_dispatcher: Callable[[], None]
    #: Makes this process's webhook outbox forget an account's cached webhook (after a save).
    forget_webhook: Callable[[str], None]


@runtime_checkable
class ConsoleView(Protocol):
    """What the console reads of the app's services (``app.Services``)."""

    settings: Settings
    db: Database
    http: aiohttp.ClientSession
    key_cache: KeyCache
    auth_failures: AuthFailureLimiter
    connectors: ConnectorSet
    coverage: Coverage
    engine: Engine
    outbox: Outbox
    dispatcher: WebhookDispatcher


def services(request: Request) -> ConsoleServices:
    found = app_services.services(request, ConsoleView)
    return ConsoleServices(
        db=found.db,
        settings=found.settings,
        webhook_settings=found.settings.webhook,
        http=found.http,
        key_cache=found.key_cache,
        auth_failures=found.auth_failures,
        connectors=found.connectors,
        coverage=found.coverage,
        on_trackers_created=found.engine.on_trackers_created,
        wake_dispatcher=found.dispatcher.wake,
        forget_webhook=found.outbox.invalidate,
    )
