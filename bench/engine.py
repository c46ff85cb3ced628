"""Benchmark of the tracking engine (issue 3). Not a test: it prints figures and exits 0.

For each database (a SQLite file in a temporary directory, then a PostgreSQL database created
for the run and dropped afterwards) it loads N trackers with ``create_many`` (Ship24's sample
numbers ``SHIP24_SAMPLE_<MILESTONE>_<ddd>``, the seven milestones that have events, ~9.4
events each, three of them handed over to a postal operator), starts ``shiptrack worker``
processes exactly as production runs them, with the sandbox courier answering after
``SHIPTRACK_SANDBOX_LATENCY`` seconds (default 0.2), makes every tracker due at once and
waits until each has been checked. Two workloads:

* ``first``: first checks that discover each journey (~9.4 events stored per refresh, a new
  shipment row with its rendered tracking JSON; hand-over journeys take a second courier
  round for the leg's number);
* ``recheck``: the same trackers made due again: every refresh finds nothing new (the
  steady state of a large install: one courier round, events loaded and compared, the
  tracker's schedule stored).

The rate is measured over the steady part of each pass (between 10% and 90% of the
trackers checked, from ``last_checked_at``, which is the refresh's start), so
worker start-up and the tail of the last batches do not count. Also printed: events stored
per second, the drain time (all due at once until the last one is checked), the lag from
due to refresh (p50/max), CPU milliseconds per refresh (the workers, which includes the
sandbox courier's own work, plus PostgreSQL: the backends connected to the benchmark's
database — its work for this run, whatever else the server serves; sampled every 0.5 s, so
a backend that ends during a pass counts up to its last sample — and in brackets the
whole server, exited backends included, which on a shared server counts others' work too),
the workers' CPU use and resident memory, and the machine's load average.

At a million trackers a pass over all of them takes tens of minutes; ``--sample K`` makes
only K of the loaded trackers due in each pass (the first K by id, a random draw) so that
the figures at that size come in minutes:

    .venv/bin/python bench/engine.py --trackers 1000000 --sample 20000 --pg-workers 1

    .venv/bin/python bench/engine.py                       # 100,000 trackers, both engines
    .venv/bin/python bench/engine.py --trackers 20000 --engines sqlite
    SHIPTRACK_ENGINE_BATCH_SIZE=500 .venv/bin/python bench/engine.py --pg-workers 2

Each pass takes N / rate seconds: the default command makes six passes of 100,000 (SQLite
with one worker, PostgreSQL with one and with two), ~10 minutes at 1,000 refreshes/s.
``--runs R`` repeats every configuration (the trackers reset to never-checked in between)
and prints medians. On PostgreSQL each pass starts with ``VACUUM (ANALYZE)`` of the engine's
tables (not timed), as autovacuum would have run between two waves of updates.

Engine settings come from the environment like production (``SHIPTRACK_ENGINE_BATCH_SIZE``,
``SHIPTRACK_ENGINE_CONCURRENCY``, ``SHIPTRACK_DATABASE_POOL_SIZE``…); ``--batch-size`` and
``--concurrency`` set the first two for the workers. ``--profile DIR`` runs each worker under
cProfile (one ``.prof`` per worker, written when it stops); ``--py-spy DIR`` samples each
worker with py-spy during each pass (``pip install py-spy``; collapsed stacks, one file per
worker and pass).

One file above 450 lines on purpose: a user copies and reruns one script, and its parts
(loading, the workers, one pass, the report) only make sense together.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, bindparam, text
from sqlalchemy.engine import make_url

from shiptrack.accounts.service import create_account
from shiptrack.clock import utcnow
from shiptrack.config import Settings
from shiptrack.db import tables
from shiptrack.db.engine import Database
from shiptrack.db.migrate import upgrade
from shiptrack.db.types import UTCDateTime
from shiptrack.trackers.service import create_many
from shiptrack.trackers.validation import TrackerInput

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import spy, unspy  # noqa: E402

#: The sample journeys with events (PENDING answers "not found"): events per journey.
MILESTONES = {
    "INFO_RECEIVED": 3,
    "IN_TRANSIT": 10,
    "OUT_FOR_DELIVERY": 8,
    "FAILED_ATTEMPT": 9,
    "AVAILABLE_FOR_PICKUP": 12,
    "DELIVERED": 15,
    "EXCEPTION": 9,
}
#: Distinct sample numbers: 1000 per milestone. Each account gets each number once (a second
#: tracker of the same number and fields would be the first one again, by Ship24's reuse rule).
PER_ACCOUNT = len(MILESTONES) * 1000
LOAD_CHUNK = 1000
STEADY = (0.10, 0.90)

_T = bindparam("t", type_=UTCDateTime())
#: Since decision 28 the schedule is a table of its own (``tracker_schedule``); the benchmark
#: also runs older checkouts (``PYTHONPATH=<checkout>/src``), whose schedule is in ``trackers``.
SPLIT = hasattr(tables, "tracker_schedule")
SCHEDULE = "tracker_schedule" if SPLIT else "trackers"
#: The schedule joined to its tracker (``t``), for conditions on either.
_SCHEDULED = "tracker_schedule s JOIN trackers t ON t.id = s.tracker_id" if SPLIT else "trackers t"
PARK_ALL = text(f"UPDATE {SCHEDULE} SET next_check_at = NULL")
#: With ``--sample K``: the K trackers each pass makes due (the first K by id: random ids,
#: so a random draw of the journeys), in a table of the benchmark's own.
SAMPLE_TABLE = "bench_sample"
_IN_SAMPLE = f" AND t.id IN (SELECT id FROM {SAMPLE_TABLE})"
_KEY = "tracker_id" if SPLIT else "id"


def due_statement(sampled: bool) -> Any:
    where = _IN_SAMPLE if sampled else ""
    return text(
        f"UPDATE {SCHEDULE} SET next_check_at = :t WHERE {_KEY} IN "
        f"(SELECT t.id FROM trackers t WHERE t.is_tracked{where})"
    ).bindparams(_T)


def left_statement(sampled: bool) -> Any:
    where = _IN_SAMPLE if sampled else ""
    return text(
        f"SELECT COUNT(*) FROM {_SCHEDULED} WHERE t.is_tracked AND check_count < :k{where}"
    ).bindparams(bindparam("k", type_=Integer()))


CHECKED = (
    text(
        f"SELECT last_checked_at AS at, COUNT(*) AS n FROM {SCHEDULE} WHERE last_checked_at >= :t "
        "GROUP BY last_checked_at"
    )
    .bindparams(_T)
    .columns(at=UTCDateTime())
)
DISCOVERED = (
    text(
        "SELECT discovered_at AS at, COUNT(*) AS n FROM events WHERE discovered_at >= :t "
        "GROUP BY discovered_at"
    )
    .bindparams(_T)
    .columns(at=UTCDateTime())
)
STOPPED = text("SELECT COUNT(*) FROM trackers WHERE NOT is_tracked")
ERRORS = text(f"SELECT COUNT(*) FROM {SCHEDULE} WHERE error_count > 0")


def reset_statements(sampled: bool) -> tuple[str, ...]:
    key = f" {_KEY} IN (SELECT id FROM {SAMPLE_TABLE})" if sampled else " true"
    schedule = (
        "has_data = false, check_count = 0, last_checked_at = NULL, last_event_at = NULL, "
        "error_count = 0, next_check_at = NULL, due_at = NULL, lease_until = NULL, "
        "lease_owner = NULL"
    )
    tracked = "stop_reason = NULL, is_tracked = true"
    if not SPLIT:
        return (
            "DELETE FROM events",
            "DELETE FROM shipments",
            f"UPDATE trackers SET {schedule}, {tracked} WHERE{key}",
        )
    in_sample = f" id IN (SELECT id FROM {SAMPLE_TABLE})" if sampled else " true"
    return (
        "DELETE FROM events",
        "DELETE FROM shipments",
        f"UPDATE tracker_schedule SET {schedule} WHERE{key}",
        f"UPDATE trackers SET {tracked} WHERE{in_sample}",
    )


def sample_number(i: int) -> str:
    j = i % PER_ACCOUNT
    names = list(MILESTONES)
    return f"SHIP24_SAMPLE_{names[j % len(names)]}_{j // len(names):03d}"


def loadavg() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _stat(pid: int) -> list[str] | None:
    """``/proc/PID/stat`` fields after the command name (field 3 of proc(5) first)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (0 once it is gone)."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def memory_kb(pid: int, field: str) -> int:
    """A ``/proc/PID/status`` memory field (``VmRSS``, ``VmHWM``) in kB; 0 once gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def postgres_cpu_seconds(backend_pid: int) -> float:
    """CPU seconds of the whole PostgreSQL server so far: the postmaster (parent of
    ``backend_pid``), its live processes (backends, WAL writer, checkpointer…) and, through
    the postmaster's children times, every backend that has exited — connections a pool
    opened and closed during a pass are counted too."""
    fields = _stat(backend_pid)
    if fields is None:
        return math.nan
    postmaster = int(fields[1])
    own = _stat(postmaster)
    if own is None:
        return math.nan
    tick = os.sysconf("SC_CLK_TCK")
    total = sum(int(v) for v in own[11:15]) / tick  # utime, stime, cutime, cstime
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
    return total + sum(cpu_seconds(int(child)) for child in children)


async def database_backends(db: Database) -> list[int]:
    """The PostgreSQL backends connected to the benchmark's database (the workers' pools
    and the benchmark's own connection): their CPU is the database's work for this run,
    whatever else the server serves meanwhile."""
    async with db.read() as conn:
        rows = await conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        )
        return [int(row[0]) for row in rows]


def _alive_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds of those of ``pids`` still running."""
    found = {}
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# --- database set-up -------------------------------------------------------------------------


