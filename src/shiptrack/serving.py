"""Running the API: uvicorn, with a listening socket of its own for each worker process.

With several workers, uvicorn's supervisor hands every worker the same listening socket, and
the worker whose event loop wakes first accepts a whole burst of new connections (asyncio
accepts up to 100 per wake-up). Keep-alive clients that connect together — a client's
connection pool, a reverse proxy, a load generator — then all land on one worker while the
others idle: with 2 workers and 64 connections, one run in six put all 64 on one worker and
halved the throughput of that run.

Here each worker gets a socket of its own, all bound to the same address with
``SO_REUSEPORT``: the kernel spreads new connections over the sockets by a hash of their
addresses, so each worker gets its share. Health checks, restarts and signal handling stay
uvicorn's (``uvicorn.supervisors.Multiprocess``); one worker, or a platform without
``SO_REUSEPORT``, runs as uvicorn would. See docs/decisions/0006-one-socket-per-worker.md.

Every process logs through ``shiptrack.logs`` (uvicorn's own logging configuration is off);
the connections are read by ``api.protocol.GuardedHttpToolsProtocol`` (head size and read
timeouts); with several workers their metrics are collected together through a
``PROMETHEUS_MULTIPROC_DIR`` the supervisor creates (see ``shiptrack.monitoring``).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from shiptrack import logs
from shiptrack.api.protocol import GuardedHttpToolsProtocol

log = logging.getLogger("uvicorn.error")

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def _worker_exited(pid: int) -> None:
    """Tell prometheus_client's multiprocess collection that worker ``pid`` is gone."""
    if os.environ.get(MULTIPROCESS_DIR):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def served_app() -> Any:
    """The app factory each API worker runs: logging as configured, then the app."""
    from shiptrack.app import create_app
    from shiptrack.config import get_settings

    settings = get_settings()
    logs.configure_from(settings)
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


class ReusePortSupervisor(Multiprocess):
    """uvicorn's supervisor, with worker slot ``i`` always served by socket ``i``."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets=[])
        self.slot_sockets = sockets
        self.processes_num = len(sockets)

    def _spawn(self, slot: int) -> Process:
        process = Process(self.config, [self.slot_sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._spawn(slot) for slot in range(self.processes_num)]

    def restart_all(self) -> None:
        """Replace each worker, its replacement serving before the old one is retired."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._spawn(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    log.error("Worker [%s] was not ready in time; restart aborted.", new.pid)
                return
            old.terminate()
            old.join()
            _worker_exited(old.pid)
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for slot, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            _worker_exited(process.pid)
            if process.exitcode == STARTUP_FAILURE:
                log.error("Worker [%s] failed to start, stopping.", process.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info("Worker [%s] died; starting another.", process.pid)
            self.processes[slot] = self._spawn(slot)


def _multiprocess_metrics() -> Path | None:
    """A fresh directory for the workers' metrics, unless the operator gave one (then it is
    emptied of a previous run's files); None when the directory is ours to remove."""
    given = os.environ.get(MULTIPROCESS_DIR)
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return None
    path = Path(tempfile.mkdtemp(prefix="shiptrack-metrics-"))
    os.environ[MULTIPROCESS_DIR] = str(path)
    return path


def serve(app: str, *, host: str, port: int, workers: int, **options: Any) -> None:
    """``uvicorn.run(app, factory=True, …)``, with one listening socket per worker."""
    options.setdefault("http", GuardedHttpToolsProtocol)
    options.setdefault("log_config", None)
    if workers <= 1:
        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, **options)
        return
    metrics_dir = _multiprocess_metrics()
    try:
        _serve_workers(app, host=host, port=port, workers=workers, **options)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _serve_workers(app: str, *, host: str, port: int, workers: int, **options: Any) -> None:
    if not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, **options)
        return
    config = uvicorn.Config(app, factory=True, host=host, port=port, workers=workers, **options)
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
        ReusePortSupervisor(config, sockets).run()
    except KeyboardInterrupt:
        pass
    finally:
        for sock in sockets:
            sock.close()


def main(argv: list[str] | None = None) -> None:
    """``python -m shiptrack.serving --host H --port P --workers N``: serve shiptrack's
    app (the workers read the rest of their settings from the environment). ``shiptrack
    serve`` prepares the database, then replaces itself with this (exec), so
    the process that supervises the workers carries none of the CLI's or the migrations'
    modules (~70 MB less resident memory)."""
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
        access_log=False,  # shiptrack's middleware writes the access log (SHIPTRACK_ACCESS_LOG)
        log_level=args.log_level,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_keep_alive=args.keep_alive,
        loop="uvloop",
        lifespan="on",
    )


if __name__ == "__main__":
    main()
