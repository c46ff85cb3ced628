"""``serve --workers N``'s supervisor (``shiptrack.serving.supervisor``): lean, and it keeps
its workers running, replaces them on SIGHUP, stops them, and is not needed to stop them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.conftest import free_port, wait_for

from shiptrack.serving import supervisor


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_supervising_module_imports_neither_uvicorn_nor_the_app_nor_multiprocessing():
    code = (
        "import sys, shiptrack.serving\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('uvicorn', 'multiprocessing', 'asyncio', 'ssl', 'starlette', 'sqlalchemy', "
        "'prometheus_client', 'orjson') or m in ('shiptrack.app', 'shiptrack.serving.worker')]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_supervisor_has_no_child_but_its_workers_and_no_ssl_or_event_loop_loaded(
    tmp_path, server_factory
):
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}", workers=2)
    pid = server.process.pid
    workers = _children(pid)
    assert len(workers) == 2  # no multiprocessing resource tracker beside them
    for worker in workers:
        assert "shiptrack.serving.worker" in Path(f"/proc/{worker}/cmdline").read_text()
    mapped = Path(f"/proc/{pid}/maps").read_text()
    for library in ("uvloop", "httptools", "_ssl", "_asyncio", "_multiprocessing", "_sqlite3"):
        assert library not in mapped, library
    # The workers' shared libraries are mapped where they serve.
    assert "uvloop" in Path(f"/proc/{workers[0]}/maps").read_text()


def test_sighup_replaces_every_worker_while_the_port_keeps_answering(tmp_path, server_factory):
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}", workers=2)
    pid = server.process.pid
    wait_for(lambda: server.output().count("Application startup complete") >= 2, "2 workers", 60)
    before = set(_children(pid))
    os.kill(pid, signal.SIGHUP)
    answered = 0
    deadline = time.monotonic() + 90
    while not (set(_children(pid)).isdisjoint(before) and len(_children(pid)) == 2):
        assert time.monotonic() < deadline, server.output()
        assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200
        answered += 1
        time.sleep(0.05)
    assert answered > 0
    assert server.output().count("Application startup complete") >= 4
    assert all(not _alive(old) for old in before)
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200


def test_workers_stop_when_their_supervisor_is_killed(tmp_path, server_factory):
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}", workers=2)
    pid = server.process.pid
    wait_for(lambda: server.output().count("Application startup complete") >= 2, "2 workers", 60)
    workers = _children(pid)
    server.process.kill()
    server.process.wait()
    wait_for(lambda: not any(_alive(w) for w in workers), "the orphaned workers to stop")
    assert server.output().count("Application shutdown complete") >= 2  # gracefully


def test_a_worker_that_cannot_start_stops_the_supervisor_with_uvicorns_startup_failure_status(
    tmp_path,
):
    process = subprocess.run(
        [
            *(sys.executable, "-m", "shiptrack.serving", "--app", "shiptrack.nowhere:app"),
            *("--port", str(free_port()), "--workers", "2"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert process.returncode == supervisor.STARTUP_FAILURE, process.stderr[-2000:]
    assert "failed to start" in process.stderr


def test_startup_failure_is_uvicorns_status():
    from uvicorn.config import STARTUP_FAILURE

    assert supervisor.STARTUP_FAILURE == STARTUP_FAILURE


@pytest.mark.parametrize("mode", ["liveall", "livesum", "livemax", "livemin", "livemostrecent"])
def test_a_dead_workers_live_gauges_are_dropped_as_prometheus_client_drops_them(
    tmp_path, monkeypatch, mode
):
    from prometheus_client import multiprocess

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    names = [f"gauge_{mode}_41.db", f"gauge_{mode}_411.db", "gauge_all_41.db", "counter_41.db"]

    def left_after(mark) -> set[str]:
        for name in names:
            (tmp_path / name).write_bytes(b"")
        mark(41)
        left = {path.name for path in tmp_path.iterdir()}
        for path in tmp_path.iterdir():
            path.unlink()
        return left

    ours = left_after(supervisor.mark_process_dead)
    assert ours == left_after(multiprocess.mark_process_dead)
    assert f"gauge_{mode}_41.db" not in ours
    assert {f"gauge_{mode}_411.db", "gauge_all_41.db", "counter_41.db"} <= ours
