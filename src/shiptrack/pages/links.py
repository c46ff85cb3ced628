"""Tracking-page links: a random token per tracker, stored, rotatable and revocable.

The token is 24 random bytes (``secrets.token_urlsafe``: 32 characters, 192 bits), so a link
cannot be guessed; a visitor's token is hashed before the lookup, so the database never
compares attacker-chosen prefixes (docs/decisions/0018-tracking-pages.md).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError

from shiptrack.clock import utcnow
from shiptrack.db.engine import Connection, Database
from shiptrack.errors import ApiError
from shiptrack.pages import repository
from shiptrack.trackers import service as trackers

#: Where a tracker's page is served; ``{token}`` is the link's token.
PAGE_PATH = "/track/{token}"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def page_path(token: str) -> str:
    return PAGE_PATH.format(token=token)


async def link(db: Database, account_id: str, tracker_id: str, *, rotate: bool = False) -> str:
    """The tracker's page token, made on first use; ``rotate`` replaces it (the old link
    then answers 404). 404 in Ship24's envelope when the account has no such tracker."""
    await trackers.get(db, account_id, tracker_id, by_client_id=False)
    try:
        async with db.write() as conn:
            existing = None if rotate else await repository.link_of_tracker(conn, tracker_id)
            if existing is not None:
                return str(existing.token)
            token = secrets.token_urlsafe(24)
            await repository.put_link(
                conn,
                tracker_id=tracker_id,
                account_id=account_id,
                token=token,
                token_hash=token_hash(token),
                now=utcnow(),
                replace=rotate,
            )
    except IntegrityError:
        # A concurrent first request made the link between our read and our insert.
        async with db.read() as conn:
            made = await repository.link_of_tracker(conn, tracker_id)
        if made is None:
            raise
        return str(made.token)
    return token


async def revoke(db: Database, account_id: str, tracker_id: str) -> None:
    """Remove the tracker's link: its page answers 404 until a new link is made."""
    await trackers.get(db, account_id, tracker_id, by_client_id=False)
    async with db.write() as conn:
        if not await repository.delete_link(conn, tracker_id):
            raise ApiError(
                404,
                "page_link_not_found",
                f"Tracker '{tracker_id}' has no tracking-page link to revoke; "
                "GET /trackers/{trackerId}/page-link makes one.",
            )


async def resolve(db: Database, token: str) -> Row[Any] | None:
    """The link row for a visitor's token, or None. Malformed tokens are hashed and looked up
    like any other, so every answer costs the same work."""
    async with db.read() as conn:
        return await resolve_on(conn, token)


async def resolve_on(conn: Connection, token: str) -> Row[Any] | None:
    """``resolve`` on a connection the caller holds."""
    row = await repository.link_by_hash(conn, token_hash(token))
    if row is None or not _TOKEN.fullmatch(token):
        return None
    return row
