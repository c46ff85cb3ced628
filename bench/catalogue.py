"""Benchmark of the courier catalogue's cost. Not a test: it prints figures.

Each figure is the median of --runs fresh Python processes (so every import and file read is
cold in the process, as at start-up), measured inside the process with perf_counter:

1. ``load``: the first ``catalogue.all_couriers()`` (read the package file, parse, build the
   couriers, index and sort them) — paid once per process, on the first request that needs a
   courier (the catalogue is not loaded at start-up);
2. ``GET /couriers body``: building the prebuilt response body once loaded;
3. ``app``: importing ``shiptrack.app`` and ``create_app()`` (what ``serve`` does before it
   listens), with the catalogue still unloaded afterwards — checked, so a change that loads
   it at start-up shows.

    python bench/catalogue.py                       # this checkout
    python bench/catalogue.py --src /work/main/src  # another checkout's sources, to compare
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

PROBE = """
import json, time
t0 = time.perf_counter()
from shiptrack.couriers import catalogue
t1 = time.perf_counter()
couriers = catalogue.all_couriers()
t2 = time.perf_counter()
catalogue.couriers_response_body()
t3 = time.perf_counter()
print(json.dumps({"couriers": len(couriers), "load": (t2 - t1) * 1000, "body": (t3 - t2) * 1000}))
"""

APP_PROBE = """
import json, time
t0 = time.perf_counter()
from shiptrack.app import create_app
from shiptrack.config import Settings
create_app(Settings(_env_file=None, database_url="sqlite:///:memory:"))
t1 = time.perf_counter()
from shiptrack.couriers import catalogue
loaded = catalogue._load.cache_info().currsize
print(json.dumps({"app": (t1 - t0) * 1000, "catalogue_loaded": loaded}))
"""


def run(code: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--src", help="a source directory to put first on PYTHONPATH")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    loads = [run(PROBE, env) for _ in range(args.runs)]
    apps = [run(APP_PROBE, env) for _ in range(args.runs)]
    print(f"couriers: {int(loads[0]['couriers'])}")
    print(f"load: {statistics.median(r['load'] for r in loads):.1f} ms (median of {args.runs})")
    print(f"GET /couriers body: {statistics.median(r['body'] for r in loads):.2f} ms")
    print(f"app import + create_app: {statistics.median(r['app'] for r in apps):.0f} ms")
    print(f"catalogue loaded at start-up: {any(r['catalogue_loaded'] for r in apps)}")


if __name__ == "__main__":
    main()
