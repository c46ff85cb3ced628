"""The CLI: ids typed back as printed (a unique prefix, with or without its ``…``), quiet
and migration-free starts on a current database."""

from __future__ import annotations

import os
import subprocess
import sys

import orjson
import pytest
from sqlalchemy import insert

from shiptrack.clock import utcnow
from shiptrack.db import prefixes
from shiptrack.db.tables import accounts

pytestmark = pytest.mark.slow


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHIPTRACK_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "shiptrack", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_short_ids_are_accepted_and_commands_on_a_current_database_are_quiet(database_url):
    created = _cli(database_url, "accounts", "create", "acme")
    assert created.returncode == 0, created.stderr
    account_id = created.stdout.split("(")[1].split(")")[0]

    # As the CLI prints it shortened, ellipsis included; and without it.
    issued = _cli(database_url, "keys", "create", account_id[:8] + "…", "--name", "second")
    assert issued.returncode == 0, issued.stderr
    assert "for acme" in issued.stdout
    listed = _cli(database_url, "keys", "list", account_id[:13])
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("acme") == 2

    # Nothing to migrate: no Alembic lines (the database was migrated by the fixture).
    for result in (listed, issued):
        assert "alembic" not in result.stderr.lower()
        assert "Running upgrade" not in result.stderr

    unknown = _cli(database_url, "keys", "list", "ffffffff")
    assert unknown.returncode == 1
    assert "ffffffff" in unknown.stderr


async def test_an_ambiguous_or_wildcard_prefix_matches_nothing_by_accident(db):
    now = utcnow()
    async with db.write() as conn:
        for account_id in ("abcd1111-0000", "abcd2222-0000", "ab%d3333-0000"):
            await conn.execute(
                insert(accounts).values(id=account_id, name=account_id, created_at=now)
            )
    async with db.read() as conn:
        assert await prefixes.expand(conn, accounts.c.id, "abcd1") == "abcd1111-0000"
        assert await prefixes.expand(conn, accounts.c.id, "abcd2222…") == "abcd2222-0000"
        with pytest.raises(prefixes.AmbiguousPrefix, match="type more"):
            await prefixes.expand(conn, accounts.c.id, "abcd")
        # LIKE wildcards in the reference are literal characters.
        assert await prefixes.expand(conn, accounts.c.id, "ab%d") == "ab%d3333-0000"
        assert await prefixes.expand(conn, accounts.c.id, "a_cd1") is None
        # Too short to be taken as a prefix.
        assert await prefixes.expand(conn, accounts.c.id, "abc") is None


def test_service_errors_are_told_in_the_clis_words():
    from shiptrack.cli.webhooks import cli_message
    from shiptrack.errors import ApiError, tracker_not_found, validation_error

    assert "searchBy" not in cli_message(tracker_not_found())
    missing = ApiError(400, "webhook_url_missing", "Set one with PUT /account/webhook")
    assert "shiptrack webhooks set" in cli_message(missing)
    assert "PUT" not in cli_message(missing)
    bad = validation_error("maxUpdatesPerMessage must be a whole number from 1 to 100")
    assert cli_message(bad).startswith("--max-updates must be")


def test_a_command_loads_only_what_it_needs():
    """Commands are imported when run: classifying a text loads neither the database layer,
    the HTTP client nor the API (each costs tenths of a second at every start)."""
    probe = (
        "import sys\n"
        "from shiptrack.cli.main import app\n"
        "try:\n"
        "    app(['statuses', 'classify', 'Zending is afgeleverd'], standalone_mode=False)\n"
        "finally:\n"
        "    heavy = ('sqlalchemy', 'aiohttp', 'starlette', 'alembic', 'uvicorn')\n"
        "    print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "delivery_delivered" in done.stdout
    assert "LOADED []" in done.stdout, done.stdout


def test_trackers_why_says_which_source_to_enable(database_url):
    assert _cli(database_url, "accounts", "create", "why-acme").returncode == 0
    added = _cli(database_url, "trackers", "add", "9400111899223100001234", "-c", "us-post")
    assert added.returncode == 0, added.stderr
    why = _cli(database_url, "trackers", "why", "9400111899223100001234")
    assert why.returncode == 0, why.stderr
    assert "No running source can track us-post: the tracker waits." in why.stdout
    assert "set SHIPTRACK_USPS_CLIENT_ID and SHIPTRACK_USPS_CLIENT_SECRET" in why.stdout
    as_json = _cli(database_url, "trackers", "why", "9400111899223100001234", "--json")
    routing = orjson.loads(as_json.stdout.splitlines()[0])["data"]["routing"]
    assert routing["trackable"] is False
    assert routing["couriers"][0]["courierCode"] == "us-post"


def test_every_command_group_keeps_its_commands():
    """A group with a single command stays a group: ``shiptrack db upgrade``, not ``shiptrack
    db`` taking ``upgrade`` as an argument."""
    import importlib

    import typer

    from shiptrack.cli.main import COMMANDS, load_command

    for name, where in COMMANDS.items():
        module, _, attribute = where.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        command = load_command(name)
        if isinstance(target, typer.Typer):
            registered = {
                c.name or c.callback.__name__.replace("_", "-") for c in target.registered_commands
            }
            assert set(command.commands) == registered, name
        else:
            assert not hasattr(command, "commands"), name


def test_db_upgrade_migrates(database_url):
    done = _cli(database_url, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert "Database is up to date." in done.stdout
