"""Benchmark of webhook delivery (issue 4). Not a test: it prints figures.

One process plays the engine and runs the dispatcher (as ``shiptrack serve`` would): it
writes messages with ``Outbox.record_tracking_update`` in the engine's transactions and wakes
the dispatcher after each commit. A second process is the customer's receiver on 127.0.0.1
(aiohttp), verifying every message with the ``standardwebhooks`` library and the bearer
secret.

- **drain**: N messages already queued (one per event, N trackers × E events), then the
  dispatcher starts: signed deliveries per second until the receiver has them all.
- **steady**: the engine stores R events per second (in transactions of R/100 refreshes every
  10 ms) for D seconds while the dispatcher runs: the delay from the event stored (the
  message's ``generatedAt``) to the webhook received, p50 and p99.

    python bench/webhooks.py                         # SQLite file, both modes
    python bench/webhooks.py --database-url postgresql://postgres@127.0.0.1/bench
    python bench/webhooks.py --trackers 5000 --events 4 --rate 1000 --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


# --- the receiver (its own process) ------------------------------------------------------------


def receiver_main(port_out: Any, commands: Any, secret: str) -> None:
    """A lean HTTP/1.1 receiver (httptools on uvloop) so the receiver is not what is measured:
    it still verifies every signature with ``standardwebhooks`` and compares the bearer."""
    import httptools
    import orjson
    from standardwebhooks import Webhook

    verifier = Webhook(secret)
    expected_bearer = f"Bearer {secret}"
    seen: set[str] = set()
    delays: list[float] = []
    arrivals: list[float] = []
    failures = [0]

    def on_hook(headers: dict[str, str], body: bytes) -> int:
        now = time.time()
        try:
            if headers.get("authorization") != expected_bearer:
                raise ValueError("bearer")
            verifier.verify(body, headers, json_parse=False)
        except Exception:
            failures[0] += 1
            return 401
        item = orjson.loads(body)["trackings"][0]
        message_id = item["metadata"]["messageId"]
        if message_id not in seen:
            seen.add(message_id)
            generated = dt.datetime.fromisoformat(item["metadata"]["generatedAt"]).timestamp()
            delays.append(now - generated)
            arrivals.append(now)
        return 200

    def on_stats(reset: bool, full: bool) -> bytes:
        stats: dict[str, Any] = {"count": len(seen), "failures": failures[0]}
        if full:
            stats.update(delays=delays, arrivals=arrivals)
        body = orjson.dumps(stats)
        if reset:
            seen.clear()
            delays.clear()
            arrivals.clear()
        return body

    class Connection(asyncio.Protocol):
        def __init__(self) -> None:
            self.parser = httptools.HttpRequestParser(self)
            self.url = b""
            self.headers: dict[str, str] = {}
            self.body: list[bytes] = []

        def connection_made(self, transport: Any) -> None:
            self.transport = transport

        def data_received(self, data: bytes) -> None:
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self.transport.close()

        def on_url(self, url: bytes) -> None:
            self.url += url

        def on_header(self, name: bytes, value: bytes) -> None:
            self.headers[name.decode().lower()] = value.decode()

        def on_body(self, body: bytes) -> None:
            self.body.append(body)

        def on_message_complete(self) -> None:
            if self.url.startswith(b"/ceiling"):
                self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            elif self.url.startswith(b"/stats"):
                answer = on_stats(b"reset=1" in self.url, b"full=1" in self.url)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                self.transport.write(head + b"Content-Length: %d\r\n\r\n" % len(answer) + answer)
            else:
                status = on_hook(self.headers, b"".join(self.body))
                self.transport.write(b"HTTP/1.1 %d OK\r\nContent-Length: 0\r\n\r\n" % status)
            self.url, self.headers, self.body = b"", {}, []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(Connection, "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        await loop.run_in_executor(None, commands.recv)
        server.close()

    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())


# --- the engine side -----------------------------------------------------------------------------


def _tracking(tracker: dict[str, Any], shipment_id: str, milestone: str) -> dict[str, Any]:
    return {
        "tracker": tracker,
        "shipment": {
            "shipmentId": shipment_id,
            "statusCode": None,
            "statusCategory": None,
            "statusMilestone": milestone,
            "originCountryCode": "CN",
            "destinationCountryCode": "US",
            "delivery": {
                "estimatedDeliveryDate": None,
                "courierEstimatedDeliveryDate": None,
                "service": None,
                "signedBy": None,
            },
            "trackingNumbers": [{"tn": tracker["trackingNumber"]}],
            "recipient": None,
        },
        "statistics": {
            "timestamps": {
                "infoReceivedDatetime": "2025-03-02T15:38:57",
                "inTransitDatetime": "2025-03-02T15:38:57",
                "outForDeliveryDatetime": None,
                "failedAttemptDatetime": None,
                "availableForPickupDatetime": None,
                "exceptionDatetime": None,
                "deliveredDatetime": None,
            }
        },
    }


def _event(tracker: dict[str, Any], sequence: int) -> dict[str, Any]:
    return {
        "eventId": str(uuid.uuid4()),
        "trackingNumber": tracker["trackingNumber"],
        "eventTrackingNumber": tracker["trackingNumber"],
        "status": "Processed Through Regional Facility",
        "occurrenceDatetime": f"2025-03-03T{sequence % 24:02d}:12:57",
        "order": sequence,
        "location": "LOS ANGELES CA INTERNATIONAL DISTRIBUTION CENTER",
        "sourceCode": "usps-tracking",
        "courierCode": "us-post",
        "statusCode": None,
        "statusCategory": None,
        "statusMilestone": "in_transit",
        "sequence": sequence,
    }


class Engine:
    """Stores events the way the engine's refresh does: one transaction per batch."""

    def __init__(self, db: Any, account_id: str, trackers: list[dict[str, Any]]) -> None:
        from shiptrack.config.webhooks import WebhookSettings
        from shiptrack.webhooks.delivery.outbox import Outbox

        self.outbox = Outbox(WebhookSettings(_env_file=None))  # type: ignore[call-arg]
        self.db = db
        self.account_id = account_id
        self.trackers = trackers
        self.shipments = [str(uuid.uuid4()) for _ in trackers]
        self.sequences = [0] * len(trackers)
        self.cursor = 0

    async def store(self, refreshes: int, events_each: int = 1) -> int:
        from shiptrack.clock import utcnow

        written = 0
        async with self.db.write() as conn:
            now = utcnow()
            for _ in range(refreshes):
                n = self.cursor % len(self.trackers)
                self.cursor += 1
                tracker = self.trackers[n]
                new = []
                for _ in range(events_each):
                    self.sequences[n] += 1
                    new.append(_event(tracker, self.sequences[n]))
                written += await self.outbox.record_tracking_update(
                    conn,
                    account_id=self.account_id,
                    tracker_id=tracker["trackerId"],
                    tracking=_tracking(tracker, self.shipments[n], "in_transit"),
                    new_events=new,
                    now=now,
                )
        return written


