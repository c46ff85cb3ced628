"""The ASGI application — the composition root: routes under /public/v1 and /v1, and the
process's services, built once in the lifespan.

The services are one frozen :class:`Services` object, the only thing on ``app.state``
(``app.state.services``, put there by ``api.services.install``). Handlers reach it through
``api.services.services(request, View)``, each feature seeing it through the ``Protocol`` it
declares (:data:`SERVICE_VIEWS`); tests through :func:`services_of` and
:func:`replace_services`. The engine's loop runs in the process when ``engine_enabled`` (the
embedded default); its first fetches (``POST /trackers/track``) and lookups always do.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import gc
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp

from shiptrack import __version__
from shiptrack.accounts.auth import KeyCache
from shiptrack.accounts.ratelimit import AuthFailureLimiter, RateLimiter
from shiptrack.api.deps import json_response
from shiptrack.api.dispatch import ApiDispatch
from shiptrack.api.docs import docs_routes
from shiptrack.api.handlers import EXCEPTION_HANDLERS
from shiptrack.api.middleware import ShiptrackMiddleware
from shiptrack.api.openapi import build_document
from shiptrack.api.routing import IndexedRouter, Operation, starlette_routes
from shiptrack.api.schemas import ErrorEnvelope
from shiptrack.api.services import HttpServices, install, services
from shiptrack.config import Settings, get_settings, webhook_settings
from shiptrack.config_checks import SettingsConflict, courier_calls
from shiptrack.config_checks import check as check_settings
from shiptrack.console import web as console_web
from shiptrack.console.services import ConsoleView
from shiptrack.couriers.api import CourierServices
from shiptrack.couriers.api import router as couriers_router
from shiptrack.couriers.connectors.http import SESSION_CONNECTIONS
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.couriers.coverage import Coverage
from shiptrack.couriers.sources import installed_sources, load_connectors
from shiptrack.couriers.status_api import router as statuses_router
from shiptrack.db.engine import Database
from shiptrack.monitoring import exposition
from shiptrack.outbound import outbound_session
from shiptrack.pages import web as pages_web
from shiptrack.pages.api import router as pages_router
from shiptrack.sources.api import SourceServices
from shiptrack.sources.api import router as sources_router
from shiptrack.sources.runtime import SourcesRuntime
from shiptrack.trackers.api import TrackerServices
from shiptrack.trackers.api import router as trackers_router
from shiptrack.trackers.creator import TrackerCreator
from shiptrack.tracking.engine import Engine
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
from shiptrack.webhooks.delivery.hooks import OutboxSink
from shiptrack.webhooks.delivery.outbox import Outbox
from shiptrack.webhooks.endpoints.api import WebhookServices
from shiptrack.webhooks.endpoints.api import router as webhooks_router

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger("shiptrack")

PREFIXES = ("/public/v1", "/v1")


@dataclass(frozen=True, slots=True, kw_only=True)
class Services:
    """Everything a handler may use, built once per app in its lifespan."""

    settings: Settings
    db: Database
    #: The process's one outbound aiohttp session (connectors, webhook sends and probes),
    #: opened on its first use (``shiptrack.outbound``).
    http: aiohttp.ClientSession
    key_cache: KeyCache
    rate_limiter: RateLimiter
    auth_failures: AuthFailureLimiter
    tracker_creator: TrackerCreator
    connectors: ConnectorSet
    #: Which sources of this installation could track which couriers.
    coverage: Coverage
    engine: Engine
    #: The webhook outbox: its grouping window and its cache of accounts' webhooks.
    outbox: Outbox
    dispatcher: WebhookDispatcher
    #: The engine's hand-off to webhooks (``OutboxSink`` over ``outbox`` and ``dispatcher``).
    update_sink: OutboxSink
    #: Upstream registrations, push callbacks and the stop sweep.
    sources: SourcesRuntime


#: The protocols through which the HTTP kit and the features see :class:`Services`; it
#: satisfies every one (``tests/api/test_services.py``).
SERVICE_VIEWS: tuple[type, ...] = (
    HttpServices,
    CourierServices,
    TrackerServices,
    WebhookServices,
    SourceServices,
    ConsoleView,
)


def services_of(app: Starlette) -> Services:
    """The services of a started ``app`` (for tests; handlers use ``api.services.services``)."""
    found = app.state.services
    assert isinstance(found, Services), "the app's lifespan has not started"
    return found


def replace_services(app: Starlette, **changes: Any) -> Services:
    """Give a started ``app`` new services with ``changes`` (tests: another rate limiter,
    other webhook settings); the old ones are not closed."""
    changed = dataclasses.replace(services_of(app), **changes)
    install(app, changed)
    return changed


def operations() -> list[Operation]:
    """Every API operation, in matching order."""
    return [op for router in ROUTERS for op in router.operations]


ROUTERS = (
    trackers_router,
    webhooks_router,
    couriers_router,
    statuses_router,
    sources_router,
    pages_router,
)


def schema_models() -> list[type[BaseModel]]:
    """The wire models of the OpenAPI document: the shared error envelope, then each
    feature router's own (``<feature>/schemas.py``)."""
    return [ErrorEnvelope, *(model for router in ROUTERS for model in router.models)]


@functools.cache
def openapi_document() -> bytes:
    """The OpenAPI document (built once per process: generating the schemas takes ~50 ms)."""
    return orjson.dumps(build_document(operations(), PREFIXES[0], schema_models()))


async def healthz(request: Request) -> Response:
    return json_response(b'{"status":"ok"}')


async def metrics_endpoint(request: Request) -> Response:
    return Response(await exposition(), media_type=CONTENT_TYPE_LATEST)


