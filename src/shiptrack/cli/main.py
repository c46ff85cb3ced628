"""The ``shiptrack`` command."""

from __future__ import annotations

import typer

from shiptrack import __version__
from shiptrack.cli.accounts import accounts_app, keys_app
from shiptrack.cli.couriers import couriers_app
from shiptrack.cli.fakes import fake_couriers
from shiptrack.cli.serve import db_app, serve
from shiptrack.cli.statuses import statuses_app
from shiptrack.cli.trackers import trackers_app
from shiptrack.cli.worker import worker
from shiptrack.config import get_settings
from shiptrack.logs import configure
from shiptrack.webhooks.cli import webhooks_app

app = typer.Typer(
    name="shiptrack",
    help="Self-hosted shipment tracking with a Ship24-compatible API.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"shiptrack {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True),
) -> None:
    settings = get_settings()
    configure(settings.log_level, json=settings.log_json)


app.command()(serve)
app.command()(worker)
app.command("fake-couriers")(fake_couriers)
app.add_typer(trackers_app, name="trackers")
app.add_typer(db_app, name="db")
app.add_typer(accounts_app, name="accounts")
app.add_typer(keys_app, name="keys")
app.add_typer(couriers_app, name="couriers")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(statuses_app, name="statuses")
