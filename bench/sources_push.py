"""Part 1 of ``bench/sources.py``: push callbacks accepted and stored per second.

``shiptrack serve`` (the engine off, so nothing else writes; ``--serve-workers`` workers) with
one upstream enabled (``--source``: aftership, ship24, track17 or trackingmore); N trackers
(fake USPS numbers, ``courierCode: us-post``) created through the API, each registered with
that upstream (rows in ``upstream_registrations``, as the engine leaves them). Every callback
is rendered and signed by the provider's fake *before* the timed part (the provider's own
body and signature: the whole checkpoint history), then POSTed over real HTTP with
``--concurrency`` in flight, by ``wrk`` (one thread, a Lua script that sends each body once;
the default when ``wrk`` is installed) or by an aiohttp client (``--client aiohttp``, in the
bench's own process: it takes CPU from the server on a small machine). Three phases:

* ``first``: each journey's first push (its events so far, all new);
* ``update``: six journey-hours later, the provider's next push (the whole history again,
  one or two events new);
* ``retry``: the update pushes delivered again (a provider's retry): each answered
  ``duplicate: true``, nothing stored.

Every answer is checked (200 and ``duplicate`` false — true for ``retry``), and after each
phase the database: one ``source_callbacks`` row per new callback, and exactly the events the
journeys hold at that time, stored once (nothing lost, no duplicates). Figures per phase:
callbacks/s (answered / wall time), CPU of the server's processes per callback (from
``/proc``), CPU of the PostgreSQL backends serving the bench's database per callback
(``database``, from ``/proc`` too; 0 on SQLite, whose work is the server's), CPU of the client
per callback, and the load average.

The server runs the ``shiptrack`` this script imports: ``PYTHONPATH=<checkout>/src`` runs
another checkout's code under the same benchmark (the before/after comparison).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import resource
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from shiptrack.couriers.connectors.aggregator_fake import UPSTREAM_FAKE, signed
from shiptrack.couriers.fakes import CarrierJourneys
from shiptrack.couriers.fakes.aggregators import ENV_PREFIX, aggregator_source
from shiptrack.db.engine import Database
from shiptrack.db.source_tables import source_callbacks, upstream_registrations
from shiptrack.db.tables import events

API_KEY = "bench-upstream-key"
SECRET = "bench-upstream-secret"

#: Sends each pre-signed callback once (``%(records)s``: two lines per callback, its headers
#: joined by \\x1f, then its body), counts the answers (stored, duplicate, anything else) and
#: prints ``DONE stored duplicate bad seconds`` once every callback is answered. Connections
#: that ask for more meanwhile get ``GET /healthz`` (no database), not counted.
PUSH_LUA = r"""
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } push_timespec;
           int clock_gettime(int clk, push_timespec *tp); ]]