async def readyz(request: Request) -> Response:
    try:
        await services(request).db.ping()
    except Exception as exc:
        log.warning("readiness check failed: %s", exc.__class__.__name__)
        return json_response(b'{"status":"unavailable","database":"unreachable"}', 503)
    return json_response(b'{"status":"ok","database":"ok"}')


def _shadows_api(routes: Sequence[BaseRoute]) -> bool:
    """Whether a route served before the API's mounts could match a path under them (a
    parameter first, or the prefixes' own first segments): then ``ApiDispatch`` must not
    answer ahead of it."""
    firsts = {prefix.split("/")[1] for prefix in PREFIXES}
    for route in routes:
        path = getattr(route, "path", None)
        first = path.split("/")[1] if isinstance(path, str) and path.startswith("/") else "{"
        if "{" in first or first in firsts:
            return True
    return False


class _App(Starlette):
    """Starlette with ``outermost`` (``ShiptrackMiddleware``) in place of Starlette's own
    outermost layer, ``ServerErrorMiddleware``: it answers unhandled exceptions itself, in the
    API's envelope, and serves the API's operations before Starlette's layers (decision 33)."""

    def __init__(self, *, outermost: Callable[[ASGIApp], ASGIApp], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outermost = outermost

    def build_middleware_stack(self) -> ASGIApp:
        handlers = {
            key: value
            for key, value in self.exception_handlers.items()
            if key not in (500, Exception)
        }
        return self.outermost(ExceptionMiddleware(self.router, handlers=handlers))


def create_app(
    settings: Settings | None = None, *, extra_routes: Sequence[BaseRoute] = ()
) -> Starlette:
    settings = settings or get_settings()
    ops = operations()
    document = openapi_document()

    async def openapi(request: Request) -> Response:
        return json_response(document)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = Database(
            settings.database_url,
            pool_size=settings.database_pool_size,
            read_pool_size=settings.database_read_pool_size,
            background_checkpoints=True,
        )
        http = outbound_session(
            headers={"User-Agent": f"shiptrack/{__version__}"},
            limit=SESSION_CONNECTIONS,
            ttl_dns_cache=300,
        )
        connectors = ConnectorSet(load_connectors(settings, http))
        hooks = webhook_settings(settings)
        try:
            check_settings(
                settings,
                hooks,
                courier_calls(settings, connectors.timeouts()),
                engine_runs=settings.engine_enabled,
            )
        except SettingsConflict as exc:
            log.error("%s", exc)
            await connectors.aclose()
            await http.close()
            await db.dispose()
            raise
        outbox = Outbox(hooks)
        dispatcher = WebhookDispatcher(db, http, hooks, outbox=outbox)
        sink = OutboxSink(outbox, dispatcher)
        engine = Engine(db, settings, connectors, sink=sink)
        built = Services(
            settings=settings,
            db=db,
            http=http,
            key_cache=KeyCache(seconds=settings.auth_cache_seconds),
            rate_limiter=RateLimiter(
                settings.rate_limit_overrides, enabled=settings.rate_limits_enabled
            ),
            auth_failures=AuthFailureLimiter(
                settings.auth_failure_limit, settings.auth_failure_window_seconds
            ),
            tracker_creator=TrackerCreator(db),
            connectors=connectors,
            coverage=Coverage(installed_sources(), (c.info for c in connectors.connectors)),
            engine=engine,
            outbox=outbox,
            dispatcher=dispatcher,
            update_sink=sink,
            sources=SourcesRuntime(db, connectors.connectors, engine.refresher),
        )
        install(app, built)
        # What startup built (modules, tables, settings, connectors: ~130,000 objects) lives
        # as long as the process; frozen, the collector's full passes stop walking it. They
        # cost a worker ~60 ms each under the push benchmark (6-9% of its CPU), ~20 ms
        # frozen (docs/benchmarks.md, push callbacks on PostgreSQL). Once per process (a
        # test process builds many apps), after a collection so no garbage is frozen.
        if settings.engine_enabled:
            built.sources.warm()  # before the freeze: what it loads lives as long
        if gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()
        tasks = []
        if settings.engine_enabled:
            tasks.append(asyncio.create_task(engine.run()))
            built.sources.start_sweeping()
        if hooks.dispatcher_enabled:
            tasks.append(asyncio.create_task(dispatcher.run()))
        try:
            yield
        finally:
            await built.tracker_creator.wait_idle()
            await engine.stop()
            await built.sources.stop()
            await dispatcher.stop()
            for task in tasks:
                await task
            await connectors.aclose()
            await http.close()
            await db.dispose()

    api_routes = starlette_routes(ops)
    front: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        Route("/openapi.json", openapi),
        *docs_routes(),
        *pages_web.routes(),
        *console_web.routes(),
        *extra_routes,
    ]
    routes: list[BaseRoute] = [
        *front,
        # No redirect to the path without its trailing slash (an empty 307 that clients
        # which don't re-POST take for an answer): the 404 names the right path instead.
        *(Mount(prefix, app=IndexedRouter(api_routes)) for prefix in PREFIXES),
    ]
    app = _App(
        lifespan=lifespan,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        outermost=functools.partial(
            ShiptrackMiddleware,
            max_body_bytes=settings.max_body_bytes,
            access_log=settings.access_log,
            # The API's operations in one dispatch; Starlette's routing for the rest.
            dispatch=ApiDispatch(
                operations=() if _shadows_api(front) else ops,
                prefixes=PREFIXES,
                handlers=EXCEPTION_HANDLERS,
            ),
        ),
    )
    app.router = IndexedRouter(routes, lifespan=lifespan)
    return app
