"""Client CPU per number of one upstream connector against its fake in another process.

Not a test: it prints figures and exits 0. The connector (Ship24 or AfterShip: the providers
that take one number a call) registers ``--numbers`` new numbers and polls them (a first
check, through ``track`` as the engine calls it), then again (a re-check: the answers did not
change), ``--reps`` times; CPU of this process only (``time.process_time``), per number. The
fake is the one ``bench/sources_poll.py`` serves (its provider's protocol, the documented
limits × 1,000, each answer rendered once), answering after ``--latency`` seconds.

    PYTHONPATH=$PWD/src .venv/bin/python bench/upstream_calls.py --source ship24
    PYTHONPATH=/tmp/agg-base/src .venv/bin/python bench/upstream_calls.py --source ship24  # before
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sources import free_port  # noqa: E402
from bench.sources_poll import API_KEY, RAISED, SCRIPT, wait_listening  # noqa: E402

CONNECTORS = {"ship24": "Ship24", "aftership": "AfterShip"}


async def measure(source: str, count: int, reps: int, latency: float) -> None:
    import aiohttp

    from shiptrack.couriers.connectors.aggregator_fake import scaled_limits
    from shiptrack.couriers.connectors.protocol import TrackingHints, TrackingResult
    from shiptrack.couriers.fakes.aggregators import documented_limits

    package = f"shiptrack.couriers.connectors.{source}"
    connector_class = getattr(importlib.import_module(package), f"{CONNECTORS[source]}Connector")
    settings_class = getattr(importlib.import_module(package), f"{CONNECTORS[source]}Settings")
    port = free_port()
    fake = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "sources_poll.py"),
            "--serve-fake",
            source,
            str(port),
            str(latency),
            str(RAISED),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        await wait_listening(port)
        settings = settings_class(
            _env_file=None,
            api_key=API_KEY,
            base_url=f"http://127.0.0.1:{port}",
            rate_limits=scaled_limits(documented_limits(source), RAISED),
            max_in_flight=512,
        )
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=512)) as session:
            connector = connector_class(settings, session)
            base = int(time.time()) % 900_000
            first, again = [], []
            for rep in range(reps):
                numbers = [SCRIPT.format(base + rep * count + i) for i in range(count)]
                hints = {n: TrackingHints(courier_codes=("us-post",)) for n in numbers}
                # As the engine calls it: ``track`` (registration, then the poll; Ship24's
                # track call answers both at once), then ``track`` again (a re-check).
                started = time.process_time()
                outcomes = await connector.track(numbers, hints)
                first.append((time.process_time() - started) * 1e6 / count)
                assert all(isinstance(o, TrackingResult) for o in outcomes.values())
                started = time.process_time()
                outcomes = await connector.track(numbers, hints)
                again.append((time.process_time() - started) * 1e6 / count)
                assert all(isinstance(o, TrackingResult) for o in outcomes.values())
            await connector.aclose()
        print(
            f"{source}: first check {statistics.median(first):.0f} µs a number "
            f"(best {min(first):.0f}), re-check {statistics.median(again):.0f} µs "
            f"(best {min(again):.0f}); {count} numbers × {reps}, load "
            + " ".join(Path("/proc/loadavg").read_text().split()[:3])
        )
    finally:
        fake.terminate()
        fake.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", choices=sorted(CONNECTORS), default="ship24")
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    asyncio.run(measure(args.source, args.numbers, args.reps, args.latency))


if __name__ == "__main__":
    main()
