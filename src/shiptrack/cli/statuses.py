"""``shiptrack statuses``: classify a raw event text; list the texts no rule explained."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from shiptrack.cli.common import console, run

if TYPE_CHECKING:
    from shiptrack.config import Settings
    from shiptrack.db.engine import Database

statuses_app = typer.Typer(help="Status normalisation: carriers' raw texts → Ship24 statuses.")


@statuses_app.command("classify")
def classify_text(
    text: str = typer.Argument(help="The carrier's raw event text"),
    language: str | None = typer.Option(None, help="Language hint (ISO 639-1)"),
    code: str | None = typer.Option(None, "--code", help="The carrier's own status code"),
    courier: str | None = typer.Option(None, help="Ship24 courier code"),
    location: str | None = typer.Option(None, help="Where the event happened"),
    as_json: bool = typer.Option(False, "--json", help="Print the API's JSON object"),
) -> None:
    """Show the statusCode, milestone, rule id, language and confidence of one text."""
    from shiptrack.couriers.event_status import classify_event

    data = classify_event(
        text, carrier_status_code=code, language=language, courier_code=courier, location=location
    ).as_data()
    if as_json:
        print(orjson.dumps(data).decode())
        return
    for key, value in data.items():
        console.print(f"{key:16} {escape(str(value))}")


@statuses_app.command("unknown")
def unknown(
    limit: int = typer.Option(50, min=1, max=10_000, help="How many texts to list"),
) -> None:
    """List the raw texts seen in this installation that no rule matched, most frequent first."""
    from shiptrack.tracking.unknown_statuses import unknown_statuses

    async def main(db: Database, settings: Settings) -> list:  # type: ignore[type-arg]
        return await unknown_statuses(db, limit=limit)

    rows = run(main)
    if not rows:
        console.print("No unmatched status text: every stored event was explained.")
        return
    table = Table("count", "courier", "code", "text", "last seen")
    for row in rows:
        table.add_row(
            str(row.count),
            row.courier_code or "",
            row.carrier_status_code or "",
            escape(row.status or ""),
            str(row.last_seen)[:19],
        )
    console.print(table)
