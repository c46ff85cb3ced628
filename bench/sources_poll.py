"""Part 2 of ``bench/sources.py``: polling through each upstream aggregator against the sandbox.

Every aggregator shiptrack polls (Ship24, 17TRACK, AfterShip, TrackingMore) is measured
against the sandbox courier in the same run, on SQLite: ``shiptrack serve`` with the engine
on, N trackers created at once (bulk creates of 100), all playing **the same journey**: the
sandbox script ``SBX-OC-HO-SC-SC-SC-SC-SC-OF-AT-DD-OF-DL-NOW_<tag>`` (12 events, all already
in the past, nothing more to come), each tracker with its own tag.

- ``sandbox``: the sandbox courier answers them after ``SHIPTRACK_SANDBOX_LATENCY``.
- an aggregator: the sandbox is off and the trackers say ``courierCode: us-post``, so the
  engine asks that aggregator alone; its fake (a process of its own on 127.0.0.1, speaking the
  provider's protocol, batch calls included) plays the same script for each number it was
  told about and answers every request after ``--latency`` seconds. The fake plays a script
  once per second and says it of every number asked about within that second (their
  events' times, to the second, are the same), and renders each number's answer once: its
  CPU goes to the provider's protocol, as the provider's would.

``first``: trackers per second from the first create until every one has been checked once
and found (for an aggregator that check also registers the number upstream; a check deferred
by the provider's rate limit or failed does not count); ``recheck``: all made due again,
trackers per second until every one has been found again. The fakes enforce the providers'
documented per-endpoint rate limits (429 past them). Beside each rate: CPU of
the server's processes per tracker (``/proc``), the time its threads spent runnable but
waiting for a core (``schedstat``: on a busy machine a phase's rate is bound by CPU plus this
wait, and an aggregator's pass shares the cores with its fake), the fake's CPU per tracker,
the provider calls per tracker (from the server's ``shiptrack_upstream_calls_total``) and the
load average.

``--upstream-limits``: ``raised`` (default) — each fake enforces its provider's documented
limits × ``RAISED`` and the server's ``…_RATE_LIMITS`` say the same (a plan whose limits do not
bind), ``…_MAX_IN_FLIGHT`` ``IN_FLIGHT``; ``documented`` — the fakes enforce the providers'
documented limits and the server keeps its defaults: those figures are capped by the
providers, not by shiptrack.

``--placement``: ``split`` (default) runs the server on one core and the fake provider and
this client on the others, in both passes of a pair — a provider answers from its own
machines, and on this bench's one machine the fake's CPU (reported beside the server's) would
otherwise come out of the server's, in the aggregator's pass only; ``shared`` lets every
process run on any core (the figures before the seventh round). The server's idle engine
looks for due trackers every ``IDLE_POLL`` seconds (the re-checks are made due by writing the
schedule, which wakes no engine).

``BENCH_PYSPY=<prefix>`` with ``BENCH_PYSPY_PHASE=first`` (or ``recheck``) samples the server
and the fake with py-spy during that phase of every pass (``profile_phase``).

``--base-src /tmp/poll-base/src`` runs every pass a second time, alternating, with the
server taken from another checkout (the fakes stay this checkout's): before/after figures
in the same run.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import importlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import spy, unspy  # noqa: E402
from bench.sources import (  # noqa: E402
    Server,
    create_trackers,
    free_port,
    prepare,
    process_cpu,
    process_waits,
)

from shiptrack.couriers.connectors.aggregator_fake import scaled_limits  # noqa: E402
from shiptrack.couriers.fakes.aggregators import ENV_PREFIX, documented_limits  # noqa: E402

AGGREGATORS = ("ship24", "track17", "aftership", "trackingmore")
API_KEY = "bench-upstream-key"
SECRET = "bench-upstream-secret"
#: 12 events (label, pickup, 5 scans, out for delivery, failed attempt, new date, out for
#: delivery, delivered), all before the tracker's creation; 50 characters with the tag.
SCRIPT = "SBX-OC-HO-SC-SC-SC-SC-SC-OF-AT-DD-OF-DL-NOW_{:06d}"
#: ``raised`` limits: the documented ones times this (Ship24's results, 10/s, become 10,000/s).
RAISED = 1000.0
#: ``raised``: calls waiting for an answer at once (the default, 64, is sized for the
#: documented limits: 10 calls/s × 0.2 s need 2).
IN_FLIGHT = 512
#: How often the server's idle engine looks for due trackers (``ENGINE_IDLE_POLL_SECONDS``).
IDLE_POLL = 0.05


def numbers(count: int) -> list[str]:
    base = random.randrange(0, 999_999 - count)
    return [SCRIPT.format(base + i) for i in range(count)]


# --- the fake provider, in a process of its own ----------------------------------------------


def serve_fake(name: str, port: int, latency: float, factor: float = 1.0) -> None:
    """``name``'s fake on ``port``, answering after ``latency`` seconds; each number plays the
    sandbox script it spells, from the first time the fake is asked about it; it enforces the
    provider's documented limits times ``factor``."""
    from aiohttp import web

    from shiptrack.couriers.connectors.aggregator_fake import scaled_limits
    from shiptrack.couriers.connectors.protocol import TrackingResult
    from shiptrack.couriers.fakes.aggregators import documented_limits
    from shiptrack.couriers.sandbox.playback import play

    played: dict[str, Any] = {}
    shapes: dict[tuple[str, dt.datetime], tuple[str, Any]] = {}

    def source(number: str) -> Any:
        if number not in played:
            played[number] = journey_of(number)
        return played[number]

    def journey_of(number: str) -> Any:
        """The script ``number`` spells, as of the first time it is asked about: played once
        per script (the number without its tag) and second, and said of each number of
        that script asked within that second (its events' times are to the second, so they
        are what playing it would give), so that the fake's CPU goes to the provider's
        protocol rather than to the sandbox's playback."""
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        shape = (number.rpartition("_")[0] or number, now)
        if shape not in shapes:
            shapes.clear()  # only this second's are asked for again
            shapes[shape] = (number, play(number, now, now, 0, 1.0))
        first, result = shapes[shape]
        if first == number or not isinstance(result, TrackingResult):
            return result
        return dataclasses.replace(
            result,
            tracking_number=number,
            events=[e if e.tracking_number != first else said_of(e, number) for e in result.events],
        )

    def said_of(event: Any, number: str) -> Any:
        """``event`` said of ``number`` (``dataclasses.replace`` without its field walk)."""
        copy = event.with_courier(event.courier_code)
        copy.tracking_number = number
        return copy

    @web.middleware
    async def delay(request: web.Request, handler):  # type: ignore[no-untyped-def]
        await asyncio.sleep(latency)
        return await handler(request)

    fake = importlib.import_module(f"shiptrack.couriers.connectors.{name}.fake")
    # Each number's answer is rendered once and kept (its journey no longer changes), so
    # that the fake's own CPU stays small beside the server's.
    render_name = "render_track_info" if name == "track17" else "render_tracking"
    render = getattr(fake, render_name)
    rendered: dict[str, Any] = {}

    def render_once(registration: Any, outcome: Any) -> Any:
        key = registration if isinstance(registration, str) else registration.id
        if key not in rendered:
            rendered[key] = render(registration, outcome)
        return rendered[key]

    setattr(fake, render_name, render_once)
    limits = None if factor == 1.0 else scaled_limits(documented_limits(name), factor)
    app = fake.create_app(source, api_key=API_KEY, webhook_secret=SECRET, limits=limits)
    app.middlewares.append(delay)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def limits_of(kind: str, src: Path | None) -> dict[str, float]:
    """``kind``'s documented limits as the server's tree knows them (``src``, a checkout from
    before an endpoint was added, refuses ``…_RATE_LIMITS`` naming it)."""
    if src is None:
        return documented_limits(kind)
    code = (
        "import json; from shiptrack.couriers.fakes.aggregators import documented_limits; "
        f"print(json.dumps(documented_limits({kind!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        check=True,
        text=True,
    )
    return dict(json.loads(out.stdout))


