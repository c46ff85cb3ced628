"""One API worker of ``serve --workers N``: uvicorn serving the app on the socket its
supervisor (``serving.supervisor``) passed down, answering the supervisor's health checks::

    python -m shiptrack.serving.worker OPTIONS_JSON SOCKET_FD HEALTH_FD

The health-check thread starts before uvicorn and the app are imported, so a worker that is
still importing (a second or more on a busy machine) already answers "starting".
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
from typing import Any


class _Health:
    """Answers each byte of the supervisor with ``1`` once the server started, else ``0``.
    When the supervisor is gone (its end closed), the worker stops as on ``SIGTERM``."""

    def __init__(self, fd: int) -> None:
        self.conn = socket.socket(fileno=fd)
        self.server: Any = None

    def answer(self) -> None:
        try:
            while self.conn.recv(64):
                started = self.server is not None and self.server.started
                self.conn.sendall(b"1" if started else b"0")
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGTERM)


def run(socket_fd: int, health_fd: int, app: str, *, log_json: bool, **options: Any) -> None:
    """Serve ``app`` (an app factory's import path) on the listening socket ``socket_fd``."""
    health = _Health(health_fd)
    threading.Thread(target=health.answer, name="health", daemon=True).start()

    import uvicorn

    from shiptrack import logs
    from shiptrack.api.protocol import GuardedHttpToolsProtocol
    from shiptrack.serving.draining import DrainingServer

    logs.configure(options.get("log_level", "info"), json=log_json)
    options.setdefault("http", GuardedHttpToolsProtocol)
    options.setdefault("log_config", None)
    config = uvicorn.Config(app, factory=True, **options)
    health.server = server = DrainingServer(config)
    listener = socket.socket(fileno=socket_fd)
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:  # Ctrl+C reaches the whole process group; the server stopped
        pass


if __name__ == "__main__":
    options, socket_fd, health_fd = sys.argv[1:4]
    run(int(socket_fd), int(health_fd), **json.loads(options))
