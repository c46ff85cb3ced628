"""The process that supervises ``serve``'s API workers, on the standard library alone.

It starts each worker as a plain child process (``python -m shiptrack.serving.worker``:
``subprocess``, the worker's listening socket passed down), restarts one that dies
or stops answering, replaces them one by one on ``SIGHUP`` and stops them on ``SIGINT`` or
``SIGTERM``, as uvicorn's ``Multiprocess`` supervisor did. It imports neither uvicorn nor
``multiprocessing``: uvicorn's supervisor pulls in uvicorn, click, asyncio and ssl (~18 MB
resident that the supervisor never uses), and ``multiprocessing``'s spawn starts a resource
tracker process (~12 MB) that nothing here needs (the workers share no semaphore or shared
memory). See docs/decisions/0027-a-lean-supervisor.md.

Health: each worker holds one end of a socket pair; a thread of the worker answers every
byte the supervisor sends with ``1`` once its server has started (``0`` before). A worker
that does not answer within ``HEALTHCHECK_SECONDS`` is killed and replaced, like uvicorn's.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

log = logging.getLogger("uvicorn.error")

#: uvicorn's exit status for a worker that failed before serving (``uvicorn.config``): the
#: app or its settings are broken and would fail the same way on every restart.
STARTUP_FAILURE = 3

#: How long a worker may take to answer a health check (uvicorn's default).
HEALTHCHECK_SECONDS = 5.0

#: How long a replacement worker may take to start serving on ``SIGHUP`` before the restart
#: is abandoned (the old worker serves meanwhile). uvicorn waits 5 s; a worker imports for
#: 1-2 s on a quiet machine and for over 5 s on a busy one, where 5 s abandoned restarts.
READY_SECONDS = 60.0

#: How often the supervisor looks at its workers and its signals.
TICK_SECONDS = 0.5


def mark_process_dead(pid: int) -> None:
    """``prometheus_client.multiprocess.mark_process_dead`` without importing
    prometheus_client (~13 MB) into the supervisor: a dead worker's live gauges are dropped
    (its ``gauge_live*_PID.db`` files); its counters stay, summed with the others'."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    for path in glob.glob(os.path.join(glob.escape(directory), f"gauge_live*_{pid}.db")):
        os.remove(path)


class Worker:
    """One API worker process serving one listening socket."""

    def __init__(self, command: Sequence[str], sock: socket.socket) -> None:
        self._health, child_end = socket.socketpair()
        fds = (sock.fileno(), child_end.fileno())
        try:
            self.process = subprocess.Popen([*command, *map(str, fds)], pass_fds=fds)
        finally:
            child_end.close()
        self.pid = self.process.pid

    def _health_check(self, timeout: float) -> bool | None:
        """True when the worker's server has started, False while it starts, None when it
        does not answer within ``timeout``."""
        try:
            while select.select([self._health], [], [], 0)[0]:  # a late answer
                if not self._health.recv(64):
                    return None
            self._health.sendall(b"?")
            if not select.select([self._health], [], [], timeout)[0]:
                return None
            answer = self._health.recv(1)
        except OSError:
            return None
        return answer == b"1" if answer else None

    def is_alive(self, timeout: float = HEALTHCHECK_SECONDS) -> bool:
        return self.process.poll() is None and self._health_check(timeout) is not None

    def wait_until_ready(self, timeout: float, should_exit: threading.Event) -> bool:
        """Whether the worker started serving within ``timeout`` (False on exit or shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not should_exit.is_set():
            if self.process.poll() is not None:
                return False
            if self._health_check(1.0):
                return True
            time.sleep(0.1)
        return False

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            log.info("Terminated worker [%s]", self.pid)

    def kill(self) -> None:
        self.process.kill()

    def join(self) -> int:
        code = self.process.wait()
        self._health.close()
        return code


class Supervisor:
    """Keeps one worker per socket running until ``SIGINT`` or ``SIGTERM``."""

    def __init__(self, command: Sequence[str], sockets: Sequence[socket.socket]) -> None:
        self.command = list(command)
        self.sockets = list(sockets)
        self.workers: list[Worker] = []
        self.should_exit = threading.Event()
        self.failed = False
        self._signals: list[int] = []
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda sig, frame: self._signals.append(sig))

    def _spawn(self, slot: int) -> Worker:
        return Worker(self.command, self.sockets[slot])

    def run(self) -> int:
        """Supervise until asked to stop; the exit status (``STARTUP_FAILURE`` when a worker
        could not start)."""
        log.info("Started supervisor [%s]", os.getpid())
        self.workers = [self._spawn(slot) for slot in range(len(self.sockets))]
        while not self.should_exit.wait(TICK_SECONDS):
            self.handle_signals()
            self.keep_workers_alive()
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            worker.join()
            mark_process_dead(worker.pid)
        log.info("Stopping supervisor [%s]", os.getpid())
        return STARTUP_FAILURE if self.failed else 0

    def handle_signals(self) -> None:
        while self._signals:
            sig = self._signals.pop(0)
            if sig == signal.SIGHUP:
                log.info("Received SIGHUP, restarting the workers.")
                self.restart_all()
            else:
                log.info("Received %s, exiting.", signal.Signals(sig).name)
                self.should_exit.set()

    def restart_all(self) -> None:
        """Replace each worker, its replacement serving before the old one is retired."""
        for slot, old in enumerate(self.workers):
            if self.should_exit.is_set():
                return
            new = self._spawn(slot)
            if not new.wait_until_ready(READY_SECONDS, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    log.error("Worker [%s] was not ready in time; restart aborted.", new.pid)
                return
            old.terminate()
            old.join()
            mark_process_dead(old.pid)
            self.workers[slot] = new

    def keep_workers_alive(self) -> None:
        for slot, worker in enumerate(self.workers):
            if self.should_exit.is_set():
                return
            if worker.is_alive():
                continue
            worker.kill()  # dead already, or hung
            code = worker.join()
            mark_process_dead(worker.pid)
            if code == STARTUP_FAILURE:
                log.error("Worker [%s] failed to start, stopping.", worker.pid)
                self.failed = True
                self.should_exit.set()
                return
            log.info("Worker [%s] died; starting another.", worker.pid)
            self.workers[slot] = self._spawn(slot)


def worker_command(options: dict[str, object]) -> list[str]:
    """The command line of a worker serving with uvicorn's ``options`` (JSON values, the app
    factory's import path as ``app``); the supervisor appends the worker's descriptors."""
    return [sys.executable, "-m", "shiptrack.serving.worker", json.dumps(options)]
