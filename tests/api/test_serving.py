"""How ``shiptrack serve`` runs its workers: a lean supervisor, a listening socket per worker."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from shiptrack.serving import reuse_port_sockets


def test_reuse_port_sockets_share_one_port_even_when_it_is_chosen_by_the_system():
    sockets = reuse_port_sockets("127.0.0.1", 0, 3)
    try:
        ports = {sock.getsockname()[1] for sock in sockets}
        assert len(ports) == 1
        assert ports != {0}
        assert all(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for sock in sockets)
        assert all(sock.get_inheritable() for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_a_port_taken_by_another_listener_is_refused():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError, match="in use"):
            reuse_port_sockets("127.0.0.1", taken.getsockname()[1], 2)


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _workers(supervisor: int) -> list[int]:
    return [
        pid
        for pid in _children(supervisor)
        if "multiprocessing.resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text()
    ]


def _wait_for_startups(server, count: int) -> None:
    """Until ``count`` workers have started (a worker's socket joins the port's group when
    that worker starts listening)."""
    deadline = time.monotonic() + 60
    while server.output().count("Application startup complete") < count:
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.1)


def _connections_by_pid(port: int) -> dict[int, int]:
    listing = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[int, int] = {}
    for pid in re.findall(r"pid=(\d+)", listing):
        counts[int(pid)] = counts.get(int(pid), 0) + 1
    return counts


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2) to see connections")
def test_keep_alive_connections_opened_together_are_spread_over_the_workers(
    tmp_path, server_factory
):
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}", workers=2)
    supervisor = server.process.pid
    # `serve` prepared the database, then replaced itself with the lean entry point.
    assert "shiptrack.serving" in Path(f"/proc/{supervisor}/cmdline").read_text()
    workers = _workers(supervisor)
    assert len(workers) == 2
    _wait_for_startups(server, 2)

    # 64 connections opened at once, each holding a request so it is accepted and kept.
    clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(64)]
    try:
        for client in clients:
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        for client in clients:
            assert client.recv(4096).startswith(b"HTTP/1.1 200")
        counts = _connections_by_pid(server.port)
    finally:
        for client in clients:
            client.close()
    assert sum(counts.values()) == 64
    assert set(counts) == set(workers)
    # A shared socket lets one worker take a whole burst (64/0 seen); a socket per worker
    # spreads them by hash: 32 ± 4 typically, 16 is over 4 standard deviations away.
    assert min(counts.values()) >= 16, counts


def test_a_killed_worker_is_replaced_and_its_socket_served_again(tmp_path, server_factory):
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}", workers=2)
    _wait_for_startups(server, 2)
    first = _workers(server.process.pid)
    os.kill(first[0], signal.SIGKILL)
    _wait_for_startups(server, 3)
    now = _workers(server.process.pid)
    assert len(now) == 2
    assert first[0] not in now
    assert first[1] in now
    # Every one of many new connections is answered: none waits on the dead worker's socket.
    for _ in range(40):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as client:
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert client.recv(4096).startswith(b"HTTP/1.1 200")
