"""``shiptrack fake-couriers``: every fake carrier API server (``couriers/fakes/``) and fake
Ship24, 17TRACK, AfterShip and TrackingMore upstreams, for demos."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import TYPE_CHECKING

import typer

from shiptrack.cli.common import console
from shiptrack.couriers.fake_ports import DEFAULT_BASE_PORT

if TYPE_CHECKING:
    from shiptrack.couriers.fakes import FakeCouriers

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _print_setup(fakes: FakeCouriers, relaxed_limits: bool) -> None:
    from shiptrack.couriers.fakes import JOURNEY_NAMES

    console.print("[bold]Fake carrier servers[/bold] (fake credentials, for tests and demos):")
    width = max(map(len, fakes.urls), default=0)
    for name, url in fakes.urls.items():
        console.print(f"  {name:{width}} {url}")
    console.print()
    console.print("# Point shiptrack's connectors at them (in the shell of `shiptrack serve`):")
    for key, value in fakes.env(relaxed_limits=relaxed_limits).items():
        print(f"export {key}={value}")
    print()
    print("# Numbers to track (no courierCode needed: detection finds the carrier):")
    names = list(fakes.urls)
    examples = fakes.examples()
    widths = {
        name: max(len(name), *(len(row[name]) for row in examples.values())) for name in names
    }
    print(("#   " + f"{'journey':21}" + "  ".join(f"{n:{widths[n]}}" for n in names)).rstrip())
    for journey, numbers in examples.items():
        cells = "  ".join(f"{numbers[n]:{widths[n]}}" for n in names)
        print(f"#   {journey.lower():21}{cells}".rstrip())
    console.print(
        "Any number of a carrier's format with a valid check digit plays a journey, chosen by "
        "the digit before its check digit: "
        + ", ".join(f"{selector} {name.lower()}" for name, selector in JOURNEY_NAMES.items())
        + ". See docs/connectors.md. Ctrl-C stops the servers."
    )


async def _serve(
    host: str,
    base_port: int,
    time_scale: float,
    token_lifetime: float,
    relaxed_limits: bool,
    limits_factor: float,
) -> None:
    from shiptrack.couriers.fakes import start_fake_couriers

    fakes = await start_fake_couriers(
        host, base_port, time_scale=time_scale, token_lifetime=token_lifetime
    )
    # The upstream aggregators' fakes play the same journeys (shiptrack.couriers.fakes.aggregators).
    from shiptrack.couriers.fakes import aggregators as upstream_fakes

    upstreams = await upstream_fakes.start_fake_upstreams(
        fakes.journeys, host, base_port, limits_factor
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        _print_setup(fakes, relaxed_limits)
        upstream_fakes.print_setup(upstreams)
        await stop.wait()
    finally:
        await upstream_fakes.stop_fake_upstreams(upstreams)
        await fakes.aclose()


def fake_couriers(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (keep it loopback)"),
    base_port: int = typer.Option(
        DEFAULT_BASE_PORT,
        help="Port of the first server; the others follow in the order printed at start",
    ),
    time_scale: float = typer.Option(
        1.0, help="Simulated seconds per real second for journeys that play over time"
    ),
    token_lifetime: float = typer.Option(3600.0, help="Seconds an OAuth token stays valid"),
    relaxed_limits: bool = typer.Option(
        True,
        "--relaxed-limits/--carrier-limits",
        help="Also print RATE_LIMIT/MIN_INTERVAL variables lifting the real carriers' quotas "
        "(USPS allows 60 calls an hour), which the fakes do not have",
    ),
    upstream_limits: str = typer.Option(
        "documented",
        help="Rate limits the fake aggregators enforce (429 in each provider's format past "
        "them): documented (the providers' own), off, or a factor such as 10x (a plan with "
        "higher limits; the printed RATE_LIMITS variables pace shiptrack to them)",
    ),
) -> None:
    """Run fake carrier APIs (USPS, UPS, FedEx, DHL, La Poste, InPost, Bring, PostNord,
    Australia Post, Canada Post, PostNL, Royal Mail, Purolator) and upstream aggregators
    (Ship24, 17TRACK, AfterShip, TrackingMore) that play sandbox journeys for carrier-format
    tracking numbers, and print the variables that point shiptrack at them."""
    from shiptrack.couriers.fakes.aggregators import parse_limits_factor

    try:
        limits_factor = parse_limits_factor(upstream_limits)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if host not in _LOOPBACK:
        console.print(f"[yellow]warning:[/yellow] listening on {host}, not only on loopback")
    try:
        asyncio.run(
            _serve(host, base_port, time_scale, token_lifetime, relaxed_limits, limits_factor)
        )
    except OSError as exc:
        console.print(f"[red]cannot start the fake servers:[/red] {exc}")
        raise typer.Exit(1) from None