async def create_postgres_database(admin_url: str, name: str) -> str:
    from sqlalchemy.ext.asyncio import create_async_engine

    from shiptrack.db.engine import async_url

    engine = create_async_engine(async_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        await engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(admin_url: str, name: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from shiptrack.db.engine import async_url

    engine = create_async_engine(async_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await engine.dispose()


async def load(url: str, count: int, sample: int | None = None) -> float:
    """Migrate, then create ``count`` trackers (parked: not due) with ``create_many``, and
    with ``sample`` the table of the trackers each pass makes due; returns trackers created
    per second."""
    await upgrade(url)
    db = Database(url, pool_size=2)
    try:
        started = time.perf_counter()
        for first in range(0, count, PER_ACCOUNT):
            account = (await create_account(db, f"bench-{first // PER_ACCOUNT}")).account
            last = min(count, first + PER_ACCOUNT)
            for start in range(first, last, LOAD_CHUNK):
                items: list[Any] = [
                    TrackerInput(tracking_number=sample_number(i), courier_codes=("sandbox",))
                    for i in range(start, min(last, start + LOAD_CHUNK))
                ]
                outcomes = await create_many(db, account.id, items)
                assert all(o.created for o in outcomes), "a sample tracker was not created"
        rate = count / (time.perf_counter() - started)
        async with db.write() as conn:
            await conn.execute(PARK_ALL)
        if sample is not None:
            async with db.write() as conn:
                for statement in (
                    f"CREATE TABLE {SAMPLE_TABLE} (id VARCHAR(36) PRIMARY KEY)",
                    f"INSERT INTO {SAMPLE_TABLE} "
                    f"SELECT id FROM trackers ORDER BY id LIMIT {sample:d}",
                ):
                    await conn.exec_driver_sql(statement)
        if db.is_postgres:
            async with db.write() as conn:
                await conn.exec_driver_sql("ANALYZE")
        return rate
    finally:
        await db.dispose()


async def reset(url: str, sampled: bool = False) -> None:
    """Back to never-checked trackers with no shipments or events, parked."""
    db = Database(url, pool_size=2)
    try:
        async with db.write() as conn:
            for statement in reset_statements(sampled):
                await conn.exec_driver_sql(statement)
        if db.is_postgres:
            async with db.write() as conn:
                await conn.exec_driver_sql("ANALYZE")
    finally:
        await db.dispose()


# --- workers ---------------------------------------------------------------------------------


class Workers:
    """``shiptrack worker`` processes, started and stopped as in production (SIGTERM)."""

    def __init__(
        self,
        count: int,
        env: dict[str, str],
        workdir: Path,
        tag: str,
        *,
        profile: Path | None = None,
        spy_dir: Path | None = None,
    ) -> None:
        self.tag, self.spy_dir = tag, spy_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        for n in range(count):
            log = workdir / f"worker-{tag}-{n}.log"
            command = [sys.executable, "-m", "shiptrack", "worker", "--no-migrate"]
            if profile is not None:
                prof = profile / f"worker-{tag}-{n}.prof"
                command[1:1] = ["-m", "cProfile", "-o", str(prof)]
            with log.open("wb") as out:
                self.processes.append(
                    subprocess.Popen(command, env=env, cwd=workdir, stdout=out, stderr=out)
                )
            self.logs.append(log)

    def wait_started(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all("engine started" in log.read_text(errors="replace") for log in self.logs):
                return
            for process, log in zip(self.processes, self.logs, strict=True):
                if process.poll() is not None:
                    raise RuntimeError(f"worker exited early:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        raise RuntimeError("workers did not start")

    def spy(self, workload: str) -> list[subprocess.Popen[bytes]]:
        """With ``--py-spy DIR``: sample each worker (100 Hz) until ``unspy``, into
        DIR/<tag>-<n>-<workload>.txt (collapsed stacks: ``frame;frame;… count``)."""
        if self.spy_dir is None:
            return []
        directory = self.spy_dir
        return spy(
            {
                process.pid: directory / f"{self.tag}-{n}-{workload}.txt"
                for n, process in enumerate(self.processes)
            },
            rate=100,
            nonblocking=False,
        )

    unspy = staticmethod(unspy)

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.processes)

    def rss_mb(self) -> tuple[float, float]:
        """(resident now, peak resident) in MB, summed over the workers."""
        return (
            sum(memory_kb(p.pid, "VmRSS") for p in self.processes) / 1024,
            sum(memory_kb(p.pid, "VmHWM") for p in self.processes) / 1024,
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def errors(self) -> list[str]:
        found = []
        for log in self.logs:
            for line in log.read_text(errors="replace").splitlines():
                if "level=error" in line or "Traceback" in line:
                    found.append(line[:300])
        return found


# --- one pass: everything due at once, wait until all checked, measure ----------------------


@dataclass
class Pass:
    workload: str
    rate: float = math.nan
    events_rate: float = 0.0
    drain: float = math.nan
    lag_p50: float = math.nan
    lag_max: float = math.nan
    cpu: float = math.nan
    #: Worker CPU seconds, and PostgreSQL backend CPU seconds, over the pass.
    cpu_seconds: float = math.nan
    db_cpu: float = math.nan
    busy: float = math.nan
    #: Seconds of VACUUM (ANALYZE) before the pass (PostgreSQL).
    vacuum: float = math.nan
    #: Per refresh: worker CPU ms, PostgreSQL backend CPU ms.
    cpu_ms: float = math.nan
    db_cpu_ms: float = math.nan
    #: PostgreSQL CPU ms per refresh of the benchmark database's own backends only.
    own_db_cpu_ms: float = math.nan
    load: str = ""
    checked: int = 0
    #: Resident memory of the workers at the end of the pass (MB, summed) and their peak.
    rss_mb: tuple[float, float] = (math.nan, math.nan)
    notes: list[str] = field(default_factory=list)


def steady(points: list[tuple[float, int]], total: int) -> tuple[float, float]:
    """The window between STEADY[0] and STEADY[1] of ``total`` completions: (t0, t1)."""
    low, high = total * STEADY[0], total * STEADY[1]
    done, t_low, t_high = 0, points[0][0], points[-1][0]
    for t, n in points:
        before = done
        done += n
        if before < low <= done:
            t_low = t
        if before < high <= done:
            t_high = t
            break
    return t_low, t_high


async def vacuum(db: Database) -> float:
    """``VACUUM (ANALYZE)`` the engine's tables (PostgreSQL), as autovacuum would have done
    between two waves of updates; seconds taken. Without it a pass runs on the dead tuples of
    the previous one (every refresh updates its tracker two or three times)."""
    started = time.perf_counter()
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql(
            f"VACUUM (ANALYZE) trackers, shipments, events{', tracker_schedule' if SPLIT else ''}"
        )
    return time.perf_counter() - started


async def run_pass(
    url: str,
    workers: Workers,
    workload: str,
    target: int,
    count: int,
    timeout: float,
    sampled: bool = False,
) -> Pass:
    result = Pass(workload)
    db = Database(url, pool_size=2)
    try:
        if db.is_postgres:
            result.vacuum = await vacuum(db)
        pg_cpu0 = math.nan
        own0: dict[int, float] = {}
        if db.is_postgres:
            async with db.read() as conn:
                backend = int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            pg_cpu0 = postgres_cpu_seconds(backend)
            own0 = {pid: cpu_seconds(pid) for pid in await database_backends(db)}
        spies = workers.spy(workload)
        cpu0, (busy0, total0) = workers.cpu(), machine_busy()
        t0 = utcnow()
        started = time.monotonic()
        async with db.write() as conn:
            await conn.execute(due_statement(sampled), {"t": t0})
        last_left, progress_at = count, time.monotonic()
        left_query = left_statement(sampled)
        # Each backend's CPU as last seen: a backend that ends during the pass (a pool's
        # overflow connection) still counts, up to its last sample (≤ 0.5 s before it ended).
        seen = dict(own0)
        while True:
            # A sampled pass runs among many trackers: its count joins the sample, less often.
            await asyncio.sleep(2.0 if sampled else 0.5)
            async with db.read() as conn:
                left = int((await conn.execute(left_query, {"k": target})).scalar_one())
            if db.is_postgres:
                seen.update(_alive_cpu(await database_backends(db)))
            now = time.monotonic()
            if left == 0:
                break
            if left < last_left:
                last_left, progress_at = left, now
            elif now - progress_at > timeout:
                result.notes.append(f"no progress for {timeout:.0f} s with {left} left")
                break
        result.drain = time.monotonic() - started
        cpu1, (busy1, total1) = workers.cpu(), machine_busy()
        workers.unspy(spies)
        if db.is_postgres:
            # The whole server (same machine, nothing else using it during a pass).
            result.db_cpu = postgres_cpu_seconds(backend) - pg_cpu0
            own1 = _alive_cpu(await database_backends(db))
            seen.update(own1)
            own_cpu = sum(cpu - own0.get(pid, 0.0) for pid, cpu in seen.items())
            if set(seen) - set(own1):
                ended = len(set(seen) - set(own1))
                result.notes.append(f"{ended} backends ended (counted to their last sample)")
        result.cpu_seconds = cpu1 - cpu0
        result.rss_mb = workers.rss_mb()
        result.cpu = (cpu1 - cpu0) / result.drain
        result.busy = (busy1 - busy0) / max(1, total1 - total0)
        result.load = loadavg()
        async with db.read() as conn:
            checked = sorted(
                ((r.at - t0).total_seconds(), r.n) for r in await conn.execute(CHECKED, {"t": t0})
            )
            discovered = sorted(
                ((r.at - t0).total_seconds(), r.n)
                for r in await conn.execute(DISCOVERED, {"t": t0})
            )
            stopped = int((await conn.execute(STOPPED)).scalar_one())
            errors = int((await conn.execute(ERRORS)).scalar_one())
        total = sum(n for _, n in checked)
        result.checked = total
        result.cpu_ms = 1000 * result.cpu_seconds / max(1, total)
        result.db_cpu_ms = 1000 * result.db_cpu / max(1, total)
        if db.is_postgres:
            result.own_db_cpu_ms = 1000 * own_cpu / max(1, total)
        if stopped:
            result.notes.append(f"{stopped} trackers stopped")
        if errors:
            result.notes.append(f"{errors} trackers with courier errors")
        if not checked:
            return result
        lo, hi = steady(checked, total)
        if hi > lo:
            in_window = sum(n for t, n in checked if lo < t <= hi)
            result.rate = in_window / (hi - lo)
            result.events_rate = sum(n for t, n in discovered if lo < t <= hi) / (hi - lo)
        cumulative, half = 0, total / 2
        for t, n in checked:
            cumulative += n
            if cumulative >= half:
                result.lag_p50 = t
                break
        result.lag_max = checked[-1][0]
        return result
    finally:
        await db.dispose()


# --- a configuration: one engine, K workers, R runs of both workloads -----------------------


@dataclass
class Config:
    engine: str
    workers: int
    batch: int
    concurrency: int
    pool: int
    passes: dict[str, list[Pass]] = field(default_factory=lambda: {"first": [], "recheck": []})


def worker_env(url: str, args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "SHIPTRACK_DATABASE_URL": url,
        "SHIPTRACK_SANDBOX_LATENCY": str(args.latency),
        "SHIPTRACK_AUTO_MIGRATE": "false",
        "PYTHONPATH": os.pathsep.join(
            p for p in (os.environ.get("PYTHONPATH", ""), str(ROOT / "src")) if p
        ),
    }
    if args.batch_size:
        env["SHIPTRACK_ENGINE_BATCH_SIZE"] = str(args.batch_size)
    if args.concurrency:
        env["SHIPTRACK_ENGINE_CONCURRENCY"] = str(args.concurrency)
    return env


def settings_from(env: dict[str, str]) -> Settings:
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return Settings(_env_file=None)  # type: ignore[call-arg]
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_config(
    url: str, engine: str, workers: int, args: argparse.Namespace, workdir: Path, fresh: bool
) -> Config:
    env = worker_env(url, args)
    settings = settings_from(env)
    config = Config(
        engine,
        workers,
        settings.engine_batch_size,
        settings.engine_concurrency,
        settings.database_pool_size,
    )
    timeout = max(60.0, 3 * args.latency + 30)
    sample = sample_of(args)
    sampled, due = sample is not None, sample or args.trackers
    for run in range(args.runs):
        if not fresh or run:
            started = time.perf_counter()
            asyncio.run(reset(url, sampled))
            print(f"  reset in {time.perf_counter() - started:.1f} s", flush=True)
        tag = f"{engine}-w{workers}-r{run + 1}"
        pool = Workers(workers, env, workdir, tag, profile=args.profile, spy_dir=args.py_spy)
        try:
            pool.wait_started()
            for target, workload in ((1, "first"), (2, "recheck")):
                result = asyncio.run(
                    run_pass(url, pool, workload, target, due, timeout, sampled=sampled)
                )
                config.passes[workload].append(result)
                print(
                    f"  {tag} {workload:<8} {result.rate:>8,.0f} refreshes/s "
                    f"{result.events_rate:>9,.0f} events/s  drain {result.drain:6.1f} s  "
                    f"workers {result.cpu * 100:4.0f}% CPU, {result.cpu_ms:.2f} ms/refresh"
                    f", {result.rss_mb[0]:.0f} MB resident (peak {result.rss_mb[1]:.0f})"
                    + (
                        f" (+ PostgreSQL {result.db_cpu_ms:.2f}, its own backends "
                        f"{result.own_db_cpu_ms:.2f})"
                        if not math.isnan(result.db_cpu_ms)
                        else ""
                    )
                    + f"  machine {result.busy * 100:3.0f}% busy  load {result.load}"
                    + (f"  (vacuum {result.vacuum:.1f} s before)" if result.vacuum > 0 else "")
                    + (f"  ({'; '.join(result.notes)})" if result.notes else ""),
                    flush=True,
                )
        finally:
            pool.stop()
        for line in pool.errors()[:5]:
            print(f"  worker log: {line}", flush=True)
    return config


def sample_of(args: argparse.Namespace) -> int | None:
    """How many trackers each pass makes due, when fewer than all (``--sample``)."""
    return args.sample if args.sample and args.sample < args.trackers else None


async def database_mb(url: str) -> float:
    """The database's size on disk after loading (MB): the SQLite file and its log, or
    ``pg_database_size``."""
    db = Database(url, pool_size=1)
    try:
        if db.is_postgres:
            async with db.read() as conn:
                size = await conn.execute(text("SELECT pg_database_size(current_database())"))
                return int(size.scalar_one()) / 1e6
        path = Path(make_url(url).database or "")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    finally:
        await db.dispose()


def report(
    configs: list[Config],
    args: argparse.Namespace,
    loads: dict[str, float],
    sizes: dict[str, float],
) -> None:
    print()
    sample = sample_of(args)
    print(
        f"trackers: {args.trackers:,} (sample journeys, {len(MILESTONES)} milestones, "
        f"~{statistics.mean(MILESTONES.values()):.1f} events each)"
        + (f", each pass makes {sample:,} of them due (--sample)" if sample else "")
        + f", sandbox latency {args.latency:g} s, runs: {args.runs} (medians), steady window "
        f"{STEADY[0]:.0%}–{STEADY[1]:.0%} of the checks, {os.cpu_count()} CPUs"
    )
    for engine, rate in loads.items():
        print(
            f"load ({engine}): {rate:,.0f} trackers/s through create_many; database "
            f"{sizes.get(engine, math.nan):,.0f} MB after loading"
        )
    print()
    header = (
        f"{'engine':<11}{'workers':>8}{'batch':>6}{'conc':>5}  {'workload':<8}"
        f"{'refreshes/s':>12}{'events/s':>9}{'drain s':>8}{'lag p50/max s':>15}"
        f"{'CPU ms/refresh':>16}{'worker CPU':>11}{'machine':>8}{'RSS MB':>8}  load avg 1/5/15"
    )
    print(header)
    print("-" * (len(header) + 6))
    for config in configs:
        for workload, passes in config.passes.items():
            if not passes:
                continue

            def med(name: str, passes: list[Pass] = passes) -> float:
                values = [getattr(p, name) for p in passes if not math.isnan(getattr(p, name))]
                return statistics.median(values) if values else math.nan

            cpu = f"{med('cpu_ms'):.2f}"
            if not math.isnan(med("db_cpu_ms")):
                cpu += f" +{med('own_db_cpu_ms'):.2f} ({med('db_cpu_ms'):.2f}) pg"
            print(
                f"{config.engine:<11}{config.workers:>8}{config.batch:>6}{config.concurrency:>5}"
                f"  {workload:<8}{med('rate'):>12,.0f}{med('events_rate'):>9,.0f}"
                f"{med('drain'):>8.1f}{med('lag_p50'):>8.1f}/{med('lag_max'):<6.1f}"
                f"{cpu:>16}{med('cpu') * 100:>10.0f}%{med('busy') * 100:>7.0f}%"
                f"{max(p.rss_mb[1] for p in passes):>8.0f}  " + ", ".join(p.load for p in passes)
            )
    print()
    print(
        "refreshes/s: trackers checked per second between 10% and 90% of the pass (median of "
        "runs); events/s: events stored per second in that window; drain: all due at once "
        "until the last is checked; lag: due → refresh start; CPU ms/refresh: worker CPU (incl. "
        "the sandbox courier) + PostgreSQL: the benchmark database's backends (the whole "
        "server in brackets); worker CPU: % of one core, summed over "
        "workers; machine: all CPUs busy (other processes included); RSS MB: the workers' "
        "peak resident memory, summed."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trackers", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.2, help="sandbox latency, seconds")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sqlite-workers", default="1", help="comma-separated worker counts")
    parser.add_argument("--pg-workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--runs", type=int, default=1, help="passes of each workload (median)")
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        help="make only this many of the trackers due in each pass (large --trackers)",
    )
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="an existing database to connect to; the benchmark creates its own next to it",
    )
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the workers")
    parser.add_argument(
        "--py-spy", type=Path, default=None, help="sample the workers with py-spy, per pass"
    )
    args = parser.parse_args()
    # Which checkout runs (``PYTHONPATH=<checkout>/src``), and where its schedule lives.
    print(f"shiptrack from {Path(tables.__file__).parents[2]}; schedule in {SCHEDULE}")
    for name in ("profile", "py_spy"):
        if getattr(args, name) is not None:
            setattr(args, name, getattr(args, name).resolve())
            getattr(args, name).mkdir(parents=True, exist_ok=True)

    print(f"load average at start: {loadavg()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="shiptrack-bench-engine-"))
    configs: list[Config] = []
    loads: dict[str, float] = {}
    sizes: dict[str, float] = {}
    try:
        for engine in args.engines.split(","):
            engine = engine.strip()
            counts = [
                int(c)
                for c in (args.sqlite_workers if engine == "sqlite" else args.pg_workers).split(",")
                if c.strip()
            ]
            pg_name = None
            if engine == "sqlite":
                url = f"sqlite:///{workdir / 'bench.db'}"
            elif engine in ("postgresql", "postgres"):
                engine = "postgresql"
                pg_name = f"shiptrack_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
                try:
                    url = asyncio.run(create_postgres_database(args.postgres_url, pg_name))
                except Exception as exc:  # a report, not a test: say why and go on
                    print(f"postgresql: skipped ({exc!r})", flush=True)
                    continue
            else:
                print(f"unknown engine {engine!r}: skipped", flush=True)
                continue
            try:
                print(f"{engine}: loading {args.trackers:,} trackers…", flush=True)
                loads[engine] = asyncio.run(load(url, args.trackers, sample_of(args)))
                sizes[engine] = asyncio.run(database_mb(url))
                print(f"{engine}: loaded at {loads[engine]:,.0f} trackers/s", flush=True)
                for n, workers in enumerate(counts):
                    configs.append(run_config(url, engine, workers, args, workdir, fresh=n == 0))
            except Exception as exc:
                print(f"{engine}: failed ({exc!r})", flush=True)
            finally:
                if pg_name is not None:
                    asyncio.run(drop_postgres_database(args.postgres_url, pg_name))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(configs, args, loads, sizes)


if __name__ == "__main__":
    main()