async def produce(engine: Engine, rate: int, duration: float, wake: Any = None) -> int:
    """Store ``rate`` events per second for ``duration`` seconds: a transaction of
    ``rate / 100`` refreshes every 10 ms, each refresh finding one new event."""
    per_tick = max(1, round(rate / 100))
    total = 0
    started = time.perf_counter()
    tick = 0
    while time.perf_counter() - started < duration:
        tick += 1
        total += await engine.store(per_tick)
        if wake is not None:
            wake()
        pause = started + tick * 0.01 - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
    return total


def producer_main(
    url: str, account_id: str, trackers: list[dict[str, Any]], rate: int, duration: float, out: Any
) -> None:
    """The engine in its own process (``--producer process``)."""

    async def main() -> int:
        from shiptrack.db.engine import Database

        db = Database(url)
        try:
            return await produce(Engine(db, account_id, trackers), rate, duration)
        finally:
            await db.dispose()

    try:
        import uvloop

        out.send(uvloop.run(main()))
    except ImportError:
        out.send(asyncio.run(main()))


async def _stats(
    session: Any, base: str, *, reset: bool = False, full: bool = False
) -> dict[str, Any]:
    params = {"reset": "1" if reset else "0", "full": "1" if full else "0"}
    async with session.get(f"{base}/stats", params=params) as r:
        return await r.json()  # type: ignore[no-any-return]


