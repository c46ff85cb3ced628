"""The ASGI application: routes under /public/v1 and /v1, shared resources in a lifespan.

Resources live on ``app.state``: ``settings``, ``db`` (Database), ``http`` (the process's one
outbound aiohttp session), ``key_cache``, ``rate_limiter``, ``tracker_creator``, and the
engine hooks ``on_trackers_created`` / ``first_fetch`` (no-ops until an engine is attached).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

import aiohttp
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from shiptrack import __version__
from shiptrack.accounts.auth import KeyCache
from shiptrack.accounts.ratelimit import RateLimiter
from shiptrack.api import handlers, openapi
from shiptrack.api.deps import json_response
from shiptrack.api.middleware import ShiptrackMiddleware
from shiptrack.config import Settings, get_settings
from shiptrack.couriers.api import router as couriers_router
from shiptrack.db.engine import Database
from shiptrack.trackers.api import router as trackers_router
from shiptrack.trackers.creator import TrackerCreator

log = logging.getLogger("shiptrack")

PREFIXES = ("/public/v1", "/v1")

TrackerHook = Callable[[Sequence[str]], Awaitable[None]]


async def _no_op(_tracker_ids: Sequence[str]) -> None:
    return None


def api_router() -> APIRouter:
    router = APIRouter()
    router.include_router(trackers_router)
    router.include_router(couriers_router)
    return router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.database_url, pool_size=settings.database_pool_size)
        http = aiohttp.ClientSession(
            headers={"User-Agent": f"shiptrack/{__version__}"},
            connector=aiohttp.TCPConnector(limit=256, ttl_dns_cache=300),
        )
        state = app.state
        state.settings = settings
        state.db = db
        state.http = http
        state.key_cache = KeyCache()
        state.rate_limiter = RateLimiter(
            settings.rate_limit_overrides, enabled=settings.rate_limits_enabled
        )
        state.tracker_creator = TrackerCreator(db)
        state.on_trackers_created = _no_op
        state.first_fetch = _no_op
        try:
            yield
        finally:
            await http.close()
            await db.dispose()

    app = FastAPI(
        title="shiptrack",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    router = api_router()
    app.include_router(router, prefix=PREFIXES[0])
    app.include_router(router, prefix=PREFIXES[1], include_in_schema=False)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return json_response(b'{"status":"ok"}')

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> Response:
        try:
            await request.app.state.db.ping()
        except Exception as exc:
            log.warning("readiness check failed: %s", exc.__class__.__name__)
            return json_response(b'{"status":"unavailable","database":"unreachable"}', 503)
        return json_response(b'{"status":"ok","database":"ok"}')

    handlers.install(app)
    openapi.install(app)
    app.add_middleware(ShiptrackMiddleware, max_body_bytes=settings.max_body_bytes)
    return app
