"""Running the API: uvicorn, with a listening socket of its own for each worker process.

With several workers, uvicorn's supervisor hands every worker the same listening socket, and
the worker whose event loop wakes first accepts a whole burst of new connections (asyncio
accepts up to 100 per wake-up). Keep-alive clients that connect together — a client's
connection pool, a reverse proxy, a load generator — then all land on one worker while the
others idle: with 2 workers and 64 connections, one run in six put all 64 on one worker and
halved the throughput of that run.

Here each worker gets a socket of its own, all bound to the same address with
``SO_REUSEPORT``: the kernel spreads new connections over the sockets by a hash of their
addresses, so each worker gets its share. See docs/decisions/0006-one-socket-per-worker.md.
The workers are started, health-checked, restarted and stopped by ``serving.supervisor``, a
supervisor on the standard library alone (docs/decisions/0027-a-lean-supervisor.md); each
worker runs ``serving.worker``. One worker, or a platform without ``SO_REUSEPORT``, runs as
uvicorn would.

This module is what the supervising process imports: the standard library and
``shiptrack.logs`` only; uvicorn and the app are imported by the functions that need them.

Every process logs through ``shiptrack.logs`` (uvicorn's own logging configuration is off);
the connections are read by ``api.protocol.GuardedHttpToolsProtocol`` (head size and read
timeouts); with several workers their metrics are collected together through a
``PROMETHEUS_MULTIPROC_DIR`` the supervisor creates (see ``shiptrack.monitoring``).
"""

from __future__ import annotations

import logging
import os
import socket
from typing import TYPE_CHECKING, Any

from shiptrack import logs
from shiptrack.serving.supervisor import STARTUP_FAILURE, Supervisor, worker_command

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger("uvicorn.error")

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def served_app() -> Any:
    """The app factory each API worker runs: logging as configured, then the app."""
    from shiptrack.app import create_app
    from shiptrack.config import get_settings

    settings = get_settings()
    logs.configure_from(settings)
    if settings.engine_enabled:
        # The engine's batches run here as in ``shiptrack worker``: its collector's threshold
        # (the lifespan freezes what start-up built).
        from shiptrack.collector import raise_first_threshold

        raise_first_threshold()
    return create_app(settings)


def reuse_port_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets bound to ``host:port`` with ``SO_REUSEPORT`` (port 0: one free port
    chosen for all of them), inheritable by worker processes."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.set_inheritable(True)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _multiprocess_metrics() -> Path | None:
    """A fresh directory for the workers' metrics, unless the operator gave one (then it is
    emptied of a previous run's files); None when the directory is ours to remove."""
    # Imported here, as are uvicorn and the app: the supervisor imports no more than it uses.
    import tempfile
    from pathlib import Path

    given = os.environ.get(MULTIPROCESS_DIR)
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return None
    path = Path(tempfile.mkdtemp(prefix="shiptrack-metrics-"))
    os.environ[MULTIPROCESS_DIR] = str(path)
    return path


def _uvicorn_run(app: str, **options: Any) -> None:
    """``uvicorn.run(app, factory=True, …)`` with shiptrack's protocol and logging."""
    import uvicorn

    from shiptrack.api.protocol import GuardedHttpToolsProtocol

    options.setdefault("http", GuardedHttpToolsProtocol)
    options.setdefault("log_config", None)
    uvicorn.run(app, factory=True, **options)


def serve(app: str, *, host: str, port: int, workers: int, **options: Any) -> None:
    """Serve ``app`` (an app factory's import path) with uvicorn's ``options``: in this
    process with one worker, else with one listening socket per worker, each worker a
    process of its own (``serving.worker``; there ``options`` arrive as JSON, so they are
    JSON values, and ``log_json`` picks the workers' log format)."""
    log_json = bool(options.pop("log_json", False))
    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        _uvicorn_run(app, host=host, port=port, workers=workers, **options)
        return
    command = worker_command({"app": app, "log_json": log_json, **options})
    metrics_dir = _multiprocess_metrics()
    try:
        _serve_workers(command, host=host, port=port, workers=workers)
    finally:
        if metrics_dir is not None:
            import shutil

            shutil.rmtree(metrics_dir, ignore_errors=True)


def _serve_workers(command: list[str], *, host: str, port: int, workers: int) -> None:
    try:
        sockets = reuse_port_sockets(host, port, workers)
    except OSError as exc:
        log.error("Cannot listen on %s:%s: %s", host, port, exc)
        raise SystemExit(STARTUP_FAILURE) from exc
    log.info(
        "Listening on http://%s:%d with %d workers, a socket each (Press CTRL+C to quit)",
        *sockets[0].getsockname()[:2],
        workers,
    )
    try:
        code = Supervisor(command, sockets).run()
    finally:
        for sock in sockets:
            sock.close()
    if code:
        raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """``python -m shiptrack.serving --host H --port P --workers N``: serve shiptrack's
    app (the workers read the rest of their settings from the environment). ``shiptrack
    serve`` prepares the database, then replaces itself with this (exec), so
    the process that supervises the workers carries none of the CLI's, the migrations', the
    app's or uvicorn's modules."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m shiptrack.serving")
    parser.add_argument("--app", default="shiptrack.serving:served_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--forwarded-allow-ips", default="127.0.0.1,::1")
    parser.add_argument("--log-json", action="store_true")
    parser.add_argument("--keep-alive", type=float, default=5.0)
    args = parser.parse_args(argv)
    logs.configure(args.log_level, json=args.log_json)
    serve(
        args.app,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_json=args.log_json,
        access_log=False,  # shiptrack's middleware writes the access log (SHIPTRACK_ACCESS_LOG)
        log_level=args.log_level,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_keep_alive=args.keep_alive,
        loop="uvloop",
        lifespan="on",
    )
