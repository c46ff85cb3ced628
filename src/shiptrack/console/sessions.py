"""Signing operators in and out, their sessions, and CSRF protection.

An operator signs in with one of the account's API keys (checked like an API request's,
failures counted per address by the same limiter). The session is a random 32-byte token in
a cookie — ``HttpOnly``, ``SameSite=Strict``, ``Path=/console``, ``Secure`` when the request
came over TLS (directly or through a proxy that says so) — stored as its SHA-256 with the
account and an expiry of ``SESSION_HOURS``. Signing out deletes the row.

Every form carries the session's CSRF token (the sign-in form a pre-session one, in a cookie
of its own: double submit); a POST without the right token, or from another origin, is
refused with 403. ``signed_in`` wraps the handlers that need a session.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from shiptrack.accounts.auth import authenticate
from shiptrack.clock import utcnow
from shiptrack.console import repository
from shiptrack.console.services import services

COOKIE = "shiptrack_console"
SIGN_IN_COOKIE = "shiptrack_console_sign_in"
SESSION_HOURS = 8
SIGN_IN_PATH = "/console/sign-in"


@dataclass(frozen=True, slots=True)
class Session:
    account_id: str
    account_name: str
    csrf_token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def set_cookie(request: Request, response: Response, name: str, value: str, seconds: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


async def sign_in(request: Request, key: str) -> tuple[str, Session]:
    """A new session for the account of ``key``; ``ApiError`` (401, 429…) when refused."""
    svc = services(request)
    account = await authenticate(
        svc.db,
        svc.key_cache,
        f"Bearer {key.strip()}",
        client=request.client.host if request.client else None,
        failures=svc.auth_failures,
    )
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    async with svc.db.write() as conn:
        await repository.delete_expired_sessions(conn, now)
        await repository.insert_session(
            conn,
            {
                "token_hash": _hash(token),
                "account_id": account.id,
                "csrf_token": csrf,
                "created_at": now,
                "expires_at": now + dt.timedelta(hours=SESSION_HOURS),
            },
        )
    return token, Session(account.id, account.name, csrf)


async def current(request: Request) -> Session | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    async with services(request).db.read() as conn:
        row = await repository.session(conn, _hash(token), utcnow())
    if row is None:
        return None
    return Session(row.account_id, row.account_name, row.csrf_token)


async def sign_out(request: Request) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        async with services(request).db.write() as conn:
            await repository.delete_session(conn, _hash(token))


def same_origin(request: Request) -> bool:
    """False when the browser says the request came from another site."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return request.headers.get("sec-fetch-site") in (None, "same-origin", "none")
    return origin == f"{request.url.scheme}://{request.url.netloc}"


async def csrf_ok(request: Request, expected: str) -> bool:
    if not same_origin(request):
        return False
    sent = (await request.form()).get("csrf")
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), expected.encode())


Handler = Callable[[Request, Session], Awaitable[Response]]


def signed_in(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Run ``handler`` with the request's session; without one, send the browser to the
    sign-in page (and back here afterwards); refuse POSTs without the session's CSRF token."""

    @functools.wraps(handler)
    async def wrapper(request: Request) -> Response:
        session = await current(request)
        if session is None:
            back = request.url.path if request.method == "GET" else "/console"
            return RedirectResponse(f"{SIGN_IN_PATH}?next={quote(back)}", 303)
        if request.method != "GET" and not await csrf_ok(request, session.csrf_token):
            return Response(
                "The form was stale or came from another site; reload the page and try again.",
                403,
                media_type="text/plain",
            )
        return await handler(request, session)

    return wrapper
