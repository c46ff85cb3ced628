"""``shiptrack import``: bring trackers over from another tracking service (Ship24)."""

from __future__ import annotations

from pathlib import Path

import typer

from shiptrack.cli.common import console, errors, run
from shiptrack.config import Settings
from shiptrack.db.engine import Database

import_app = typer.Typer(help="Bring an existing account's trackers over from another service.")


@import_app.callback()
def imports() -> None:
    """Bring an existing account's trackers over from another service (one command per
    service, so that ``shiptrack import ship24`` stays a subcommand)."""


@import_app.command("ship24")
def ship24(
    account: str | None = typer.Option(
        None, help="shiptrack account id, id prefix or name (default: the first)"
    ),
    api_key: str = typer.Option(
        ...,
        envvar="SHIPTRACK_SHIP24_API_KEY",
        help="Your Ship24 API key (default: $SHIPTRACK_SHIP24_API_KEY)",
        show_default=False,
    ),
    base_url: str = typer.Option(
        "https://api.ship24.com",
        envvar="SHIPTRACK_SHIP24_BASE_URL",
        help="Ship24's API origin (paths start with /public/v1)",
    ),
    keep_upstream: bool = typer.Option(
        False,
        "--keep-upstream",
        help="Keep Ship24 tracking the imported trackers as shiptrack's ship24 upstream "
        "(needs SHIPTRACK_SHIP24_API_KEY where shiptrack runs)",
    ),
    restrict: bool = typer.Option(
        False,
        "--restrict",
        help="Set restrictTrackingToCourierCode on imported trackers with courier codes "
        "(Ship24's tracker list does not say which had it)",
    ),
    page_size: int = typer.Option(500, min=1, max=500, help="Trackers per Ship24 page"),
    rate: float = typer.Option(
        5.0, min=0.1, help="List calls per second (Ship24 allows 10 on this endpoint)"
    ),
    checkpoint: Path | None = typer.Option(
        None, help="Progress file (default: ./ship24-import-<account id>.json)"
    ),
    restart: bool = typer.Option(
        False, "--restart", help="Ignore the progress file and read from the first page"
    ),
) -> None:
    """Recreate a Ship24 account's trackers here (resumable: run it again after a stop)."""
    from shiptrack.cli.trackers import _account_id

    async def main(db: Database, settings: Settings) -> None:
        import aiohttp
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from shiptrack.sources import ship24_import as importer

        account_id = await _account_id(db, account)
        path = checkpoint or Path(f"ship24-import-{account_id}.json")
        state = None if restart else importer.Checkpoint.load(path)
        if state is not None and (state.account_id, state.base_url) != (account_id, base_url):
            errors.print(
                f"[red]error:[/red] {path} belongs to an import into account "
                f"{state.account_id} from {state.base_url}; pass --checkpoint or --restart"
            )
            raise typer.Exit(2)
        if state is None:
            state = importer.Checkpoint(account_id, base_url, page_size)
        else:
            console.print(
                f"Resuming after page {state.full_pages} ({state.counts.read} trackers read)."
            )
        progress = Progress(
            TextColumn("Ship24 → shiptrack"),
            BarColumn(),
            TextColumn("{task.completed} trackers read, {task.fields[created]} created"),
            TimeElapsedColumn(),
            console=console,
        )
        task = progress.add_task("import", total=None, completed=state.counts.read, created=0)

        def advance(counts: importer.Counts) -> None:
            progress.update(task, completed=counts.read, created=counts.created)

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            lister = importer.Ship24Lister(session, base_url, api_key, rate=rate)
            job = importer.Ship24Import(
                db,
                lister,
                state,
                path,
                restrict=restrict,
                keep_upstream=keep_upstream,
                max_age_days=settings.shipping_date_max_age_days,
                progress=advance,
            )
            with progress:
                counts = await job.run()
        console.print(
            f"Imported from Ship24: {counts.read} read, {counts.created} created, "
            f"{counts.existing} already here, {counts.skipped} skipped (unsubscribed on "
            f"Ship24), {counts.failed} failed; waited {counts.waited:.1f} s for rate limits."
        )
        if keep_upstream:
            console.print(f"{counts.kept_upstream} kept as registrations of the ship24 upstream.")
        for line in state.failures[-20:]:
            errors.print(f"  failed {line}")
        if counts.failed:
            errors.print(f"Every failure is listed in {path}.")

    try:
        run(main)
    except typer.Exit:
        raise
    except Exception as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
