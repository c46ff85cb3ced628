"""``shiptrack webhooks``: an account's webhook settings, the delivery log, replay, test send."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
import typer
from rich.table import Table

from shiptrack.accounts import repository as accounts_repository
from shiptrack.cli.common import console, errors, run
from shiptrack.config import Settings, webhook_settings
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.db import prefixes
from shiptrack.db.engine import Database
from shiptrack.db.tables import trackers
from shiptrack.db.webhook_tables import webhook_messages
from shiptrack.errors import ApiError
from shiptrack.webhooks import repository
from shiptrack.webhooks.delivery.http import USER_AGENT
from shiptrack.webhooks.endpoints import service

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")

webhooks_app = typer.Typer(
    help="Webhooks: an account's URL and secret, the delivery log, replay and test sends.",
    no_args_is_help=True,
)

ACCOUNT = typer.Argument(help="Account name, id, or a unique prefix of its id")


#: The service speaks the API (paths, JSON fields); here its messages speak the CLI.
_CLI_MESSAGES = {
    "webhook_url_missing": "This account has no webhook: set one with "
    "`shiptrack webhooks set ACCOUNT --url URL` first.",
    "tracker_not_found": "No tracker with that id (or id prefix) in this account.",
    "message_not_found": "No webhook message with that id (or id prefix) in this account; "
    "`shiptrack webhooks log ACCOUNT` lists them.",
}
_CLI_WORDS = (
    ("maxUpdatesPerMessage", "--max-updates"),
    ("overlapHours", "--overlap-hours"),
    ("status must be", "--status must be"),
    ("SHIPTRACK_WEBHOOK_PROBE_ON_SAVE=false", "--no-probe"),
)


def cli_message(error: ApiError) -> str:
    """An API error's message in the CLI's words (its options, its commands)."""
    item = error.items[0]
    if item.code in _CLI_MESSAGES:
        return _CLI_MESSAGES[item.code]
    message = item.message
    for api_word, cli_word in _CLI_WORDS:
        message = message.replace(api_word, cli_word)
    return message


def _run(main: Callable[[Database, WebhookSettings, str], Awaitable[T]], account: str) -> T:
    """Run ``main(db, webhook settings, account id)``; print API errors and exit 1."""

    async def runner(db: Database, settings: Settings) -> T:
        async with db.read() as conn:
            found = await accounts_repository.find_account(conn, account)
        if found is None:
            raise ApiError(404, "account_not_found", f"no account with id or name {account!r}")
        return await main(db, webhook_settings(settings), found.id)

    try:
        return run(runner)
    except ApiError as exc:
        errors.print(f"[red]error:[/red] {cli_message(exc)}")
        raise typer.Exit(1) from None


async def _tracker_id(db: Database, account_id: str, ref: str) -> str:
    """The tracker's id from its id or a unique prefix of it."""
    async with db.read() as conn:
        found = await prefixes.expand(conn, trackers.c.id, ref, trackers.c.account_id == account_id)
    return found or prefixes.clean(ref)


async def _message_id(db: Database, account_id: str, ref: str) -> str:
    """The message's id from its id or a unique prefix of it."""
    async with db.read() as conn:
        found = await prefixes.expand(
            conn, webhook_messages.c.id, ref, webhook_messages.c.account_id == account_id
        )
    return found or prefixes.clean(ref)


def _session() -> aiohttp.ClientSession:
    import aiohttp

    return aiohttp.ClientSession(headers={"User-Agent": USER_AGENT})


def _print_webhook(state: service.WebhookState, settings: WebhookSettings) -> None:
    view = service.webhook_dict(state, settings)
    table = Table("setting", "value", show_header=False)
    for key, value in view.items():
        if key != "secret":
            table.add_row(key, "" if value is None else str(value))
    console.print(table)
    if state.secret is not None:
        console.print("Secret (store it now; the API never shows it again):")
        print(state.secret)


@webhooks_app.command("set")
def set_webhook(
    account: str = ACCOUNT,
    url: str = typer.Option(..., help="Where to POST messages (http or https)"),
    max_updates: int | None = typer.Option(
        None, "--max-updates", help="Events per message (1: each event at once)"
    ),
    enabled: bool | None = typer.Option(None, "--enable/--disable", help="Deliver or pause"),
    probe: bool | None = typer.Option(
        None, "--probe/--no-probe", help="HEAD the URL first [SHIPTRACK_WEBHOOK_PROBE_ON_SAVE]"
    ),
) -> None:
    """Create or update an account's webhook (prints the secret when it is created)."""
    body: dict[str, Any] = {"url": url}
    if max_updates is not None:
        body["maxUpdatesPerMessage"] = max_updates
    if enabled is not None:
        body["enabled"] = enabled

    async def main(db: Database, settings: WebhookSettings, account_id: str) -> None:
        async with _session() as session:
            state = await service.set_webhook(
                db, session, settings, account_id, body, probe_url=probe
            )
        _print_webhook(state, settings)

    _run(main, account)