local ts = ffi.new("push_timespec")
local function now()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end
local requests = {}
local file = assert(io.open("%(records)s", "r"))
while true do
  local head = file:read("*l")
  if head == nil then break end
  local body = file:read("*l")
  local headers = {}
  for field in head:gmatch("[^\31]+") do
    local name, value = field:match("^([^:]+): (.*)$")
    headers[name] = value
  end
  requests[#requests + 1] = wrk.format("POST", "%(path)s", headers, body)
end
file:close()
local filler = wrk.format("GET", "/healthz")
local sent, stored, duplicate, bad, started, verified = 0, 0, 0, 0, nil, false
request = function()
  -- wrk asks for one request before it starts, to check it: not sent.
  if not verified then verified = true; return requests[1] end
  if started == nil then started = now() end
  sent = sent + 1
  if sent <= #requests then return requests[sent] end
  return filler
end
response = function(status, headers, body)
  if status == 200 and body:find('"duplicate":false', 1, true) then
    stored = stored + 1
  elseif status == 200 and body:find('"duplicate":true', 1, true) then
    duplicate = duplicate + 1
  elseif status == 200 and body:find('"status":"ok"', 1, true) then
    return
  else
    bad = bad + 1
    if bad <= 3 then io.write("BAD " .. status .. " " .. body:sub(1, 200) .. "\n") end
  end
  if stored + duplicate + bad == #requests then
    io.write(string.format("DONE %%d %%d %%d %%.6f\n", stored, duplicate, bad, now() - started))
    io.flush()
    wrk.thread:stop()
  end
end
"""


@dataclass(slots=True)
class Answered:
    stored: int
    duplicate: int
    bad: list[str]
    seconds: float


def send_wrk(origin: str, path: str, bodies: list[tuple[dict[str, str], bytes]], connections: int):
    """POST every callback once with wrk (one thread): what was answered, and the time from
    the first request to the last answer."""
    with tempfile.TemporaryDirectory(prefix="shiptrack-push-") as tmp:
        records = Path(tmp) / "records"
        with open(records, "wb") as out:
            for headers, body in bodies:
                head = "\x1f".join(f"{k}: {v}" for k, v in headers.items()).encode()
                if b"\n" in body or b"\n" in head:
                    raise SystemExit("a callback body holds a newline: wrk's records need one line")
                out.write(head + b"\n" + body + b"\n")
        script = Path(tmp) / "push.lua"
        script.write_text(PUSH_LUA % {"records": records, "path": path})
        seconds = 60 + len(bodies) // 20  # a bound: DONE normally ends it long before
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), origin]
        lines: list[str] = []
        done: str | None = None
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith("DONE "):
                    done = line
                    process.send_signal(signal.SIGINT)
                lines.append(line)
    if done is None:
        raise SystemExit(f"wrk did not answer every callback: {''.join(lines)}")
    stored, duplicate, bad, seconds = done.split()[1:]
    failures = [line.strip() for line in lines if line.startswith("BAD ")]
    failures += [f"{int(bad) - len(failures)} more"] if int(bad) > len(failures) else []
    return Answered(int(stored), int(duplicate), failures, float(seconds))


async def send_aiohttp(
    target: str, bodies: list[tuple[dict[str, str], bytes]], concurrency: int
) -> Answered:
    """POST every callback with ``concurrency`` in flight from this process."""
    queue = list(reversed(bodies))
    answered = Answered(0, 0, [], 0.0)

    async def sender(session: aiohttp.ClientSession) -> None:
        while queue:
            headers, body = queue.pop()
            async with session.post(target, data=body, headers=headers) as response:
                text = await response.read()
                if response.status == 200 and b'"duplicate":false' in text:
                    answered.stored += 1
                elif response.status == 200 and b'"duplicate":true' in text:
                    answered.duplicate += 1
                else:
                    answered.bad.append(f"{response.status} {text[:200]!r}")

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(sender(session) for _ in range(concurrency)))
        answered.seconds = time.perf_counter() - started
    return answered


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def client_cpu() -> float:
    """CPU seconds of the waited-for children (wrk) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def backend_cpu(db: Database) -> float:
    """CPU seconds used so far by the PostgreSQL backends connected to the bench's database
    (its server's connections and this script's), from ``/proc``: the database's side of a
    callback, which the server's own CPU leaves out. 0 on SQLite (it runs in the server)."""
    if not db.is_postgres:
        return 0.0
    from bench.sources import process_cpu

    async with db.read() as conn:
        rows = await conn.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        )
        return sum(process_cpu(int(pid)) for (pid,) in rows)


async def perf_backends(db: Database) -> subprocess.Popen[bytes] | None:
    """With ``BENCH_PERF=<file>`` (PostgreSQL, ``perf`` installed, enough privileges):
    ``perf record -g`` of the backends connected to the bench's database, during the phase
    ``BENCH_PYSPY_PHASE`` names (where PostgreSQL's side of a callback goes)."""
    out = os.environ.get("BENCH_PERF")
    if not out or not db.is_postgres:
        return None
    async with db.read() as conn:
        rows = await conn.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        pids = ",".join(str(pid) for (pid,) in rows)
    command = ["perf", "record", "-g", "-F", "999", "-o", out, "-p", pids]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def analyze(db: Database) -> None:
    """On PostgreSQL, ``ANALYZE`` before each phase (not timed), as autovacuum's analyses
    would have run in a deployment as the tables filled (it may be off where the bench
    runs: ``SHOW autovacuum`` is printed): plans are not made from the statistics of
    never-analysed or empty tables (``--no-analyze``: as they are, autovacuum off)."""
    if not db.is_postgres:
        return
    async with db.write() as conn:
        await conn.exec_driver_sql("ANALYZE")