async def wait_listening(port: int) -> None:
    for _ in range(300):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise SystemExit(f"the fake provider did not listen on {port}")


# --- one pass ----------------------------------------------------------------------------------


def profile_phase(
    phase: str, server: Server, fake: subprocess.Popen[bytes] | None
) -> list[subprocess.Popen[bytes]]:
    """With ``BENCH_PYSPY=<prefix>`` and ``BENCH_PYSPY_PHASE`` naming ``phase`` (``first`` or
    ``recheck``): py-spy on the server and on the fake provider during that phase, into
    ``<prefix>-<port>.txt`` and ``<prefix>-fake-<pid>.txt`` (collapsed stacks)."""
    prefix = os.environ.get("BENCH_PYSPY")
    if not prefix or os.environ.get("BENCH_PYSPY_PHASE") != phase:
        return []
    outputs = {server.process.pid: Path(f"{prefix}-{server.port}.txt")}
    if fake is not None:
        outputs[fake.pid] = Path(f"{prefix}-fake-{fake.pid}.txt")
    return spy(outputs)


async def make_all_due(conn: Any, now: dt.datetime) -> None:
    """Every tracker tracked again and due at ``now``: the schedule is in ``tracker_schedule``
    since decision 28, in ``trackers`` for a checkout from before it (``--base-src``); the
    server's migrations made the database, so its tables say which."""
    from sqlalchemy import inspect, text

    split = await conn.run_sync(lambda sync: inspect(sync).has_table("tracker_schedule"))
    if split:
        await conn.execute(text("UPDATE trackers SET is_tracked = true"))
        await conn.execute(text("UPDATE tracker_schedule SET next_check_at = :now"), {"now": now})
    else:
        await conn.execute(
            text("UPDATE trackers SET next_check_at = :now, is_tracked = true"), {"now": now}
        )


