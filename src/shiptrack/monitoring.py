"""Metrics exposition and the health/metrics listener of processes without the API.

Every process exports the engine's, the dispatcher's and the API's metrics:

* ``shiptrack serve`` with one worker: ``GET /metrics`` on the API port, from the process's
  own registry;
* ``shiptrack serve --workers N``: the supervisor gives its workers a fresh directory in
  ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode), each worker writes its
  samples there, and ``GET /metrics`` — whichever worker answers — reports all of them
  together (counters summed; workers that died keep their counts);
* ``shiptrack worker --metrics-port P``: ``/metrics``, ``/healthz`` and ``/readyz`` on a
  small listener of its own (``StatusServer``).

A scrape reads metric values only: gauges that need the database (the due backlog) are kept
up to date by the engine in the background, never counted per scrape.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from shiptrack.db.engine import Database

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger("shiptrack.monitoring")

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def _collect() -> bytes:
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


async def exposition() -> bytes:
    """The metrics in Prometheus' text format. Read in a thread: in multiprocess mode it
    reads every worker's file, which must not hold up the event loop."""
    if os.environ.get(MULTIPROCESS_DIR):
        return await asyncio.to_thread(_collect)
    return _collect()


class StatusServer:
    """``/metrics``, ``/healthz`` and ``/readyz`` on ``host:port`` (aiohttp, on the running
    event loop), for processes that serve no API."""

    def __init__(self, db: Database, host: str, port: int) -> None:
        self.db = db
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def _metrics(self, _request: web.Request) -> web.Response:
        from aiohttp import web

        body = await exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _healthz(self, _request: web.Request) -> web.Response:
        from aiohttp import web

        return web.json_response({"status": "ok"})

    async def _readyz(self, _request: web.Request) -> web.Response:
        from aiohttp import web

        try:
            await self.db.ping()
        except Exception as exc:
            log.warning("readiness check failed", extra={"error": exc.__class__.__name__})
            return web.json_response(
                {"status": "unavailable", "database": "unreachable"}, status=503
            )
        return web.json_response({"status": "ok", "database": "ok"})

    async def start(self) -> None:
        # Imported here: the API workers import this module for its gauges, and never serve
        # this (aiohttp's server, ~2 MB a process).
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("metrics and health listening", extra={"url": f"http://{self.host}:{self.port}"})

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
