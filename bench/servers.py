"""uvicorn against granian for shiptrack's app and for the bare stack (ADR 0020). Not a test.

Loads N trackers into a SQLite file (``create_many``, engine off), fills the bare-stack
ceiling's table with the same ids (``bench/bare.py``), then for each app (shiptrack's
``GET /trackers/{id}/results``, the bare primary-key read) and each server, alternating,
R runs of wrk (1 thread, 64 connections) of S seconds: requests/s, p50/p99, and CPU of the
server's processes per request. uvicorn runs as ``shiptrack serve`` does (one socket per
worker, ``shiptrack.serving``; the bare app with uvicorn's own ``httptools`` protocol, as
``bench/api.py`` runs it); granian with its own workers (``granian --interface asgi
--workers W --loop uvloop``; it has no socket per worker).

    .venv/bin/pip install granian    # not a dependency of shiptrack
    .venv/bin/python bench/servers.py --trackers 20000 --runs 3 --seconds 5

Needs ``wrk`` (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import IDS_LUA, wait_ready, workers_cpu, wrk  # noqa: E402


async def load(url: str, count: int) -> tuple[str, list[str]]:
    """Migrate, make an account and ``count`` trackers; (API key, 5,000 tracker ids)."""
    from shiptrack.accounts.service import create_account
    from shiptrack.db.engine import Database
    from shiptrack.db.migrate import upgrade
    from shiptrack.trackers.service import create_many
    from shiptrack.trackers.validation import TrackerInput

    await upgrade(url)
    db = Database(url)
    try:
        created = await create_account(db, "bench")
        ids: list[str] = []
        for start in range(0, count, 1000):
            items: list[Any] = [
                TrackerInput(tracking_number=f"SERVERS{n:09d}")
                for n in range(start, min(count, start + 1000))
            ]
            outcomes = await create_many(db, created.account.id, items)
            ids += [o.row.id for o in outcomes][: max(0, 5000 - len(ids))]
        return created.key, ids
    finally:
        await db.dispose()


def start(server: str, app: str, port: int, workers: int, env: dict[str, str]) -> Any:
    if server == "uvicorn" and app == "bare":
        bare_db = env["BARE_DATABASE"]
        command = [sys.executable, "-m", "bench.bare", "serve", bare_db, str(port), str(workers)]
    elif server == "uvicorn":
        command = [
            sys.executable,
            "-m",
            "shiptrack.serving",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
    else:
        target = "shiptrack.serving:served_app" if app == "shiptrack" else "bench.bare:create_app"
        command = [
            str(Path(sys.executable).with_name("granian")),
            "--interface",
            "asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--loop",
            "uvloop",
            "--http",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
            target,
        ]
    process = subprocess.Popen(command, env=env, cwd=env["BENCH_DIR"])
    wait_ready(process, f"http://127.0.0.1:{port}/readyz")
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trackers", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="shiptrack-servers-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    key, ids = asyncio.run(load(url, args.trackers))
    ids_file = workdir / "ids.txt"
    ids_file.write_text("\n".join(ids) + "\n")
    from bench import bare

    bare.fill(str(workdir / "bare.db"), str(ids_file), args.trackers)
    env = {
        **os.environ,
        "SHIPTRACK_DATABASE_URL": url,
        "SHIPTRACK_ENGINE_ENABLED": "false",
        "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
        "BARE_DATABASE": str(workdir / "bare.db"),
        "BENCH_DIR": str(workdir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    paths = {"shiptrack": "/public/v1/trackers/%s/results", "bare": "/rows/%s"}
    found: dict[tuple[str, str], list[dict[str, float]]] = {}
    for run in range(args.runs):
        for app in ("shiptrack", "bare"):
            for server in ("uvicorn", "granian") if run % 2 == 0 else ("granian", "uvicorn"):
                port = 19000 + random.randint(0, 999)
                process = start(server, app, port, args.workers, env)
                try:
                    script = IDS_LUA % {"ids": ids_file, "path": paths[app]}
                    base = f"http://127.0.0.1:{port}"
                    wrk(base, key, script, 1, args.connections)  # warm up
                    before = workers_cpu(process.pid)
                    got = wrk(base, key, script, args.seconds, args.connections)
                    got["cpu_us"] = (workers_cpu(process.pid) - before) / got["requests"] * 1e6
                finally:
                    process.terminate()
                    process.wait(30)
                found.setdefault((app, server), []).append(got)
                print(
                    f"run {run + 1} {app:9} {server:8} {got['rps']:8,.0f} req/s  p50 "
                    f"{got['p50_ms']:.1f} ms  p99 {got['p99_ms']:.1f} ms  "
                    f"{got['cpu_us']:.0f} µs CPU/request  non-2xx {got['errors']:.0f}  "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    print()
    for (app, server), runs in found.items():
        med = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p99_ms", "cpu_us")}
        print(
            f"{app:9} {server:8} {med['rps']:8,.0f} req/s  p99 {med['p99_ms']:.1f} ms  "
            f"{med['cpu_us']:.0f} µs CPU/request (medians of {len(runs)})"
        )


if __name__ == "__main__":
    main()
