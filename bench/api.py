"""Benchmark of the Trackers API (issues 2 and 16). Not a test: it prints figures.

Starts ``shiptrack`` on a fresh SQLite file (or --database-url) and, beside it, the bare-stack
ceiling (``bench/bare.py``: a minimal Starlette app on uvicorn reading one ~1 KB row by
primary key from its own SQLite file of N rows, same workers, one socket each), and drives
both from a second process (wrk, 1 thread):

1. loads N trackers with bulk creates of 100 (timed: the bulk create throughput from an empty
   database up to N);
2. then, R runs of: GET /trackers/{id}/results over 5,000 random trackers at full speed; the
   same for a bare primary-key-read endpoint inside shiptrack's app (the in-app ceiling:
   shiptrack's middleware and routing, no auth, no business logic); the same ids on the
   bare-stack ceiling; GET results again, paced at half the rate this run measured (p50/p99
   at half load); then single creates and bulk creates again (not with ``--reads-only``).
   Reads run first in each run, so the first run's reads are at exactly N trackers; every
   create phase adds trackers, and the count is printed with each run;
3. prints medians: bulk create throughput (trackers/s), single create throughput (req/s), GET
   results req/s with p50/p99, both ceilings, the ratio of results to the bare-stack ceiling
   (the median of each run's own ratio: both measured minutes apart under the same load),
   p50/p99 at half the maximum rate, non-2xx answers, and the server's resident memory (all
   uvicorn processes) at N trackers and at the end.

    python bench/api.py                    # 100,000 trackers, 2 workers, 3 runs
    python bench/api.py --trackers 20000 --runs 1
    python bench/api.py --trackers 20000 --runs 5 --reads-only --py-spy /tmp/spy
    python bench/api.py --trackers 1000000 --runs 3 --reads-only                  # SQLite
    python bench/api.py --trackers 1000000 --runs 3 --reads-only --postgresql     # PostgreSQL

``--postgresql`` runs shiptrack on a scratch database created on ``--postgres-url``'s server
(``BENCH_POSTGRES_URL``, default ``postgresql://postgres@127.0.0.1:5432/test``) and dropped at
the end; the bare-stack ceiling stays on SQLite (it is the stack's ceiling, not a database's).

``--py-spy DIR`` samples every API worker with py-spy during the first run's full-speed
results phase (``pip install py-spy``): collapsed stacks per worker, and a summary of the
top frames (own time and cumulative) in DIR/top.txt.

Needs ``wrk`` (Debian: apt-get install wrk). One file above 400 lines on purpose: the
script runs alone with the standard library, and ``bench/servers.py`` and ``bench/engine.py``
borrow its wrk and py-spy helpers.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

CREATE_LUA = """
local n = 0
local tid = tostring(math.random(100000, 999999))
request = function()
  n = n + 1
  local body = '{"trackingNumber":"BENCH' .. tid .. 'N' .. n .. '"}'
  return wrk.format("POST", "/public/v1/trackers", nil, body)
end
"""

BULK_LUA = """
local n = 0
local done = 0
local cap = %(requests)d
local tid = tostring(math.random(100000, 999999))
response = function(status, headers, body)
  done = done + 1
  if cap > 0 and done == cap then io.write("CAP\\n"); io.flush(); wrk.thread:stop() end
end
request = function()
  local items = {}
  for i = 1, 100 do
    n = n + 1
    items[i] = '{"trackingNumber":"BULK' .. tid .. 'N' .. n .. '"}'
  end
  return wrk.format("POST", "/public/v1/trackers/bulk", nil, '[' .. table.concat(items, ',') .. ']')
end
"""

IDS_LUA = """
local ids = {}
for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", string.format("%(path)s", id))
end
"""

# Paced: requests leave on a fixed schedule of %(rate)s/s shared by all connections (each
# connection, when free, takes the next slot), so the rate holds whatever the latency while
# connections are free; wrk's latency is then each request's own time.
PACED_LUA = (
    """
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
           int clock_gettime(int clk, bench_timespec *tp); ]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local interval = 1000 / %(rate)s
local slot = nil
delay = function()
  local now = now_ms()
  if slot == nil or slot < now - 100 then slot = now end
  slot = slot + interval
  return math.max(0, slot - interval - now)
