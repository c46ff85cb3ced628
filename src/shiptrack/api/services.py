"""The process's services as handlers reach them: one frozen object, one accessor.

The composition root (``app.py``) builds one frozen ``Services`` object per app in its
lifespan — settings, database, the outbound HTTP session, the key cache and limiters, the
connectors and their coverage, the engine, the update sink, the webhook outbox and
dispatcher, the upstream sources — and stores it with :func:`install`. Nothing else lives on
``app.state``.

A handler asks for it with :func:`services`::

    db = services(request).db                          # what the HTTP kit knows: HttpServices
    engine = services(request, TrackerServices).engine  # a feature's own view

The kit sits below the features, so it cannot name their types; each feature declares the
part it reads as a ``Protocol`` next to its handlers (``TrackerServices`` in
``trackers/api.py``, ``WebhookServices`` in ``webhooks/endpoints/api.py``, …) and passes it
as ``view``. ``app.Services`` satisfies every view (``tests/api/test_services.py`` checks
each one listed in ``app.SERVICE_VIEWS``). A new page or feature that needs the database
only writes ``services(request).db``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload, runtime_checkable

from starlette.applications import Starlette
from starlette.requests import Request

from shiptrack.accounts.auth import KeyCache
from shiptrack.accounts.ratelimit import AuthFailureLimiter, RateLimiter
from shiptrack.config import Settings
from shiptrack.db.engine import Database

if TYPE_CHECKING:
    import aiohttp

V = TypeVar("V")


@runtime_checkable
class HttpServices(Protocol):
    """What every handler may use and the HTTP kit itself reads (``deps.authorize``)."""

    settings: Settings
    db: Database
    #: The process's one outbound aiohttp session.
    http: aiohttp.ClientSession
    key_cache: KeyCache
    rate_limiter: RateLimiter
    auth_failures: AuthFailureLimiter


def install(app: Starlette, built: object) -> None:
    """Make ``built`` (``app.Services``) the services of ``app``'s handlers."""
    app.state.services = built


@overload
def services(request: Request) -> HttpServices: ...


@overload
def services(request: Request, view: type[V]) -> V: ...


def services(request: Request, view: Any = HttpServices) -> Any:
    """The services of the app serving ``request``, seen as ``view`` (a feature's
    ``Protocol``; :class:`HttpServices` by default). Only a type for the reader and the type
    checker: nothing is looked up at run time but the one object."""
    return request.app.state.services
