"""The ``shiptrack`` command.

Each command lives in its own module, imported only when that command runs (or when help
lists every command): ``shiptrack statuses classify`` loads the classifier, not SQLAlchemy,
aiohttp and the API. ``COMMANDS`` maps each command name to ``module:attribute`` — a Typer
app (a group of commands) or a function (one command).
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from shiptrack import __version__

#: Command name → where it is defined.
COMMANDS: dict[str, str] = {
    "serve": "shiptrack.cli.serve:serve",
    "worker": "shiptrack.cli.worker:worker",
    "fake-couriers": "shiptrack.cli.fakes:fake_couriers",
    "trackers": "shiptrack.cli.trackers:trackers_app",
    "db": "shiptrack.cli.serve:db_app",
    "accounts": "shiptrack.cli.accounts:accounts_app",
    "keys": "shiptrack.cli.accounts:keys_app",
    "couriers": "shiptrack.cli.couriers:couriers_app",
    "webhooks": "shiptrack.cli.webhooks:webhooks_app",
    "statuses": "shiptrack.cli.statuses:statuses_app",
    "import": "shiptrack.cli.imports:import_app",
}


def load_command(name: str) -> Any:
    """The (click) command for ``name`` (one of ``COMMANDS``), importing its module."""
    module, _, attribute = COMMANDS[name].partition(":")
    target: Any = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        # A group stays a group even with one command (``shiptrack db upgrade``).
        command = typer.main.get_group(target)
    else:
        single = typer.Typer()
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyCommands(TyperGroup):
    """A group whose commands are imported on first use (see the module's docstring)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]


app = typer.Typer(
    name="shiptrack",
    cls=LazyCommands,
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
    from shiptrack.config import get_settings
    from shiptrack.logs import configure

    settings = get_settings()
    configure(settings.log_level, json=settings.log_json)