@webhooks_app.command("show")
def show(
    account: str = ACCOUNT,
    reveal_secret: bool = typer.Option(False, help="Print the whole secret(s)"),
) -> None:
    """Show an account's webhook settings and message counts."""

    async def main(db: Database, settings: WebhookSettings, account_id: str) -> None:
        state = await service.get_webhook(db, account_id)
        _print_webhook(state, settings)
        async with db.read() as conn:
            counts = await repository.count_by_status(conn, account_id)
        console.print(
            "messages: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in service.MESSAGE_STATUSES)
        )
        if reveal_secret:
            current, previous = await service.reveal_secret(db, account_id)
            print(current)
            if previous:
                print(f"{previous}  (previous, until the overlap ends)")

    _run(main, account)


@webhooks_app.command("rotate-secret")
def rotate_secret(
    account: str = ACCOUNT,
    overlap_hours: float | None = typer.Option(
        None, help="Hours the old secret keeps signing [SHIPTRACK_WEBHOOK_SECRET_OVERLAP_HOURS]"
    ),
) -> None:
    """Issue a new secret; the old one keeps working for the overlap."""
    body = None if overlap_hours is None else {"overlapHours": overlap_hours}

    async def main(db: Database, settings: WebhookSettings, account_id: str) -> None:
        state = await service.rotate_secret(db, settings, account_id, body)
        _print_webhook(state, settings)

    _run(main, account)


@webhooks_app.command("delete")
def delete(account: str = ACCOUNT) -> None:
    """Remove an account's webhook; undelivered messages are dropped."""

    async def main(db: Database, settings: WebhookSettings, account_id: str) -> None:
        dropped = await service.delete_webhook(db, account_id)
        console.print(f"Webhook removed; {dropped} undelivered message(s) dropped.")

    _run(main, account)


@webhooks_app.command("log")
def log(
    account: str = ACCOUNT,
    tracker: str | None = typer.Option(None, help="Only this tracker (id or unique prefix)"),
    status: str | None = typer.Option(None, help="pending, delivered, failed or dropped"),
    message: str | None = typer.Option(
        None, help="One message (id or unique prefix): its attempts and body"
    ),
    limit: int = typer.Option(50, help="Most messages listed"),
) -> None:
    """The delivery log: messages (newest first), or one message's attempts."""

    async def main(db: Database, settings: WebhookSettings, account_id: str) -> None:
        if message is not None:
            message_id = await _message_id(db, account_id, message)
            row, attempts = await service.message_detail(db, account_id, message_id)
            for key, value in service.message_dict(row).items():
                console.print(f"{key}: {'' if value is None else value}")
            table = Table("#", "at", "outcome", "status", "ms", "error", "response")
            for a in attempts:
                item = service.attempt_dict(a)
                table.add_row(
                    str(item["attempt"]),
                    item["at"],
                    item["outcome"],
                    str(item["statusCode"] or ""),
                    str(item["durationMs"]),
                    item["error"] or "",
                    (item["responseBody"] or "")[:60],
                )
            console.print(table)
            print(orjson.dumps(orjson.loads(row.body), option=orjson.OPT_INDENT_2).decode())
            return
        rows = await service.list_messages(
            db,
            account_id,
            tracker_ref=tracker and await _tracker_id(db, account_id, tracker),
            status=status,
            limit=limit,
        )
        table = Table("message", "tracker", "seq", "status", "tries", "created", "last", "error")
        for row in rows:
            item = service.message_dict(row)
            table.add_row(
                item["messageId"],
                item["trackerId"],
                str(item["sequence"]),
                item["status"],
                str(item["attempts"]),
                item["createdAt"],
                str(item["lastStatusCode"] or ""),
                item["lastError"] or item["dropReason"] or "",
            )
        console.print(table)

    _run(main, account)


@webhooks_app.command("replay")
def replay(
    account: str = ACCOUNT,
    message: str | None = typer.Option(None, help="Queue this message again (id or unique prefix)"),
    tracker: str | None = typer.Option(
        None, help="Queue every message of this tracker again (id or unique prefix)"
    ),
) -> None:
    """Queue messages again with their original messageId (a running dispatcher sends them)."""
    if (message is None) == (tracker is None):
        errors.print("[red]error:[/red] give exactly one of --message or --tracker")
        raise typer.Exit(2)

    async def main(db: Database, settings: WebhookSettings, account_id: str) -> None:
        if message is not None:
            message_id = await _message_id(db, account_id, message)
            await service.replay_message(db, account_id, message_id)
            console.print(f"Message {message_id} queued again.")
        else:
            assert tracker is not None
            tracker_id = await _tracker_id(db, account_id, tracker)
            total = await service.resend(db, account_id, tracker_id, by_client_id=False)
            console.print(f"{total} message(s) of tracker {tracker_id} queued again.")

    _run(main, account)


@webhooks_app.command("test-send")
def send_test(account: str = ACCOUNT) -> None:
    """Send a signed sample message to the account's URL now and show the answer."""

    async def main(db: Database, settings: WebhookSettings, account_id: str) -> bool:
        async with _session() as session:
            message_id, result = await service.send_test_message(db, session, settings, account_id)
        console.print(f"message {message_id}: {'OK' if result.ok else 'FAILED'}")
        console.print(
            f"status {result.status_code or '-'} in {result.duration_ms} ms"
            + (f"; {result.error}" if result.error else "")
        )
        if result.response_body:
            console.print(f"response: {result.response_body[:500]}")
        return result.ok

    if not _run(main, account):
        raise typer.Exit(1)
