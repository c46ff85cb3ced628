"""Benchmark of the tracking page (issue 15). Not a test: it prints figures.

Starts ``shiptrack serve`` on a fresh SQLite file with the access log on (JSON lines), makes
``--trackers`` trackers of the sandbox's journeys (delivered, in transit, pending, exception)
with their page links, then runs ``--runs`` rounds of ``--requests`` page loads by
``--clients`` concurrent clients (aiohttp, in this process), each picking a random link and
a random ``Accept-Language`` of the eight languages.

Server time is what the server's middleware measures for each request (the ``ms`` of its
access-log line: from the request entering the app to the last byte handed to uvicorn —
the handler, the database reads, the rendering), read back from the log for exactly the
requests of each round; the client's view (queueing in the 50-connection pile-up and the
socket included) is printed beside it. The engine and the webhook dispatcher are turned off
so the figures are the page's own.

    python bench/web.py                          # 50 clients, 3 rounds of 5,000 pages
    python bench/web.py --runs 5 --requests 10000 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "fr-FR", "de-DE", "es", "it", "nl-NL", "pt-PT", "pl")
JOURNEYS = ("DELIVERED", "IN_TRANSIT", "PENDING", "EXCEPTION")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def make_key(url: str) -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from shiptrack.accounts import service as accounts
    from shiptrack.db.engine import Database
    from shiptrack.db.migrate import upgrade

    await upgrade(url)
    db = Database(url)
    try:
        return (await accounts.create_account(db, "bench")).key
    finally:
        await db.dispose()


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SHIPTRACK_DATABASE_URL": url,
        "SHIPTRACK_ACCESS_LOG": "true",
        "SHIPTRACK_LOG_JSON": "true",
        "SHIPTRACK_RATE_LIMITS_ENABLED": "false",
        "SHIPTRACK_ENGINE_ENABLED": "false",
        "SHIPTRACK_WEBHOOK_DISPATCHER_ENABLED": "false",
    }
    command = [sys.executable, "-m", "shiptrack", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


async def wait_ready(base: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(base + "/healthz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not start")


async def make_pages(base: str, key: str, count: int) -> list[str]:
    headers = {"Authorization": f"Bearer {key}"}
    paths = []
    async with aiohttp.ClientSession(base + "/v1/", headers=headers) as api:
        for n in range(count):
            number = f"SHIP24_SAMPLE_{JOURNEYS[n % len(JOURNEYS)]}_{n + 101}"
            async with api.post("trackers/track", json={"trackingNumber": number}) as answer:
                body = await answer.json()
                assert answer.status == 201, body
                tracker_id = body["data"]["trackings"][0]["tracker"]["trackerId"]
            async with api.get(f"trackers/{tracker_id}/page-link") as answer:
                paths.append((await answer.json())["data"]["pageLink"]["path"])
    return paths


async def load(base: str, paths: list[str], clients: int, requests: int) -> list[float]:
    """``requests`` page loads by ``clients`` concurrent clients; client-side seconds each."""
    latencies: list[float] = []
    left = requests
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(base, connector=connector) as session:

        async def client() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                headers = {"Accept-Language": random.choice(LANGUAGES)}
                started = time.perf_counter()
                async with session.get(random.choice(paths), headers=headers) as answer:
                    await answer.read()
                    assert answer.status == 200, answer.status
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def server_times(log: Path, offset: int) -> tuple[list[float], int]:
    """Server milliseconds of the tracking-page requests logged after ``offset``."""
    with log.open("rb") as f:
        f.seek(offset)
        data = f.read()
    times = []
    for line in data.splitlines():
        if b'"path":"/track/' not in line:
            continue
        record = json.loads(line)
        if record.get("status") == 200:
            times.append(float(record["ms"]))
    return times, offset + len(data)


async def bench(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="shiptrack-bench-web-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    key = await make_key(url)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    process = start_server(url, port, args.workers, log)
    try:
        await wait_ready(base)
        paths = await make_pages(base, key, args.trackers)
        await load(base, paths, args.clients, min(1000, args.requests))  # warm-up
        offset = log.stat().st_size
        rounds = []
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            client = await load(base, paths, args.clients, args.requests)
            elapsed = time.perf_counter() - started
            await asyncio.sleep(0.5)  # the last log lines
            server, offset = server_times(log, offset)
            figures = {
                "server_p50_ms": statistics.median(server),
                "server_p99_ms": percentile(server, 0.99),
                "client_p50_ms": statistics.median(client) * 1000,
                "client_p99_ms": percentile(client, 0.99) * 1000,
                "pages_per_s": len(client) / elapsed,
                "logged": len(server),
            }
            rounds.append(figures)
            print(
                f"round {run}: server p50 {figures['server_p50_ms']:.2f} ms, "
                f"p99 {figures['server_p99_ms']:.2f} ms; client p50 "
                f"{figures['client_p50_ms']:.1f} ms, p99 {figures['client_p99_ms']:.1f} ms; "
                f"{figures['pages_per_s']:.0f} pages/s ({figures['logged']} logged)",
                flush=True,
            )
        print(f"\nmedians of {args.runs} rounds, {args.clients} clients, {args.trackers} pages:")
        for name in rounds[0]:
            if name != "logged":
                print(f"  {name}: {statistics.median(r[name] for r in rounds):.2f}")
        print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="page loads per round")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trackers", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