async def count(db: Database, table: Any) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def push_pass(url: str, args: Any, workdir: Path, source: str) -> dict[str, float]:
    """One pass of the three phases on the database at ``url``: figures per phase."""
    from bench.sources import Server, create_trackers, loadavg, prepare, usps_numbers

    client = args.client
    if client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is needed for --client wrk (apt-get install wrk)")
    db, key = await prepare(url)
    if db.is_postgres:
        async with db.read() as conn:
            autovacuum = (await conn.exec_driver_sql("SHOW autovacuum")).scalar_one()
        print(
            f"PostgreSQL autovacuum {autovacuum}; ANALYZE before each phase: "
            f"{'no' if args.no_analyze else 'yes'}",
            flush=True,
        )
    prefix = ENV_PREFIX[source]
    env = {
        "SHIPTRACK_ENGINE_ENABLED": "false",
        f"{prefix}API_KEY": API_KEY,
        f"{prefix}BASE_URL": "http://127.0.0.1:9",
        # 17TRACK signs its pushes with the API key itself.
        **({} if source == "track17" else {f"{prefix}WEBHOOK_SECRET": SECRET}),
    }
    server = Server(url, env, workdir, args.serve_workers)
    try:
        await server.ready()
        numbers = usps_numbers(args.callbacks, 8)  # SBX_REDELIVERY: ~60 hours of scans
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
                        "source": source,
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
        play = aggregator_source(journeys)
        module = importlib.import_module(f"shiptrack.couriers.connectors.{source}.fake")
        fake = module.create_app(play, api_key=API_KEY, webhook_secret=SECRET)
        for number in numbers:  # the provider knows what shiptrack registered
            fake[UPSTREAM_FAKE].register(number, "us-post")
            journeys.start(number, clock.now - dt.timedelta(hours=30))
        # Every body rendered and signed before anything is timed; the events each phase
        # must leave stored are what the journeys hold at its time.
        first = [signed(fake, [n]) for n in numbers]
        first_events = sum(len(play(n).events) for n in numbers)
        clock.now += dt.timedelta(hours=6)
        update = [signed(fake, [n]) for n in numbers]
        update_events = sum(len(play(n).events) for n in numbers)
        phases = [
            ("first", first, first_events, False),
            ("update", update, update_events, False),
            ("retry", update, update_events, True),
        ]
        path = f"/public/v1/sources/{source}/callback"
        figures: dict[str, float] = {}
        for phase, bodies, expected_events, duplicates in phases:
            if not args.no_analyze:
                await analyze(db)
            callbacks_before = await count(db, source_callbacks)
            events_before = await count(db, events)
            cpu, client, backends = server.cpu_seconds(), client_cpu(), await backend_cpu(db)
            profiled = os.environ.get("BENCH_PYSPY_PHASE") == phase
            perf = await perf_backends(db) if profiled else None
            if profiled:
                server.profile()
            if args.client == "wrk":
                answered = send_wrk(server.origin, path, bodies, args.concurrency)
            else:
                answered = await send_aiohttp(server.origin + path, bodies, args.concurrency)
            server_cpu = server.cpu_seconds() - cpu
            if profiled:
                server.stop_profile()
            if perf is not None:
                perf.send_signal(signal.SIGINT)  # perf writes its file and exits
                perf.wait(60)
            database_cpu = await backend_cpu(db) - backends
            total = len(bodies)
            if answered.bad or (answered.duplicate if not duplicates else answered.stored):
                raise SystemExit(
                    f"{source} {phase}: {answered.stored} stored, {answered.duplicate} "
                    f"duplicates, {len(answered.bad)} failed, e.g. {answered.bad[:3]}"
                )
            stored_events = await count(db, events)
            callbacks = await count(db, source_callbacks) - callbacks_before
            if stored_events != expected_events or callbacks != (0 if duplicates else total):
                raise SystemExit(
                    f"{source} {phase}: {stored_events} events stored (the journeys hold "
                    f"{expected_events}), {callbacks} callbacks recorded (of {total})"
                )
            figures[phase] = total / answered.seconds
            figures[f"{phase}_cpu_ms"] = server_cpu * 1000 / total
            figures[f"{phase}_client_ms"] = (client_cpu() - client) * 1000 / total
            figures[f"{phase}_db_ms"] = database_cpu * 1000 / total
            figures[f"{phase}_events"] = (stored_events - events_before) / total
            figures[f"{phase}_load"] = float(loadavg().split()[0])
        return figures
    finally:
        server.stop()
        await db.dispose()


def code_under_test() -> str:
    """Which checkout's ``shiptrack`` runs (its ``src``) and its commit."""
    import shiptrack

    src = Path(shiptrack.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(src), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "?", ""
    return f"{src} at {commit}{' (changed)' if dirty else ''}"


def describe(source: str, engine: str, result: dict[str, float]) -> str:
    parts = [
        f"{phase} {result[phase]:.0f}/s (server {result[f'{phase}_cpu_ms']:.3f} ms, "
        f"database {result[f'{phase}_db_ms']:.3f} ms, client "
        f"{result[f'{phase}_client_ms']:.3f} ms, {result[f'{phase}_events']:.1f} ev, "
        f"load {result[f'{phase}_load']:.1f})"
        for phase in ("first", "update", "retry")
    ]
    return f"push {source} {engine}: " + "; ".join(parts)


async def run_push(args: Any, engines: list[str], workdir: Path) -> None:
    """``--runs`` passes per database and upstream, each printed, then the medians."""
    from bench.sources import make_postgres

    print(f"code under test: {code_under_test()}")
    for source in args.sources.split(","):
        for engine in engines:
            results = []
            for _ in range(args.runs):
                if engine == "sqlite":
                    url = f"sqlite:///{workdir / f'push-{uuid.uuid4().hex[:6]}.db'}"
                    result = await push_pass(url, args, workdir, source)
                else:
                    url, drop = await make_postgres(args.postgres_url)
                    try:
                        result = await push_pass(url, args, workdir, source)
                    finally:
                        await drop()
                results.append(result)
                print(describe(source, engine, result), flush=True)
            medians = {k: statistics.median(r[k] for r in results) for k in results[0]}
            print(describe(source, engine, medians).replace("push ", "median push ", 1))
