"""``shiptrack couriers``: the catalogue and tracking-number detection."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from shiptrack.cli.common import console

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.couriers.connectors.credentials import CredentialCheck

couriers_app = typer.Typer(help="Couriers: the catalogue, detection, connector credentials.")


@couriers_app.command("list")
def list_couriers(
    search: str | None = typer.Argument(
        None, help="Only couriers whose code or name contains this"
    ),
) -> None:
    """List the couriers shiptrack knows."""
    from shiptrack.couriers import catalogue

    table = Table("code", "name", "country", "post", "required fields")
    needle = (search or "").lower()
    for courier in catalogue.all_couriers():
        if needle and needle not in courier.code and needle not in courier.name.lower():
            continue
        table.add_row(
            courier.code,
            courier.name,
            courier.country_code or "",
            "yes" if courier.is_post else "",
            ", ".join(courier.required_fields or ()),
        )
    console.print(table)


@couriers_app.command("detect")
def detect_numbers(
    numbers: list[str] = typer.Argument(help="Tracking numbers"),
    courier: list[str] = typer.Option([], "--courier", "-c", help="Courier code hint"),
    origin: str | None = typer.Option(None, help="Origin country hint"),
    destination: str | None = typer.Option(None, help="Destination country hint"),
) -> None:
    """Show the ranked candidate couriers for each number, with confidence and reason."""
    from shiptrack.couriers import catalogue
    from shiptrack.couriers.detection import detect

    for number in numbers:
        candidates = detect(
            number,
            courier_codes=courier,
            origin_country_code=origin,
            destination_country_code=destination,
        )
        console.print(f"[bold]{number}[/bold]")
        if not candidates:
            console.print("  no known format matches (shiptrack does not guess)")
            continue
        table = Table("courier", "format", "check digit", "confidence", "reason")
        for c in candidates:
            courier_info = catalogue.get_courier(c.courier_code)
            name = f"{c.courier_code} ({courier_info.name})" if courier_info else c.courier_code
            table.add_row(name, c.format_name, c.check_digit, f"{c.confidence:.2f}", c.reason)
        console.print(table)


async def credential_checks(session: aiohttp.ClientSession) -> list[CredentialCheck]:
    """Each registered connector's credential check (``check_credentials`` of the package its
    ``shiptrack.connectors`` entry point lives in), in entry-point name order."""
    import importlib
    from importlib.metadata import entry_points

    from shiptrack.config import get_settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck
    from shiptrack.couriers.connectors.registry import GROUP

    settings = get_settings()
    checks: list[CredentialCheck] = []
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            check = getattr(importlib.import_module(entry.module), "check_credentials", None)
            if check is None:
                checks.append(
                    CredentialCheck(entry.name, False, False, "no credential check provided")
                )
                continue
            result = await check(settings, session)
        except Exception as exc:  # a broken plug-in must not hide the other connectors
            detail = f"check failed: {exc.__class__.__name__}"
            checks.append(CredentialCheck(entry.name, True, False, detail))
            continue
        checks.append(result)
    return checks


@couriers_app.command("check")
def check_connectors() -> None:
    """Check each connector's credentials against its carrier (one cheap call each) and show
    its state; secrets are never printed. Exits 1 when a configured connector fails."""
    import asyncio

    import aiohttp

    from shiptrack import __version__

    async def run() -> list[CredentialCheck]:
        headers = {"User-Agent": f"shiptrack/{__version__}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            return await credential_checks(session)

    checks = asyncio.run(run())
    table = Table("connector", "configured", "ok", "detail")
    for check in checks:
        state = "[green]ok[/green]" if check.ok else "[red]failed[/red]" if check.configured else ""
        table.add_row(
            check.connector, "yes" if check.configured else "no", state, escape(check.detail)
        )
    console.print(table)
    if not any(check.configured for check in checks):
        console.print("No real carrier is configured: only the sandbox courier will answer.")
    if any(check.configured and not check.ok for check in checks):
        raise typer.Exit(1)
