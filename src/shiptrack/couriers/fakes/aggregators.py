"""The fake upstream providers all at once, for ``shiptrack fake-couriers`` and the tests.

What a fake knows about a number comes from the sandbox journeys the fake carriers play
(``couriers/fakes``): any number in a fake carrier's format (``FakeCouriers.number``), so the
same number tells the same story through a carrier's API and through an aggregator. Each
provider's server is its ``fake.py``; what they share is ``connectors/aggregator_fake.py``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.aggregator_fake import scaled_limits
from shiptrack.couriers.connectors.fakesource import JourneySource
from shiptrack.couriers.fakes.journeys import CarrierJourneys, carrier_of


def aggregator_source(journeys: CarrierJourneys) -> JourneySource:
    """Any fake carrier's number plays its journey (None: not a fake carrier's number)."""

    def answer(number: str) -> Any:
        carrier = carrier_of(number)
        return None if carrier is None else journeys.source(carrier)(number)

    return answer


#: The upstream fakes, in port order after the carriers' (``FAKE_UPSTREAM_PORT_OFFSET``: room
#: for 20 carriers).
UPSTREAMS: tuple[str, ...] = ("ship24", "track17", "aftership", "trackingmore")
#: Their ports: ``base_port + offset + position`` (8821… with the default base port).
FAKE_UPSTREAM_PORT_OFFSET = 20
#: The fake credentials the upstream fakes accept.
FAKE_API_KEY = "fake-upstream-api-key"
FAKE_WEBHOOK_SECRET = "fake-upstream-webhook-secret"
SETTINGS_CLASS = {
    "ship24": "Ship24Settings",
    "track17": "Track17Settings",
    "aftership": "AfterShipSettings",
    "trackingmore": "TrackingMoreSettings",
}
ENV_PREFIX = {
    "ship24": "SHIPTRACK_SHIP24_",
    "track17": "SHIPTRACK_17TRACK_",
    "aftership": "SHIPTRACK_AFTERSHIP_",
    "trackingmore": "SHIPTRACK_TRACKINGMORE_",
}


@dataclass(slots=True)
class RunningUpstream:
    name: str
    url: str
    app: web.Application
    runner: web.AppRunner
    #: The limits this fake enforces when they are not the provider's documented ones
    #: (endpoint → calls a second; ``{}``: none), else None.
    limits: dict[str, float] | None = None


def documented_limits(name: str) -> dict[str, float]:
    """The provider's documented per-endpoint limits (its settings class's)."""
    module = importlib.import_module(f"shiptrack.couriers.connectors.{name}.settings")
    return dict(getattr(module, SETTINGS_CLASS[name]).documented_limits)


def parse_limits_factor(text: str) -> float:
    """``--upstream-limits``: ``documented`` (1), ``off`` (0) or a factor such as ``10x``."""
    value = text.strip().lower()
    if value == "documented":
        return 1.0
    if value == "off":
        return 0.0
    try:
        factor = float(value.removesuffix("x"))
    except ValueError:
        factor = -1.0
    if factor <= 0:
        raise ValueError(
            f"--upstream-limits {text!r}: give documented, off, or a factor such as 10x"
        )
    return factor


async def start_fake_upstreams(
    journeys: CarrierJourneys,
    host: str = "127.0.0.1",
    base_port: int = 0,
    limits_factor: float = 1.0,
) -> list[RunningUpstream]:
    """Start the four fake providers on ``host`` (``base_port`` 0: free ports), enforcing
    the providers' documented rate limits times ``limits_factor`` (0: none)."""
    running: list[RunningUpstream] = []
    try:
        for index, name in enumerate(UPSTREAMS):
            fake = importlib.import_module(f"shiptrack.couriers.connectors.{name}.fake")
            limits = None
            if limits_factor != 1.0:
                limits = scaled_limits(documented_limits(name), limits_factor)
            app = fake.create_app(
                aggregator_source(journeys),
                api_key=FAKE_API_KEY,
                webhook_secret=FAKE_WEBHOOK_SECRET,
                limits=limits,
            )
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            await runner.setup()
            running.append(RunningUpstream(name, "", app, runner, limits))
            port = base_port + FAKE_UPSTREAM_PORT_OFFSET + index if base_port else 0
            await web.TCPSite(runner, host, port).start()
            running[-1].url = f"http://{host}:{runner.addresses[0][1]}"
    except BaseException:
        await stop_fake_upstreams(running)
        raise
    return running


async def stop_fake_upstreams(running: list[RunningUpstream]) -> None:
    for upstream in running:
        await upstream.runner.cleanup()


def upstream_env(running: list[RunningUpstream]) -> dict[str, str]:
    """The variables that point shiptrack's upstream connectors at the fakes."""
    env: dict[str, str] = {}
    for upstream in running:
        prefix = ENV_PREFIX[upstream.name]
        env[f"{prefix}BASE_URL"] = upstream.url
        env[f"{prefix}API_KEY"] = FAKE_API_KEY
        if upstream.name != "track17":  # 17TRACK signs with the API key itself
            env[f"{prefix}WEBHOOK_SECRET"] = FAKE_WEBHOOK_SECRET
        if upstream.limits is not None:  # pace to what the fake allows (0: not paced)
            paced = upstream.limits or dict.fromkeys(documented_limits(upstream.name), 0.0)
            whole = {k: int(v) if v == int(v) else v for k, v in paced.items()}
            env[f"{prefix}RATE_LIMITS"] = orjson.dumps(whole).decode()
    return env


def print_setup(running: list[RunningUpstream]) -> None:
    """What ``shiptrack fake-couriers`` prints about the upstream fakes."""
    print()
    print("# Fake upstream aggregators (any carrier number above; enable the ones you want):")
    for upstream in running:
        print(f"#   {upstream.name:13}{upstream.url}")
    for key, value in upstream_env(running).items():
        shown = f"'{value}'" if key.endswith("RATE_LIMITS") else value
        print(f"# export {key}={shown}")
    print("# Their pushes go to POST /v1/sources/<name>/callback (see docs/connectors.md).")
