"""``shiptrack serve`` and ``shiptrack db upgrade``."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import typer

from shiptrack.accounts import service
from shiptrack.cli.common import console, exit_on_conflict
from shiptrack.config import get_settings, webhook_settings
from shiptrack.config_checks import check as check_settings
from shiptrack.db.engine import Database
from shiptrack.db.schema import is_current

db_app = typer.Typer(help="Database schema.")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply the schema migrations (safe to repeat)."""
    from shiptrack.db.migrate import upgrade

    settings = get_settings()
    asyncio.run(upgrade(settings.database_url, revision))
    console.print("Database is up to date.")


async def _prepare(migrate: bool) -> service.NewKey | None:
    settings = get_settings()
    db = Database(settings.database_url, pool_size=1)
    if migrate and not await is_current(db):
        from shiptrack.db.migrate import upgrade

        await upgrade(settings.database_url)
    try:
        return await service.ensure_default_account(db)
    finally:
        await db.dispose()


def write_key_file(path: Path, key: str) -> None:
    """Write the key to ``path`` readable by its owner only (0600 from creation)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    os.chmod(path, 0o600)


def save_new_key(path: Path, key: str) -> bool:
    """Write the new default account's key to ``path``, unless ``path`` already holds another
    key: that one belongs to another database (this one was empty until now), whose users
    read it from the file. False when the file was left alone."""
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if existing and existing != key:
        return False
    write_key_file(path, key)
    return True


def serve(
    host: str | None = typer.Option(None, help="Address to listen on [SHIPTRACK_HOST]"),
    port: int | None = typer.Option(None, help="Port [SHIPTRACK_PORT]"),
    workers: int | None = typer.Option(None, help="API worker processes [SHIPTRACK_WORKERS]"),
    migrate: bool = typer.Option(True, help="Upgrade the schema first"),
    access_log: bool = typer.Option(False, help="Log every request [SHIPTRACK_ACCESS_LOG]"),
) -> None:
    """Run the HTTP API (and the tracking engine) — migrating the database first."""
    settings = get_settings()
    with exit_on_conflict():
        # The couriers' timeouts are checked once they are loaded, at the application's start.
        check_settings(settings, webhook_settings(settings), engine_runs=settings.engine_enabled)
    new = asyncio.run(_prepare(migrate and settings.auto_migrate))
    if new is not None:
        path = Path(settings.api_key_file)
        if save_new_key(path, new.key):
            console.print(
                "[bold green]Created the default account.[/bold green] Its API key "
                f"(also written to {path}, mode 0600):"
            )
        else:
            console.print(
                "[bold green]Created the default account.[/bold green] Its API key is below "
                f"and nowhere else: {path} holds another database's key and was left as it "
                "is (delete it if that database is gone, or set SHIPTRACK_API_KEY_FILE to "
                "another path before the first start). Keep this key:"
            )
        print(new.key, flush=True)
    # Replace this process with the lean server entry point: same PID, same output, without
    # the CLI's and the migrations' modules held in the supervising process.
    arguments = [
        sys.executable,
        "-m",
        "shiptrack.serving",
        "--host",
        host or settings.host,
        "--port",
        str(port or settings.port),
        "--workers",
        str(workers or settings.workers),
        "--log-level",
        settings.log_level,
        "--forwarded-allow-ips",
        settings.forwarded_allow_ips,
        "--keep-alive",
        str(settings.http_keep_alive_seconds),
    ] + (["--log-json"] if settings.log_json else [])
    if access_log:
        os.environ["SHIPTRACK_ACCESS_LOG"] = "true"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, arguments)
