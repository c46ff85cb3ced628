"""Tracking pages from the terminal: ``shiptrack trackers link`` and
``shiptrack accounts branding`` (registered on those command groups)."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any

import orjson
import typer

from shiptrack.accounts import repository as accounts
from shiptrack.cli.common import console, errors, run
from shiptrack.clock import utcnow
from shiptrack.config import Settings
from shiptrack.db.engine import Database
from shiptrack.errors import ApiError
from shiptrack.pages import branding as brandings
from shiptrack.pages import links, repository


async def _account_id(db: Database, ref: str | None) -> str:
    async with db.read() as conn:
        found = await accounts.find_account(conn, ref) if ref else None
        if ref is None:
            listed = await accounts.list_accounts(conn)
            found = listed[0] if listed else None
    if found is None:
        raise ApiError(404, "account_not_found", f"no account {ref!r}" if ref else "no account")
    return found.id


def _fail(exc: ApiError) -> typer.Exit:
    errors.print(f"[red]error:[/red] {'; '.join(item.message for item in exc.items)}")
    return typer.Exit(1)


def link(
    tracker_id: str,
    account: str | None = typer.Option(None, help="Account id or name (default: the first)"),
    base_url: str = typer.Option(
        "", help="The address customers reach shiptrack at, e.g. https://track.shop.example"
    ),
    rotate: bool = typer.Option(False, help="Replace the link (the old one stops working)"),
    revoke: bool = typer.Option(False, help="Remove the link (the page answers 404)"),
) -> None:
    """Print the tracker's tracking-page link for end customers (made on first use)."""

    async def main(db: Database, settings: Settings) -> str | None:
        account_id = await _account_id(db, account)
        if revoke:
            await links.revoke(db, account_id, tracker_id)
            return None
        return await links.link(db, account_id, tracker_id, rotate=rotate)

    try:
        token = run(main)
    except ApiError as exc:
        raise _fail(exc) from None
    if token is None:
        console.print(f"Revoked the tracking-page link of tracker {tracker_id}.")
    else:
        print(base_url.rstrip("/") + links.page_path(token))


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def branding(
    account: str = typer.Argument(..., help="Account id or name"),
    name: str | None = typer.Option(None, help="Shown at the top of the page"),
    primary_colour: str | None = typer.Option(None, help="#rrggbb: links, progress"),
    text_colour: str | None = typer.Option(None, help="#rrggbb"),
    background_colour: str | None = typer.Option(None, help="#rrggbb"),
    support_email: str | None = typer.Option(None),
    support_phone: str | None = typer.Option(None),
    support_url: str | None = typer.Option(None),
    footer: str | None = typer.Option(None, help="A closing text at the bottom"),
    logo: Path | None = typer.Option(None, help="A PNG, JPEG, GIF or WebP file (≤ 64 KiB)"),
    post_code_search: bool | None = typer.Option(
        None, help="Let customers find a page by tracking number and destination post code"
    ),
    clear: list[str] = typer.Option([], help="Reset a member to its default (repeatable)"),
) -> None:
    """Show the account's tracking-page branding, or change the members given."""
    given: dict[str, Any] = {
        "name": name,
        "primaryColour": primary_colour,
        "textColour": text_colour,
        "backgroundColour": background_colour,
        "supportEmail": support_email,
        "supportPhone": support_phone,
        "supportUrl": support_url,
        "footer": footer,
        "logo": _data_uri(logo) if logo else None,
        "postCodeSearch": post_code_search,
    }
    changes = {member: value for member, value in given.items() if value is not None}

    async def main(db: Database, settings: Settings) -> dict[str, Any]:
        account_id = await _account_id(db, account)
        async with db.write() as conn:
            current = brandings.as_json(await repository.branding(conn, account_id))
            if changes or clear:
                wanted = {**current, **changes, **dict.fromkeys(clear)}
                values = brandings.parse(wanted)
                await repository.put_branding(conn, account_id, {**values, "updated_at": utcnow()})
                current = brandings.as_json(await repository.branding(conn, account_id))
        return current

    try:
        shown = run(main)
    except ApiError as exc:
        raise _fail(exc) from None
    if shown["logo"]:
        shown["logo"] = f"{shown['logo'][:40]}… ({len(shown['logo'])} characters)"
    print(orjson.dumps(shown, option=orjson.OPT_INDENT_2).decode())
