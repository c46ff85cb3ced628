"""``shiptrack worker``: the tracking engine and the webhook dispatcher, without the HTTP API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import typer

from shiptrack import __version__
from shiptrack.cli.common import exit_on_conflict
from shiptrack.collector import settle_collector
from shiptrack.config import get_settings
from shiptrack.config_checks import SettingsConflict, courier_calls
from shiptrack.config_checks import check as check_settings

log = logging.getLogger("shiptrack.worker")


async def run_worker(migrate: bool, metrics_port: int | None = None) -> None:
    # Imported here: other commands start without the engine's and aiohttp's modules.
    import aiohttp

    from shiptrack.config import webhook_settings
    from shiptrack.couriers.connectors.http import SESSION_CONNECTIONS
    from shiptrack.couriers.connectors.registry import ConnectorSet
    from shiptrack.couriers.sources import load_connectors
    from shiptrack.db.engine import Database
    from shiptrack.db.schema import is_current
    from shiptrack.monitoring import StatusServer
    from shiptrack.tracking.engine import Engine
    from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
    from shiptrack.webhooks.delivery.hooks import OutboxSink
    from shiptrack.webhooks.delivery.outbox import Outbox

    settings = get_settings()
    metrics_port = settings.worker_metrics_port if metrics_port is None else metrics_port
    http = aiohttp.ClientSession(
        headers={"User-Agent": f"shiptrack/{__version__}"},
        connector=aiohttp.TCPConnector(limit=SESSION_CONNECTIONS, ttl_dns_cache=300),
    )
    connectors = ConnectorSet(load_connectors(settings, http))
    hooks = webhook_settings(settings)
    try:
        check_settings(settings, hooks, courier_calls(settings, connectors.timeouts()))
    except SettingsConflict:
        await connectors.aclose()
        await http.close()
        raise
    db = Database(
        settings.database_url,
        pool_size=settings.database_pool_size,
        background_checkpoints=True,
    )
    if migrate and settings.auto_migrate and not await is_current(db):
        from shiptrack.db.migrate import upgrade

        await upgrade(settings.database_url)
    outbox = Outbox(hooks)
    dispatcher = WebhookDispatcher(db, http, hooks, outbox=outbox)
    engine = Engine(db, settings, connectors, sink=OutboxSink(outbox, dispatcher))
    from shiptrack.sources.runtime import SourcesRuntime

    sources = SourcesRuntime(db, connectors.connectors, engine.refresher)
    sources.warm()
    sources.start_sweeping()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    status = None
    if metrics_port is not None:
        status = StatusServer(db, settings.worker_metrics_host, metrics_port)
        await status.start()
    settle_collector()
    tasks = [asyncio.create_task(engine.run())]
    if hooks.dispatcher_enabled:
        tasks.append(asyncio.create_task(dispatcher.run()))
    try:
        await stop.wait()
        log.info("stopping: finishing batches in flight, then releasing leases")
    finally:
        await engine.stop()
        await sources.stop()
        await dispatcher.stop()
        if status is not None:
            await status.stop()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await connectors.aclose()
        await http.close()
        await db.dispose()


def worker(
    migrate: bool = typer.Option(True, help="Upgrade the schema first"),
    metrics_port: int | None = typer.Option(
        None,
        help="Serve /metrics, /healthz and /readyz on this port [SHIPTRACK_WORKER_METRICS_PORT]",
    ),
) -> None:
    """Run the tracking engine only (any number of workers share a PostgreSQL database).
    SIGTERM finishes the batches in flight and hands back the rest."""
    with exit_on_conflict():
        asyncio.run(run_worker(migrate, metrics_port))
