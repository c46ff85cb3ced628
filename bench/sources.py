"""Benchmark of the upstream sources (issue 12). Not a test: it prints figures and exits 0.

1. **Push callbacks accepted and stored per second**, on a SQLite file and on a PostgreSQL
   database made for the run: ``shiptrack serve`` (the engine off, so nothing else writes)
   with AfterShip enabled; N trackers (fake USPS numbers, ``courierCode: us-post``) created
   through the API, each registered with AfterShip (rows in ``upstream_registrations``, as
   the engine leaves them); then N signed callbacks as AfterShip sends them (rendered by its
   fake: the whole journey, HMAC-SHA256 in ``aftership-hmac-sha256``), POSTed over real HTTP
   with ``--concurrency`` in flight. Rate = callbacks answered 200 / wall time; every answer
   is checked (stored, not duplicate) and the events counted in the database afterwards.
2. **Polling throughput through each upstream aggregator at 200 ms** against the sandbox
   courier at 200 ms, in the same run, on SQLite: every aggregator shiptrack polls, the same
   journey everywhere, first checks (which register the number upstream) and re-checks, with
   server CPU, provider calls and load per tracker — see ``bench/sources_poll.py``.

    .venv/bin/python bench/sources.py                         # both parts, 3 runs
    .venv/bin/python bench/sources.py --callbacks 4000 --trackers 2000 --runs 5
    .venv/bin/python bench/sources.py --parts push --engines sqlite
    .venv/bin/python bench/sources.py --parts poll --aggregators aftership,track17 --runs 3
    .venv/bin/python bench/sources.py --parts poll --base-src /tmp/poll-base/src   # before/after

``BENCH_PYSPY=<prefix>`` (with ``pip install py-spy``) samples each ``serve`` process into
``<prefix>-<port>.txt``. PostgreSQL: ``--postgres-url`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``, the admin database a bench database is
created from and dropped after).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from shiptrack.accounts.service import create_account
from shiptrack.couriers.connectors.aftership import fake as aftership_fake
from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE, signed
from shiptrack.couriers.fakes import FORMATS, CarrierJourneys
from shiptrack.couriers.fakes.aggregators import aggregator_source
from shiptrack.db.engine import Database
from shiptrack.db.migrate import upgrade
from shiptrack.db.source_tables import upstream_registrations
from shiptrack.db.tables import events

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "bench-aftership-key"
SECRET = "bench-aftership-secret"


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
    ) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        full = {
            **os.environ,
            "SHIPTRACK_DATABASE_URL": url,
            "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
            "SHIPTRACK_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(src or ROOT / "src"),
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
        )
        self.spy: subprocess.Popen[bytes] | None = None

    async def ready(self) -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(600):
                try:
                    async with session.get(f"{self.origin}/readyz") as response:
                        if response.status == 200:
                            self._profile()
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise SystemExit(f"shiptrack serve did not start (see {self.log.name})")

    def _profile(self) -> None:
        """With ``BENCH_PYSPY=<prefix>`` (and ``pip install py-spy``), sample the running
        server with py-spy into ``<prefix>-<port>.txt`` (collapsed stacks)."""
        prefix = os.environ.get("BENCH_PYSPY")
        if prefix:
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

    def stop(self) -> None:
        if self.spy is not None:
            self.spy.send_signal(signal.SIGINT)  # py-spy writes its file and exits
            self.spy.wait(30)
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


# --- part 1: push callbacks -------------------------------------------------------------------


async def push_pass(
    url: str, count: int, concurrency: int, workdir: Path, workers: int
) -> dict[str, float]:
    db, key = await prepare(url)
    server = Server(
        url,
        {
            "SHIPTRACK_ENGINE_ENABLED": "false",
            "SHIPTRACK_AFTERSHIP_API_KEY": API_KEY,
            "SHIPTRACK_AFTERSHIP_WEBHOOK_SECRET": SECRET,
            "SHIPTRACK_AFTERSHIP_BASE_URL": "http://127.0.0.1:9",
        },
        workdir,
        workers,
    )
    try:
        await server.ready()
        numbers = usps_numbers(count, 8)  # SBX_REDELIVERY: ~60 hours of scans
        await create_trackers(
            server.origin, key, [{"trackingNumber": n, "courierCode": ["us-post"]} for n in numbers]
        )
        now = dt.datetime.now(dt.UTC)
        async with db.write() as conn:
            await conn.execute(
                upstream_registrations.insert(),
                [
                    {
                        "id": str(uuid.uuid4()),
                        "source": "aftership",
                        "tracking_number": n,
                        "courier_code": "us-post",
                        "state": "registered",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n in numbers
                ],
            )
        clock = Clock()
        journeys = CarrierJourneys(clock=clock)
        fake = aftership_fake.create_app(
            aggregator_source(journeys), api_key=API_KEY, webhook_secret=SECRET
        )
        for number in numbers:  # the provider knows what shiptrack registered
            fake[UPSTREAM_FAKE].register(number, "us-post")
            journeys.start(number, clock.now - dt.timedelta(hours=30))
        target = f"{server.origin}/public/v1/sources/aftership/callback"
        figures: dict[str, float] = {}
        for phase in ("first", "update"):
            # first: each journey's first push (its events so far, all new); update: six
            # hours later, the provider's next push (the whole history, a few events new).
            if phase == "update":
                clock.now += dt.timedelta(hours=6)
            bodies = [signed(fake, [n]) for n in numbers]
            async with db.read() as conn:
                before = (await conn.execute(select(func.count()).select_from(events))).scalar_one()
            cpu = server.cpu_seconds()
            elapsed = await send_all(target, bodies, concurrency)
            figures[f"{phase}_cpu_ms"] = (server.cpu_seconds() - cpu) * 1000 / count
            async with db.read() as conn:
                after = (await conn.execute(select(func.count()).select_from(events))).scalar_one()
            figures[phase] = count / elapsed
            figures[f"{phase}_events"] = (after - before) / count
        return figures
    finally:
        server.stop()
        await db.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


async def send_all(
    target: str, bodies: list[tuple[dict[str, str], bytes]], concurrency: int
) -> float:
    """POST every callback with ``concurrency`` in flight; the wall time. Each answer must be
    200, stored (not a duplicate)."""
    queue = list(reversed(bodies))
    failures: list[str] = []

    async def sender(session: aiohttp.ClientSession) -> None:
        while queue:
            headers, body = queue.pop()
            async with session.post(target, data=body, headers=headers) as response:
                answer = await response.json(content_type=None)
                if response.status != 200 or answer["data"]["duplicate"]:
                    failures.append(f"{response.status} {answer}")

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(sender(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} callbacks failed, e.g. {failures[0]}")
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--callbacks", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--serve-workers", type=int, default=1, help="shiptrack serve --workers")
    parser.add_argument("--trackers", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parts", default="push,poll")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--aggregators", default="ship24,track17,aftership,trackingmore")
    parser.add_argument(
        "--base-src", type=Path, help="also run each poll pass with this src/ (before/after)"
    )
    args = parser.parse_args()
    parts, engines = args.parts.split(","), args.engines.split(",")
    print(f"load before: {loadavg()}; {vars(args)}")
    with tempfile.TemporaryDirectory(prefix="shiptrack-bench-sources-") as tmp:
        workdir = Path(tmp)
        if "push" in parts:
            for engine in engines:
                rates = []
                for _ in range(args.runs):
                    if engine == "sqlite":
                        url = f"sqlite:///{workdir / f'push-{uuid.uuid4().hex[:6]}.db'}"
                        result = await push_pass(
                            url, args.callbacks, args.concurrency, workdir, args.serve_workers
                        )
                    else:
                        url, drop = await make_postgres(args.postgres_url)
                        try:
                            result = await push_pass(
                                url, args.callbacks, args.concurrency, workdir, args.serve_workers
                            )
                        finally:
                            await drop()
                    rates.append(result)
                    print(
                        f"push {engine}: first {result['first']:.0f} callbacks/s "
                        f"({result['first_events']:.1f} events stored each, server CPU "
                        f"{result['first_cpu_ms']:.2f} ms each), update "
                        f"{result['update']:.0f} callbacks/s ({result['update_events']:.1f} "
                        f"new events each, {result['update_cpu_ms']:.2f} ms); load {loadavg()}"
                    )
                for phase in ("first", "update"):
                    median = statistics.median(r[phase] for r in rates)
                    cpu = statistics.median(r[f"{phase}_cpu_ms"] for r in rates)
                    print(
                        f"push {engine} {phase}: median {median:.0f} callbacks/s, "
                        f"server CPU {cpu:.2f} ms per callback"
                    )
        if "poll" in parts:
            sys.path.insert(0, str(ROOT))
            from bench.sources_poll import poll_part

            kinds = [k for k in args.aggregators.split(",") if k]
            await poll_part(args.trackers, args.latency, args.runs, workdir, kinds, args.base_src)
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    asyncio.run(main())