async def _wait_for(session: Any, base: str, count: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        stats = await _stats(session, base)
        if stats["count"] >= count or time.monotonic() > deadline:
            return await _stats(session, base, full=True)
        await asyncio.sleep(0.05)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bench(args: argparse.Namespace) -> None:
    import aiohttp

    from shiptrack.accounts import service as accounts
    from shiptrack.clock import format_timestamp
    from shiptrack.config.webhooks import WebhookSettings
    from shiptrack.db.engine import Database
    from shiptrack.db.migrate import upgrade
    from shiptrack.trackers.service import create_many
    from shiptrack.trackers.validation import TrackerInput
    from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
    from shiptrack.webhooks.endpoints import service as webhooks

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench-webhooks.db"
    await upgrade(url)
    db = Database(url)
    settings = WebhookSettings(
        _env_file=None,  # type: ignore[call-arg]
        allow_private=True,
        probe_on_save=False,
        poll_interval_seconds=0.5,
        max_in_flight_per_endpoint=args.in_flight,
    )
    account = (await accounts.create_account(db, f"bench-{uuid.uuid4().hex[:6]}")).account
    trackers: list[dict[str, Any]] = []
    for start in range(0, args.trackers, 500):
        items = [
            TrackerInput(tracking_number=f"WHB{start + i:09d}")
            for i in range(min(500, args.trackers - start))
        ]
        for outcome in await create_many(db, account.id, list(items)):
            row = outcome.row
            trackers.append(
                {
                    "trackerId": row.id,
                    "trackingNumber": row.tracking_number,
                    "shipmentReference": None,
                    "clientTrackerId": None,
                    "isSubscribed": True,
                    "createdAt": format_timestamp(row.created_at),
                }
            )

    context = mp.get_context("spawn")
    port_in, port_out = context.Pipe(duplex=False)
    cmd_in, cmd_out = context.Pipe(duplex=False)
    # The secret is created by the account's webhook; the receiver needs it: set the webhook
    # to a placeholder first, then point it at the receiver.
    async with aiohttp.ClientSession() as session:
        state = await webhooks.set_webhook(
            db, session, settings, account.id, {"url": "http://127.0.0.1:9/hooks"}, probe_url=False
        )
    assert state.secret is not None
    receiver = context.Process(target=receiver_main, args=(port_out, cmd_in, state.secret))
    receiver.start()
    port = port_in.recv()
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        await webhooks.set_webhook(
            db, session, settings, account.id, {"url": f"{base}/hooks"}, probe_url=False
        )
    engine = Engine(db, account.id, trackers)
    print(
        f"database: {db.dialect}; trackers: {len(trackers)}; receiver verifies every "
        f"signature (standardwebhooks) and the bearer; {args.in_flight} in flight per endpoint"
    )

    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256))
    probe = aiohttp.ClientSession()
    try:
        if args.ceiling:
            # What this machine allows right now: bare aiohttp POSTs of a webhook-sized body
            # to the same receiver (no signing, no database, no verification).
            body = b"x" * 2200
            slots = asyncio.Semaphore(args.in_flight)

            async def bare() -> None:
                async with slots, http.post(f"{base}/ceiling", data=body) as response:
                    await response.read()

            count = 3000
            cpu = time.process_time()
            started = time.perf_counter()
            await asyncio.gather(*(bare() for _ in range(count)))
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
            print(
                f"ceiling: bare aiohttp POSTs to the receiver: {count / elapsed:,.0f}/s, "
                f"{cpu * 1e6 / count:.0f} µs CPU each"
            )
        if args.mode in ("drain", "both"):
            total = 0
            started = time.perf_counter()
            for _ in range(args.events):
                for start in range(0, len(trackers), 200):
                    total += await engine.store(min(200, len(trackers) - start))
            print(f"drain: queued {total} messages in {time.perf_counter() - started:.1f} s")
            dispatcher = WebhookDispatcher(db, http, settings)
            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
            cpu = time.process_time()
            task = asyncio.create_task(dispatcher.run())
            started = time.perf_counter()
            stats = await _wait_for(probe, base, total, timeout=600)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
            await dispatcher.stop()
            await task
            if profiler is not None:
                import pstats

                profiler.disable()
                pstats.Stats(profiler).sort_stats(args.profile_sort).print_stats(args.profile_lines)
            arrivals = stats["arrivals"]
            span = max(arrivals) - min(arrivals) if len(arrivals) > 1 else elapsed
            print(
                f"drain: {stats['count']} signed deliveries in {elapsed:.2f} s = "
                f"{stats['count'] / elapsed:,.0f}/s (first→last arrival "
                f"{stats['count'] / span:,.0f}/s); dispatcher process CPU "
                f"{cpu * 1e6 / max(1, stats['count']):.0f} µs per delivery; signature "
                f"failures: {stats['failures']}"
            )
            await _stats(probe, base, reset=True)

        if args.mode in ("steady", "both"):
            steady_settings = settings
            if args.producer == "process":
                # Messages come from another process: found by polling, not by wake().
                steady_settings = settings.model_copy(update={"poll_interval_seconds": 0.1})
            dispatcher = WebhookDispatcher(db, http, steady_settings)
            task = asyncio.create_task(dispatcher.run())
            started = time.perf_counter()
            if args.producer == "process":
                done_in, done_out = context.Pipe(duplex=False)
                producer = context.Process(
                    target=producer_main,
                    args=(url, account.id, trackers, args.rate, args.duration, done_out),
                )
                producer.start()
                while not done_in.poll():
                    await asyncio.sleep(0.05)
                total = done_in.recv()
                producer.join(10)
            else:
                total = await produce(engine, args.rate, args.duration, dispatcher.wake)
            produced_for = time.perf_counter() - started
            stats = await _wait_for(probe, base, total, timeout=120)
            await dispatcher.stop()
            await task
            delays = stats["delays"]
            print(
                f"steady: {total} events stored in {produced_for:.1f} s "
                f"({total / produced_for:,.0f}/s), {stats['count']} received"
            )
            if delays:
                print(
                    f"steady: delay event stored → webhook received: p50 "
                    f"{_pct(delays, 0.5) * 1000:.0f} ms, p99 {_pct(delays, 0.99) * 1000:.0f} ms, "
                    f"max {max(delays) * 1000:.0f} ms, mean "
                    f"{statistics.fmean(delays) * 1000:.0f} ms"
                )
            print(f"steady: signature failures: {stats['failures']}")
    finally:
        await http.close()
        await probe.close()
        cmd_out.send("stop")
        receiver.join(10)
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--mode", choices=["drain", "steady", "both"], default="both")
    parser.add_argument("--trackers", type=int, default=4000)
    parser.add_argument("--events", type=int, default=5, help="events per tracker (drain)")
    parser.add_argument("--rate", type=int, default=1000, help="events stored per second")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds (steady)")
    parser.add_argument(
        "--producer",
        choices=["inline", "process"],
        default="inline",
        help="steady: store events in the dispatcher's process (as `serve` does, waking it) "
        "or in another process (as an engine-only worker does; found by polling)",
    )
    parser.add_argument("--in-flight", type=int, default=32, help="per endpoint")
    parser.add_argument("--profile", action="store_true", help="profile the drain's dispatcher")
    parser.add_argument(
        "--no-ceiling", dest="ceiling", action="store_false", help="skip the bare-POST ceiling"
    )
    parser.add_argument("--profile-sort", default="tottime")
    parser.add_argument("--profile-lines", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("SHIPTRACK_LOG_LEVEL", "warning")
    try:
        import uvloop

        uvloop.run(bench(args))
    except ImportError:
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()
