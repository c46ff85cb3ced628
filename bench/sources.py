"""Benchmark of the upstream sources (issue 12). Not a test: it prints figures and exits 0.

1. **Push callbacks accepted and stored per second**, on a SQLite file and on a PostgreSQL
   database made for the run, per upstream (``--sources``): pre-signed callbacks sent by
   ``wrk`` (or ``--client aiohttp``), every answer and the stored events checked; see
   ``bench/sources_push.py``.
2. **Polling throughput through each upstream aggregator at 200 ms** against the sandbox
   courier at 200 ms, in the same run, on SQLite: every aggregator shiptrack polls, the same
   journey everywhere, first checks (which register the number upstream) and re-checks, with
   server CPU, provider calls and load per tracker — see ``bench/sources_poll.py``.

    .venv/bin/python bench/sources.py                         # both parts, 3 runs
    .venv/bin/python bench/sources.py --callbacks 4000 --trackers 2000 --runs 5
    .venv/bin/python bench/sources.py --parts push --engines sqlite
    .venv/bin/python bench/sources.py --parts push --sources aftership,ship24,track17,trackingmore
    PYTHONPATH=/tmp/base/src .venv/bin/python bench/sources.py --parts push  # main's code
    .venv/bin/python bench/sources.py --parts poll --aggregators aftership,track17 --runs 3
    .venv/bin/python bench/sources.py --parts poll --base-src /tmp/poll-base/src   # before/after

``BENCH_PYSPY=<prefix>`` (with ``pip install py-spy``) samples each ``serve`` process into
``<prefix>-<port>.txt``; with ``BENCH_PYSPY_PHASE=update`` (or ``first``, ``retry``) only
during that push phase; ``BENCH_PERF=<file>`` (with ``perf``) records PostgreSQL's backends
during that phase too. PostgreSQL: ``--postgres-url`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``, the admin database a bench database is
created from and dropped after); the push part runs ``ANALYZE`` before each phase, as
autovacuum would have (``--no-analyze``: plans from the statistics as they are).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from sqlalchemy.engine import make_url

import shiptrack
from shiptrack.accounts.service import create_account
from shiptrack.couriers.fakes import FORMATS
from shiptrack.db.engine import Database
from shiptrack.db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def make_postgres(admin_url: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    from sqlalchemy.ext.asyncio import create_async_engine

    from shiptrack.db.engine import async_url

    name = f"shiptrack_bench_sources_{uuid.uuid4().hex[:6]}"
    engine = create_async_engine(async_url(admin_url), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await engine.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


class Server:
    """``shiptrack serve`` in a subprocess on a free port."""

    def __init__(
        self,
        url: str,
        env: dict[str, str],
        workdir: Path,
        workers: int = 1,
        src: Path | None = None,
        cpus: set[int] | None = None,
    ) -> None:
        """``cpus``: the cores the server's processes may run on (``None``: any)."""
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        full = {
            **os.environ,
            "SHIPTRACK_DATABASE_URL": url,
            "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
            "SHIPTRACK_LOG_LEVEL": "WARNING",
            # The shiptrack this process imports (PYTHONPATH=<checkout>/src: another's).
            "PYTHONPATH": str(src or Path(shiptrack.__file__).resolve().parent.parent),
            **env,
        }
        self.log = open(workdir / f"serve-{self.port}.log", "wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shiptrack",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--no-migrate",
            ],
            env=full,
            cwd=workdir,
            stdout=self.log,
            stderr=self.log,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        self.spy: subprocess.Popen[bytes] | None = None

    async def ready(self) -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(600):
                try:
                    async with session.get(f"{self.origin}/readyz") as response:
                        if response.status == 200:
                            if not os.environ.get("BENCH_PYSPY_PHASE"):
                                self.profile()
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise SystemExit(f"shiptrack serve did not start (see {self.log.name})")

    def profile(self) -> None:
        """With ``BENCH_PYSPY=<prefix>`` (and ``pip install py-spy``), sample the running
        server with py-spy into ``<prefix>-<port>.txt`` (collapsed stacks) until
        ``stop_profile``: from ``ready`` on, or only during the push phase named by
        ``BENCH_PYSPY_PHASE`` (``first``, ``update``, ``retry``)."""
        prefix = os.environ.get("BENCH_PYSPY")
        if prefix and self.spy is None:
            spy = str(Path(sys.executable).parent / "py-spy")
            out, pid = f"{prefix}-{self.port}.txt", str(self.process.pid)
            self.spy = subprocess.Popen(
                [spy, "record", "--subprocesses", "-r", "250", "-f", "raw", "-o", out, "-p", pid],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def cpu_seconds(self) -> float:
        """CPU seconds the server's processes (the supervisor and its workers) have used so
        far (user + system)."""
        return process_cpu(self.process.pid)

    def stop_profile(self) -> None:
        if self.spy is not None:
            self.spy.send_signal(signal.SIGINT)  # py-spy writes its file and exits
            self.spy.wait(30)
            self.spy = None

    def stop(self) -> None:
        self.stop_profile()
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process and its descendants have used so far."""
    total = 0.0
    for each in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def process_waits(pid: int) -> float:
    """Seconds the threads of a process and its descendants have spent runnable but waiting
    for a core so far (``/proc/<pid>/task/<tid>/schedstat``'s run-queue time): what a busy
    machine adds to a phase beyond the process's own CPU."""
    total = 0
    for each in [pid, *_children(pid)]:
        try:
            tasks = list(Path(f"/proc/{each}/task").iterdir())
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                total += int((task / "schedstat").read_text().split()[1])
            except (FileNotFoundError, IndexError):
                continue
    return total / 1e9


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *_children(child)]
    return found


async def create_trackers(origin: str, key: str, items: list[dict[str, object]]) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for start in range(0, len(items), 100):
            body = items[start : start + 100]
            async with session.post(f"{origin}/public/v1/trackers/bulk", json=body) as response:
                if response.status >= 300:
                    raise SystemExit(
                        f"bulk create failed: {response.status} {await response.text()}"
                    )


def usps_numbers(count: int, selector: int) -> list[str]:
    base = int(time.time()) % 1_000_000 * 1000
    return [FORMATS["usps"].make(base + i, selector) for i in range(count)]


async def prepare(url: str) -> tuple[Database, str]:
    await upgrade(url)
    db = Database(url)
    key = (await create_account(db, f"bench-{uuid.uuid4().hex[:6]}")).key
    return db, key


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--callbacks", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--client", choices=("wrk", "aiohttp"), default="wrk")
    parser.add_argument("--sources", default="aftership", help="upstreams whose pushes to send")
    parser.add_argument("--serve-workers", type=int, default=1, help="shiptrack serve --workers")
    parser.add_argument("--trackers", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parts", default="push,poll")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="push: no ANALYZE before each phase (PostgreSQL plans from stale statistics)",
    )
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--aggregators", default="ship24,track17,aftership,trackingmore")
    parser.add_argument(
        "--upstream-limits",
        default="raised",
        help="raised (fakes and settings at 1,000× the documented limits: a plan whose limits "
        "do not bind), documented (the providers' own), or both: raised,documented",
    )
    parser.add_argument(
        "--base-src", type=Path, help="also run each poll pass with this src/ (before/after)"
    )
    parser.add_argument(
        "--placement",
        choices=("split", "shared"),
        default="split",
        help="poll: split (the server on one core, the fake provider and this client on the "
        "others, as a provider runs on its own machines) or shared (every process on any core)",
    )
    args = parser.parse_args()
    parts, engines = args.parts.split(","), args.engines.split(",")
    print(f"load before: {loadavg()}; {vars(args)}")
    with tempfile.TemporaryDirectory(prefix="shiptrack-bench-sources-") as tmp:
        workdir = Path(tmp)
        if "push" in parts:
            sys.path.insert(0, str(ROOT))
            from bench.sources_push import run_push

            await run_push(args, engines, workdir)
        if "poll" in parts:
            sys.path.insert(0, str(ROOT))
            from bench.sources_poll import poll_part

            kinds = [k for k in args.aggregators.split(",") if k]
            for limits in args.upstream_limits.split(","):
                await poll_part(
                    args.trackers,
                    args.latency,
                    args.runs,
                    workdir,
                    kinds,
                    args.base_src,
                    limits,
                    args.placement,
                )
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    asyncio.run(main())