end
"""
    + IDS_LUA
)


def call(url: str, key: str, method: str = "GET", body: object = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def wrk(url: str, key: str, script: str, seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        handle.name,
        "-H",
        f"Authorization: Bearer {key}",
        "-H",
        "Content-Type: application/json",
        url,
    ]
    try:
        # A script that prints CAP has made its requests: SIGINT makes wrk stop and report
        # (its run time then ends there, not at -d).
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            lines = []
            for line in process.stdout:
                if line.strip() == "CAP":
                    process.send_signal(signal.SIGINT)
                    continue
                lines.append(line)
        if process.returncode:
            raise SystemExit(f"wrk failed ({process.returncode}): {''.join(lines)}")
        out = "".join(lines)
    finally:
        os.unlink(handle.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def pct(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)  # type: ignore[union-attr]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": rps,
        "requests": total,
        "p50_ms": pct("50"),
        "p99_ms": pct("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def rss_each(pid: int, field: str = "VmRSS", source: str = "status") -> list[float]:
    """Resident memory of a process and each of its descendants, in MB, parent first
    (``pss_each``: their proportional set size instead)."""
    found = []
    pids = [pid]
    while pids:
        current = pids.pop(0)
        try:
            status = Path(f"/proc/{current}/{source}").read_text()
            found.append(int(re.search(rf"{field}:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(c) for c in children)
        except (FileNotFoundError, AttributeError):
            continue
    return found


def pss_each(pid: int) -> list[float]:
    """Proportional set size of a process and each of its descendants, in MB, parent first:
    pages shared by several processes (the interpreter, shared libraries) counted once in all,
    where their resident memory counts them in each."""
    return rss_each(pid, "Pss", "smaps_rollup")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    return sum(rss_each(pid))


def wait_ready(process: subprocess.Popen[bytes], url: str) -> None:
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"server did not start ({url})")


def start_bare(workdir: Path, ids_file: Path, rows: int, port: int, workers: int) -> Any:
    """The bare-stack ceiling (``bench/bare.py``) on its own SQLite file of ``rows`` rows."""
    database = workdir / "bare.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bare = [sys.executable, "-m", "bench.bare"]
    subprocess.run([*bare, "fill", str(database), str(ids_file), str(rows)], env=env, check=True)
    process = subprocess.Popen([*bare, "serve", str(database), str(port), str(workers)], env=env)
    wait_ready(process, f"http://127.0.0.1:{port}/readyz")
    return process


def worker_pids(pid: int) -> list[int]:
    """The server's worker processes (the supervisor's children)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [int(c) for c in children]