async def checked_rate(db: Any, count: int, since: dt.datetime, timeout: float) -> float:
    """``count`` over the time from now until every tracker was checked since ``since`` and
    its source answered with its tracking (a check deferred by a provider's rate limit, or
    one that failed, does not count)."""
    from sqlalchemy import func, select

    from shiptrack.db.source_tables import tracker_source_outcomes as outcomes

    started = time.monotonic()
    query = (
        select(func.count(func.distinct(outcomes.c.tracker_id)))
        .select_from(outcomes)
        .where(outcomes.c.outcome == "found", outcomes.c.checked_at >= since)
    )
    checked = 0
    while time.monotonic() - started < timeout:
        async with db.read() as conn:
            checked = (await conn.execute(query)).scalar_one()
        if checked >= count:
            return count / (time.monotonic() - started)
        await asyncio.sleep(0.05)
    raise SystemExit(f"only {checked} of {count} trackers checked within {timeout:g} s")


async def upstream_calls(origin: str) -> dict[str, float]:
    """``shiptrack_upstream_calls_total`` of the server, summed per call kind."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"{origin}/metrics") as response:
            text = await response.text()
    calls: dict[str, float] = {}
    for match in re.finditer(r"^shiptrack_upstream_calls_total\{([^}]*)\} (\S+)$", text, re.M):
        kind = re.search(r'call="([^"]+)"', match[1])
        if kind:
            calls[kind[1]] = calls.get(kind[1], 0.0) + float(match[2])
    return calls


async def poll_pass(
    kind: str,
    count: int,
    latency: float,
    workdir: Path,
    src: Path | None = None,
    limits: str = "raised",
    server_cpus: set[int] | None = None,
) -> dict[str, float]:
    """One pass of ``kind`` (``sandbox`` or an aggregator); ``src``: the server's source tree;
    ``limits``: ``raised`` or ``documented``; ``server_cpus``: the server's cores (the fake
    runs where this process does)."""

    url = f"sqlite:///{workdir / f'poll-{kind}-{uuid.uuid4().hex[:6]}.db'}"
    db, key = await prepare(url)
    env = {
        "SHIPTRACK_SANDBOX_LATENCY": str(latency),
        # The re-checks are made due by writing the schedule, which wakes no engine: an idle
        # engine would find them up to its idle poll (1 s) later, a wait that has nothing to
        # do with checking (creates wake it at once).
        "SHIPTRACK_ENGINE_IDLE_POLL_SECONDS": str(IDLE_POLL),
    }
    fake: subprocess.Popen[bytes] | None = None
    if kind != "sandbox":
        port = free_port()
        factor = RAISED if limits == "raised" else 1.0
        fake = subprocess.Popen(
            [sys.executable, __file__, "--serve-fake", kind, str(port), str(latency), str(factor)],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        await wait_listening(port)
        prefix = ENV_PREFIX[kind]
        env |= {
            "SHIPTRACK_SANDBOX_ENABLED": "false",
            f"{prefix}API_KEY": API_KEY,
            f"{prefix}BASE_URL": f"http://127.0.0.1:{port}",
            f"{prefix}MIN_INTERVAL": "0",
        }
        if limits == "raised":
            raised = scaled_limits(limits_of(kind, src), RAISED)
            env |= {
                f"{prefix}RATE_LIMITS": json.dumps(raised),
                f"{prefix}MAX_IN_FLIGHT": str(IN_FLIGHT),
                f"{prefix}RATE_LIMIT": "10000",  # the server before this change: its gate
            }
    items = [{"trackingNumber": n, "courierCode": ["us-post"]} for n in numbers(count)]
    server = Server(url, env, workdir, src=src, cpus=server_cpus)
    try:
        await server.ready()
        figures: dict[str, float] = {}
        for phase in ("first", "recheck"):
            since = dt.datetime.now(dt.UTC)
            if phase == "recheck":
                async with db.write() as conn:
                    await make_all_due(conn, since)
            spies = profile_phase(phase, server, fake)
            cpu, fake_cpu = server.cpu_seconds(), process_cpu(fake.pid) if fake else 0.0
            waited = process_waits(server.process.pid)
            calls = await upstream_calls(server.origin)
            started = time.monotonic()
            if phase == "first":  # the engine starts checking while the creates go on
                await create_trackers(server.origin, key, items)
            await checked_rate(db, count, since, timeout=600)
            figures[phase] = count / (time.monotonic() - started)
            figures[f"{phase}_cpu"] = (server.cpu_seconds() - cpu) * 1000 / count
            figures[f"{phase}_wait"] = (process_waits(server.process.pid) - waited) * 1000 / count
            unspy(spies)
            figures[f"{phase}_fake_cpu"] = (
                (process_cpu(fake.pid) - fake_cpu) * 1000 / count if fake else 0.0
            )
            after = await upstream_calls(server.origin)
            figures[f"{phase}_calls"] = sum(after.values()) - sum(calls.values())
            figures[f"{phase}_registers"] = after.get("register", 0) - calls.get("register", 0)
        figures["load"] = os.getloadavg()[0]
        return figures
    finally:
        server.stop()
        await db.dispose()
        if fake is not None:
            fake.terminate()
            fake.wait(10)


# --- the part ----------------------------------------------------------------------------------


def _line(name: str, r: dict[str, float], count: int) -> str:
    return (
        f"{name}: first {r['first']:.0f}/s ({r['first_cpu']:.2f} ms CPU, "
        f"{r['first_wait']:.2f} ms waiting for a core, "
        f"{r['first_calls'] / count:.3f} calls per tracker) recheck {r['recheck']:.0f}/s "
        f"({r['recheck_cpu']:.2f} ms, {r['recheck_calls'] / count:.3f} calls); fake CPU "
        f"{r['first_fake_cpu']:.2f}/{r['recheck_fake_cpu']:.2f} ms; load {r['load']:.2f}"
    )


@contextlib.contextmanager
def placed(placement: str) -> Iterator[set[int] | None]:
    """``split``: the server's cores and this process's (the fake's, the client's) apart,
    for the length of the block — the server on the first core this process may use, this
    process and the fake it starts on the others. A real provider answers from its own
    machines: on this bench's one machine the fake's CPU (reported beside the server's)
    would otherwise be taken from the server's, and the sandbox's pass has no fake. Both
    passes of a pair get the same core. With one core, or ``shared``: no placement (None)."""
    mine = os.sched_getaffinity(0)
    if placement != "split" or len(mine) < 2:
        yield None
        return
    first = min(mine)
    os.sched_setaffinity(0, mine - {first})
    try:
        yield {first}
    finally:
        os.sched_setaffinity(0, mine)


async def poll_part(
    count: int,
    latency: float,
    runs: int,
    workdir: Path,
    kinds: list[str],
    base: Path | None,
    limits: str = "raised",
    placement: str = "split",
) -> None:
    """Each aggregator's passes paired with a sandbox pass right before or after it (the order
    alternating from run to run), so that each ratio compares passes a minute apart at most
    on a machine whose load drifts; the ratio is the median of the pairs' ratios.

    ``placement``: ``split`` (``placed``) or ``shared`` (any process on any core)."""
    trees: list[tuple[str, Path | None]] = [("", None)] + ([("base ", base)] if base else [])
    results: dict[str, list[dict[str, float]]] = {}
    with placed(placement) as server_cpus:
        for run in range(runs):
            for kind in kinds:
                for label, src in trees if run % 2 == 0 else list(reversed(trees)):
                    pair = ["sandbox", kind] if run % 2 == 0 else [kind, "sandbox"]
                    for which in pair:
                        r = await poll_pass(
                            which, count, latency, workdir, src, limits, server_cpus
                        )
                        key = label + (f"sandbox@{kind}" if which == "sandbox" else kind)
                        results.setdefault(key, []).append(r)
                        print(f"run {run + 1}: " + _line(key, r, count), flush=True)
    print(
        f"placement: {placement} (server on cores {sorted(server_cpus or os.sched_getaffinity(0))})"
    )
    print(f"\nmedians of {runs} run(s), {count} trackers, latency {latency:g} s, {limits} limits:")
    print(
        "| source | first checks/s | CPU ms | recheck/s | CPU ms | ratio first | "
        "ratio recheck | CPU ratio first / recheck | calls per tracker (first / recheck) "
        "| load | meets 0.8× | first: ms waiting for a core |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, _src in trees:
        for kind in kinds:
            sandbox = results[label + f"sandbox@{kind}"]
            for name, rows in ((f"sandbox@{kind}", sandbox), (kind, results[label + kind])):
                med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
                ratios = {
                    phase: statistics.median(
                        r[phase] / s[phase] for r, s in zip(rows, sandbox, strict=True)
                    )
                    for phase in ("first", "recheck", "first_cpu", "recheck_cpu")
                }
                mine = name == kind
                meets = (
                    ", ".join(
                        f"{phase} {'yes' if ratios[phase] >= 0.8 else 'no'}"
                        for phase in ("first", "recheck")
                    )
                    if mine
                    else "—"
                )
                loads = f"{min(r['load'] for r in rows):.1f}–{max(r['load'] for r in rows):.1f}"
                shown = (
                    f"{ratios['first']:.2f} | {ratios['recheck']:.2f} | "
                    f"{ratios['first_cpu']:.2f} / {ratios['recheck_cpu']:.2f}"
                    if mine
                    else "— | — | —"
                )
                print(
                    f"| {label}{name} | {med['first']:.0f} | {med['first_cpu']:.2f} | "
                    f"{med['recheck']:.0f} | {med['recheck_cpu']:.2f} | {shown} | "
                    f"{med['first_calls'] / count:.3f} / {med['recheck_calls'] / count:.3f} | "
                    f"{loads} | {meets} | {med['first_wait']:.2f} |"
                )


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--serve-fake":
        serve_fake(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
    else:
        raise SystemExit("run bench/sources.py --parts poll")
