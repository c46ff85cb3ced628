"""Benchmark of the Trackers API (issue 2). Not a test: it prints figures.

Starts ``shiptrack`` on a fresh SQLite file (or --database-url) and drives it from a second
process (wrk, 1 thread):

1. loads N trackers with bulk creates of 100 (timed: the bulk create throughput from an empty
   database up to N);
2. then, R runs of: GET /trackers/{id}/results over 5,000 random trackers, the same for a bare
   primary-key-read endpoint of the same stack (the ceiling), single creates, and bulk creates
   again. Reads run first in each run, so the first run's reads are at exactly N trackers;
   every create phase adds trackers, and the count is printed with each run;
3. prints medians: bulk create throughput (trackers/s), single create throughput (req/s), GET
   results req/s with p50/p99, the ceiling, the ratio, and the server's resident memory (all
   uvicorn processes) at N trackers and at the end.

    python bench/api.py                    # 100,000 trackers, 2 workers, 3 runs
    python bench/api.py --trackers 20000 --runs 1

Needs ``wrk`` (Debian: apt-get install wrk).
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


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(c) for c in children)
        except (FileNotFoundError, AttributeError):
            continue
    return total / 1024


def start_server(
    workdir: Path, database_url: str, port: int, workers: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SHIPTRACK_DATABASE_URL": database_url,
        "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
        "SHIPTRACK_ENGINE_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
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
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trackers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="shiptrack-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
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
    base = f"http://127.0.0.1:{port}"
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
            ids += [t["trackerId"] for t in got["data"]["trackers"]]  # type: ignore[index]
            page += 1
        ids_file = workdir / "ids.txt"
        ids_file.write_text("\n".join(ids) + "\n")

        results: dict[str, list[dict[str, float]]] = {
            "create": [],
            "bulk": [bulk],
            "results": [],
            "ceiling": [],
        }
        rss: list[float] = []
        rss_at_n = math.nan
        for run in range(args.runs):
            at_start = loaded
            for name, path in (
                ("results", "/public/v1/trackers/%s/results"),
                ("ceiling", "/ceiling/%s"),
            ):
                results[name].append(
                    wrk(
                        base,
                        key,
                        IDS_LUA % {"ids": ids_file, "path": path},
                        args.seconds,
                        args.connections,
                    )
                )
            if run == 0:
                rss_at_n = rss_mb(server.pid)
            results["create"].append(wrk(base, key, CREATE_LUA, args.seconds, args.connections))
            loaded += results["create"][-1]["requests"]
            if run:
                results["bulk"].append(
                    wrk(base, key, BULK_LUA % {"requests": 0}, args.seconds, args.connections // 4)
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
                + f", RSS {rss[-1]:.0f} MB",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(20)
    shutil.rmtree(workdir, ignore_errors=True)

    def med(name: str, field: str) -> float:
        return statistics.median(r[field] for r in results[name])

    ratio = med("results", "rps") / med("ceiling", "rps")
    print()
    print(
        f"database: {database_url.split(':')[0]}, trackers: {args.trackers:,} loaded, "
        f"{loaded:,} at the end, API workers: {args.workers}, wrk: 1 thread, "
        f"{args.connections} connections, {args.seconds}s x {args.runs} runs (medians)"
    )
    print(f"bulk create          {med('bulk', 'rps') * 100:>10,.0f} trackers/s")
    print(
        f"single create        {med('create', 'rps'):>10,.0f} req/s   p50 "
        f"{med('create', 'p50_ms'):.1f} ms  p99 {med('create', 'p99_ms'):.1f} ms  "
        f"(non-2xx: {sum(r['errors'] for r in results['create'])})"
    )
    print(
        f"GET results          {med('results', 'rps'):>10,.0f} req/s   p50 "
        f"{med('results', 'p50_ms'):.1f} ms  p99 {med('results', 'p99_ms'):.1f} ms"
    )
    print(
        f"ceiling (PK read)    {med('ceiling', 'rps'):>10,.0f} req/s   p50 "
        f"{med('ceiling', 'p50_ms'):.1f} ms  p99 {med('ceiling', 'p99_ms'):.1f} ms"
    )
    print(f"results / ceiling    {ratio:>10.2f}")
    print(
        f"server RSS           {rss_at_n:>10.0f} MB at {args.trackers:,} trackers, "
        f"{max(rss):.0f} MB max at up to {loaded:,} (master and workers)"
    )


if __name__ == "__main__":
    main()
