"""``shiptrack couriers``: the catalogue and tracking-number detection."""

from __future__ import annotations

import typer
from rich.table import Table

from shiptrack.cli.common import console

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