def workers_cpu(pid: int) -> float:
    """User + system CPU seconds of the server's worker processes so far."""
    total = 0.0
    for child in worker_pids(pid):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def spy(
    outputs: dict[int, Path], rate: int = 200, nonblocking: bool = True
) -> list[subprocess.Popen[bytes]]:
    """py-spy on each process id of ``outputs`` until ``unspy``, sampling ``rate`` times a
    second into its file (collapsed stacks: ``frame;frame;… count``)."""
    exe = Path(sys.executable).with_name("py-spy")
    command = [str(exe) if exe.exists() else "py-spy", "record", "--format", "raw"]
    command += ["--rate", str(rate), *(["--nonblocking"] if nonblocking else [])]
    return [
        subprocess.Popen(
            [*command, "--pid", str(pid), "--output", str(output)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid, output in outputs.items()
    ]


def unspy(spies: list[subprocess.Popen[bytes]]) -> None:
    for process in spies:
        process.send_signal(signal.SIGINT)
    for process in spies:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def top_frames(out: Path, count: int = 25) -> str:
    """The frames of the collapsed stacks in ``out`` with the most samples: own (the frame
    on top of the stack) and cumulative (anywhere in it, counted once per stack)."""
    own: dict[str, int] = {}
    total: dict[str, int] = {}
    samples = 0
    for path in out.glob("worker-*.txt"):
        for line in path.read_text(errors="replace").splitlines():
            stack, _, n = line.rpartition(" ")
            if not stack or not n.isdigit():
                continue
            hits = int(n)
            samples += hits
            frames = [re.sub(r" \(/.*/(site-packages|src)/", " (", f) for f in stack.split(";")]
            own[frames[-1]] = own.get(frames[-1], 0) + hits
            for frame in set(frames):
                total[frame] = total.get(frame, 0) + hits
    lines = [f"{samples} samples"]
    for title, table in (("own", own), ("cumulative", total)):
        lines.append(f"-- {title}")
        for frame, hits in sorted(table.items(), key=lambda kv: -kv[1])[:count]:
            lines.append(f"{100 * hits / max(samples, 1):5.1f}%  {frame}")
    return "\n".join(lines)


def start_server(
    workdir: Path, database_url: str, port: int, workers: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SHIPTRACK_DATABASE_URL": database_url,
        "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
        "SHIPTRACK_ENGINE_ENABLED": "false",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    subprocess.run(
        [sys.executable, "-m", "shiptrack", "db", "upgrade"],
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    # The ceiling app (shiptrack's app plus /ceiling/{id}), served as `shiptrack serve` does.
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.ceiling", str(port), str(workers)],
        env=env,
        cwd=workdir,
    )
    wait_ready(process, f"http://127.0.0.1:{port}/readyz")
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trackers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--postgresql", action="store_true", help="a scratch PostgreSQL database")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--reads-only", action="store_true", help="no create phases after the load")
    parser.add_argument("--py-spy", type=Path, default=None, metavar="DIR")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="shiptrack-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    scratch = f"bench_api_{os.getpid()}" if args.postgresql else None
    if scratch is not None:
        database_url = postgres_database(args.postgres_url, scratch, create=True)
    env = {**os.environ, "SHIPTRACK_DATABASE_URL": database_url}
    key = (
        subprocess.run(
            [sys.executable, "-m", "shiptrack", "accounts", "create", "bench"],
            env=env,
            cwd=workdir,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = 18000 + random.randint(0, 999)
    server = start_server(workdir, database_url, port, args.workers)
    bare: Any = None
    base = f"http://127.0.0.1:{port}"
    load = os.getloadavg()
    try:
        # Load: bulk creates of 100 from an empty database until N trackers exist, timed.
        bulk = wrk(
            base,
            key,
            BULK_LUA % {"requests": max(1, args.trackers // 100)},
            3600,
            args.connections // 4,
        )
        loaded = bulk["requests"] * 100
        print(
            f"loaded {loaded:,} trackers at {bulk['rps'] * 100:,.0f} trackers/s "
            f"(bulk creates of 100, {args.connections // 4} connections)",
            flush=True,
        )

        ids: list[str] = []
        page = 1
        while len(ids) < 5000:
            got = call(f"{base}/public/v1/trackers?limit=500&page={page}", key)
            found = [t["trackerId"] for t in got["data"]["trackers"]]  # type: ignore[index]
            if not found:  # fewer than 5,000 trackers
                break
            ids += found
            page += 1
        ids_file = workdir / "ids.txt"
        ids_file.write_text("\n".join(ids) + "\n")
        bare_port = port + 1000
        bare = start_bare(workdir, ids_file, loaded, bare_port, args.workers)
        bare_base = f"http://127.0.0.1:{bare_port}"

        results: dict[str, list[dict[str, float]]] = {
            "create": [],
            "bulk": [bulk],
            "results": [],
            "ceiling": [],
            "bare": [],
            "paced": [],
        }
        ratios: list[float] = []
        cost_ratios: list[float] = []
        rss: list[float] = []
        rss_at_n = pss_at_n = math.nan
        load = os.getloadavg()

        def reads(path: str, url: str = base, rate: float = 0) -> dict[str, float]:
            script = (PACED_LUA if rate else IDS_LUA) % {
                "ids": ids_file,
                "path": path,
                "rate": f"{rate:.1f}",
            }
            owner = server if url == base else bare
            before = workers_cpu(owner.pid)
            got = wrk(url, key, script, args.seconds, args.connections)
            # CPU of the server's workers per request: less sensitive to other load than
            # the rate (what a request costs, not how much CPU the workers were given).
            got["cpu_us"] = (workers_cpu(owner.pid) - before) / max(got["requests"], 1) * 1e6
            return got

        for run in range(args.runs):
            at_start = loaded
            spies = []
            if run == 0 and args.py_spy is not None:
                args.py_spy.mkdir(parents=True, exist_ok=True)
                pids = worker_pids(server.pid)
                spies = spy({pid: args.py_spy / f"worker-{pid}.txt" for pid in pids})
                time.sleep(1)
            results["results"].append(reads("/public/v1/trackers/%s/results"))
            if spies:
                unspy(spies)
                (args.py_spy / "top.txt").write_text(top_frames(args.py_spy) + "\n")
                print(f"py-spy: {args.py_spy / 'top.txt'}", flush=True)
            results["ceiling"].append(reads("/ceiling/%s"))
            results["bare"].append(reads("/rows/%s", bare_base))
            ratios.append(results["results"][-1]["rps"] / results["bare"][-1]["rps"])
            cost_ratios.append(results["bare"][-1]["cpu_us"] / results["results"][-1]["cpu_us"])
            half = results["results"][-1]["rps"] / 2
            results["paced"].append(reads("/public/v1/trackers/%s/results", rate=half))
            if run == 0:
                each = rss_each(server.pid)
                rss_at_n = sum(each)
                pss = pss_each(server.pid)
                pss_at_n = sum(pss)
                print(
                    "server RSS by process (MB, supervisor first): "
                    + ", ".join(f"{mb:.0f}" for mb in each)
                    + f" = {rss_at_n:.0f}; PSS "
                    + ", ".join(f"{mb:.0f}" for mb in pss)
                    + f" = {pss_at_n:.0f}",
                    flush=True,
                )
            if not args.reads_only:
                results["create"].append(wrk(base, key, CREATE_LUA, args.seconds, args.connections))
                loaded += results["create"][-1]["requests"]
                if run:
                    results["bulk"].append(
                        wrk(
                            base,
                            key,
                            BULK_LUA % {"requests": 0},
                            args.seconds,
                            args.connections // 4,
                        )
                    )
                    loaded += results["bulk"][-1]["requests"] * 100
            rss.append(rss_mb(server.pid))
            print(
                f"run {run + 1} (reads at {at_start:,} trackers, {loaded:,} after creates): "
                + ", ".join(
                    f"{name} {r[-1]['rps'] * (100 if name == 'bulk' else 1):,.0f}/s"
                    for name, r in results.items()
                    if r
                )
                + f", results/bare {ratios[-1]:.2f} (CPU {cost_ratios[-1]:.2f})"
                + f", paced p99 {results['paced'][-1]['p99_ms']:.1f} ms"
                + f", RSS {rss[-1]:.0f} MB, load {loadavg()}",
                flush=True,
            )
        load = os.getloadavg()
    finally:
        server.terminate()
        server.wait(20)
        if bare is not None:
            bare.terminate()
            bare.wait(20)
        if scratch is not None:
            postgres_database(args.postgres_url, scratch, create=False)
    shutil.rmtree(workdir, ignore_errors=True)

    def med(name: str, field: str) -> float:
        return statistics.median(r[field] for r in results[name])

    def non_2xx(name: str) -> int:
        return int(sum(r["errors"] for r in results[name]))

    print()
    print(
        f"database: {database_url.split(':')[0]}, trackers: {args.trackers:,} loaded, "
        f"{loaded:,} at the end, API workers: {args.workers}, wrk: 1 thread, "
        f"{args.connections} connections, {args.seconds}s x {args.runs} runs (medians), "
        f"load average at the end {'/'.join(f'{x:.2f}' for x in load)}"
    )
    print(f"bulk create          {med('bulk', 'rps') * 100:>10,.0f} trackers/s")
    if results["create"]:
        print(
            f"single create        {med('create', 'rps'):>10,.0f} req/s   p50 "
            f"{med('create', 'p50_ms'):.1f} ms  p99 {med('create', 'p99_ms'):.1f} ms  "
            f"(non-2xx: {non_2xx('create')})"
        )
    print(
        f"GET results          {med('results', 'rps'):>10,.0f} req/s   p50 "
        f"{med('results', 'p50_ms'):.1f} ms  p99 {med('results', 'p99_ms'):.1f} ms  "
        f"{med('results', 'cpu_us'):.0f} µs CPU/request  (non-2xx: {non_2xx('results')})"
    )
    print(
        f"  at half that rate  {med('paced', 'rps'):>10,.0f} req/s   p50 "
        f"{med('paced', 'p50_ms'):.1f} ms  p99 {med('paced', 'p99_ms'):.1f} ms  "
        f"(non-2xx: {non_2xx('paced')})"
    )
    print(
        f"in-app ceiling       {med('ceiling', 'rps'):>10,.0f} req/s   p50 "
        f"{med('ceiling', 'p50_ms'):.1f} ms  p99 {med('ceiling', 'p99_ms'):.1f} ms  "
        f"{med('ceiling', 'cpu_us'):.0f} µs CPU/request"
    )
    print(
        f"bare-stack ceiling   {med('bare', 'rps'):>10,.0f} req/s   p50 "
        f"{med('bare', 'p50_ms'):.1f} ms  p99 {med('bare', 'p99_ms'):.1f} ms  "
        f"{med('bare', 'cpu_us'):.0f} µs CPU/request  (non-2xx: {non_2xx('bare')})"
    )
    print(
        f"results / bare stack {statistics.median(ratios):>10.2f}   (each run: "
        + ", ".join(f"{r:.2f}" for r in ratios)
        + ")"
    )
    print(
        f"  by CPU per request {statistics.median(cost_ratios):>10.2f}   (each run: "
        + ", ".join(f"{r:.2f}" for r in cost_ratios)
        + "; bare-stack CPU per request ÷ shiptrack's)"
    )
    print(
        f"server RSS           {rss_at_n:>10.0f} MB at {args.trackers:,} trackers, "
        f"{max(rss):.0f} MB max at up to {loaded:,} (master and workers)"
    )
    print(f"server PSS           {pss_at_n:>10.0f} MB at {args.trackers:,} trackers")
    print(f"took {time.monotonic() - began:,.0f} s")


def postgres_database(admin_url: str, name: str, *, create: bool) -> str:
    """Create (or drop) the scratch database ``name`` on ``admin_url``'s server, with
    ``bench/engine.py``'s helpers (this script otherwise needs only the standard library)."""
    import asyncio

    sys.path.insert(0, str(ROOT))
    from bench.engine import create_postgres_database, drop_postgres_database

    if create:
        return asyncio.run(create_postgres_database(admin_url, name))
    asyncio.run(drop_postgres_database(admin_url, name))
    return ""


def loadavg() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
