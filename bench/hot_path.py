"""CPU per request of the app alone, no server: shiptrack's ``GET /trackers/{id}/results``
against the bare app of ``bench/bare.py`` (issue 16). Not a test: it prints figures.

Both apps are called directly as ASGI callables on one event loop (the same hand-made scope,
``receive`` and ``send`` for both), interleaved run by run, so what differs is the apps'
own work: shiptrack's middleware, dispatch, authentication, the read and the rendering
against a Starlette route reading one row. The server's part (uvicorn's protocol, the
socket) is the same for both and is left out; ``bench/api.py`` measures it all under wrk.
Quieter than wrk on a shared machine: read this for changes to the app's hot path, and
``bench/api.py`` for the issue's figures.

    python bench/hot_path.py                    # 7 interleaved runs of 5,000 requests each
    python bench/hot_path.py --profile tottime  # cProfile of shiptrack's requests instead
    PYTHONPATH=/other/checkout/src python bench/hot_path.py   # another build, same script
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _scope(method: str, target: str, key: str, body: bytes) -> dict[str, Any]:
    path, _, query = target.partition("?")
    headers = [(b"host", b"127.0.0.1"), (b"authorization", b"Bearer " + key.encode())]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _call(app: Any, key: str, method: str, target: str, body: bytes = b"") -> list[Any]:
    sent: list[Any] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if delivered:  # the request was read: wait as a server does for a disconnect
            await asyncio.sleep(3600)
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(_scope(method, target, key, body), receive, send)
    return sent


async def _cpu_per_request(call: Callable[[int], Any], requests: int) -> float:
    began = time.process_time()
    for n in range(requests):
        answer = await call(n)
    assert answer[0]["status"] == 200, answer
    return (time.process_time() - began) / requests * 1e6


async def _main(args: argparse.Namespace, work: Path, key: str) -> None:
    from shiptrack.app import create_app

    sys.path.insert(0, str(ROOT))
    from bench import bare

    app = create_app()
    os.environ["BARE_DATABASE"] = str(work / "bare.db")
    ids_file = work / "bare-ids.txt"
    ids_file.write_text("a\nb\nc\n")
    bare.fill(os.environ["BARE_DATABASE"], str(ids_file), 100)
    bare_app = bare.create_app()
    async with app.router.lifespan_context(app):
        items = [{"trackingNumber": f"HOTPATH{n:06d}"} for n in range(100)]
        await _call(app, key, "POST", "/public/v1/trackers/bulk", json.dumps(items).encode())
        listed = await _call(app, key, "GET", "/public/v1/trackers?limit=100")
        ids = [t["trackerId"] for t in json.loads(listed[-1]["body"])["data"]["trackers"]]
        paths = [f"/public/v1/trackers/{tracker_id}/results" for tracker_id in ids]

        def ours(n: int) -> Any:
            return _call(app, key, "GET", paths[n % len(paths)])

        def theirs(n: int) -> Any:
            return _call(bare_app, key, "GET", "/rows/" + "abc"[n % 3])

        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            await _cpu_per_request(ours, args.requests)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.profile).print_stats(40)
            return
        mine, bare_costs = [], []
        for _ in range(args.runs):
            mine.append(await _cpu_per_request(ours, args.requests))
            bare_costs.append(await _cpu_per_request(theirs, args.requests))
        ours_median, bare_median = statistics.median(mine), statistics.median(bare_costs)
        print(
            f"GET results {ours_median:.1f} µs CPU a request, bare app {bare_median:.1f} µs, "
            f"bare ÷ shiptrack {bare_median / ours_median:.2f} "
            f"(medians of {args.runs} runs of {args.requests:,}; load {os.getloadavg()[0]:.1f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--profile", default=None, metavar="SORT", help="tottime, cumulative")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="shiptrack-hot-path-"))
    os.environ.update(
        {
            "SHIPTRACK_DATABASE_URL": f"sqlite:///{work / 'hot-path.db'}",
            "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
            "SHIPTRACK_ENGINE_ENABLED": "false",
        }
    )

    def cli(*words: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "shiptrack", *words],
            cwd=work,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    cli("db", "upgrade")
    key = cli("accounts", "create", "bench").strip().splitlines()[-1]
    asyncio.run(_main(args, work, key))


if __name__ == "__main__":
    main()
