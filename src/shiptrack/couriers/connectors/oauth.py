"""OAuth 2 client-credentials tokens shared by the connectors that need them (USPS, UPS, FedEx).

``OAuthTokenCache`` holds one access token per connector::

    cache = OAuthTokenCache(fetch)          # fetch: () -> TokenGrant, does the HTTP POST
    token = await cache.token()             # one token request however many callers wait
    cache.invalidate(token)                 # after a 401 with that token

- **Single flight.** Callers that find the token missing or stale queue on one ``asyncio.Lock``;
  the first refreshes, the others wake up to the new token, or to the same error when the
  refresh failed, so a burst of 100 concurrent calls makes one token request.
- **Early refresh.** A token counts as stale ``refresh_margin`` seconds before it expires
  (capped at a tenth of its lifetime, so short-lived test tokens still get used).
- **Invalidate by value.** ``invalidate(token)`` drops the token only if it is still the
  current one: when ten calls all get a 401 with the same expired token, the first drops it,
  the refresh happens once, and the other nine simply pick up the new token.

``with_token`` runs one API call with a token, and on a 401 (signalled by the call raising
``TokenRejected``) refreshes once and retries before giving up with ``CourierAuthError``.
``request_token`` is the client-credentials POST itself (form body, credentials in the body
or in an HTTP Basic header, as each carrier documents).
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeVar

from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.http import (
    error_for_status,
    guarded,
    read_error_body,
    read_json,
)
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierError,
    CourierResponseInvalid,
)

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")

#: Lifetime assumed when a token answer has no usable ``expires_in`` (seconds). All three
#: carriers send one (USPS 8 h, UPS 4 h, FedEx 1 h); 15 minutes is a safe guess otherwise.
DEFAULT_LIFETIME = 900.0


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What a token endpoint answered: the bearer token and its lifetime in seconds."""

    access_token: str = field(repr=False)
    expires_in: float = 0.0


class TokenRejected(Exception):
    """Raised by an API call made through ``with_token`` when the API answered 401."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or "HTTP 401")
        self.detail = detail


@dataclass(frozen=True, slots=True)
class _Token:
    value: str = field(repr=False)
    issued_at: float = 0.0
    expires_at: float = 0.0


class OAuthTokenCache:
    """One connector's access token, refreshed on demand by a single caller at a time."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[TokenGrant]],
        *,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._margin = refresh_margin
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: _Token | None = None
        #: Bumped after every refresh attempt, successful or not.
        self._attempts = 0
        self._last_error: CourierError | None = None
        #: Token requests made so far (for metrics and tests).
        self.requests = 0

    def _fresh(self, token: _Token) -> bool:
        lifetime = token.expires_at - token.issued_at
        margin = min(self._margin, lifetime / 10)
        return self._clock() < token.expires_at - margin

    @property
    def current(self) -> str | None:
        """The cached token if it is still fresh, without refreshing."""
        token = self._token
        return token.value if token is not None and self._fresh(token) else None

    async def token(self) -> str:
        """A fresh access token; refreshes (once for all concurrent callers) when needed."""
        cached = self.current
        if cached is not None:
            return cached
        attempts_seen = self._attempts
        async with self._lock:
            cached = self.current
            if cached is not None:
                return cached
            if self._attempts != attempts_seen and self._last_error is not None:
                # Another caller tried while we queued and failed: share its answer rather
                # than hammering a token endpoint that just refused.
                raise _copy_error(self._last_error)
            return await self._refresh()

    async def _refresh(self) -> str:
        self.requests += 1
        try:
            grant = await self._fetch()
        except CourierError as exc:
            self._attempts += 1
            self._last_error = exc
            raise
        now = self._clock()
        lifetime = grant.expires_in if grant.expires_in > 0 else DEFAULT_LIFETIME
        self._token = _Token(grant.access_token, now, now + lifetime)
        self._attempts += 1
        self._last_error = None
        return grant.access_token

    def invalidate(self, token: str | None = None) -> None:
        """Forget the token (only if it is still ``token``, when given), e.g. after a 401."""
        if self._token is not None and (token is None or self._token.value == token):
            self._token = None


def _copy_error(error: CourierError) -> CourierError:
    return type(error)(str(error), retry_after=error.retry_after)


async def with_token(cache: OAuthTokenCache, call: Callable[[str], Awaitable[T]]) -> T:
    """Run ``call(token)``; on ``TokenRejected`` refresh the token once and retry.

    A second 401 with a brand-new token means the credentials themselves are not accepted
    for this API: ``CourierAuthError``.
    """
    token = await cache.token()
    try:
        return await call(token)
    except TokenRejected:
        cache.invalidate(token)
    token = await cache.token()
    try:
        return await call(token)
    except TokenRejected as exc:
        cache.invalidate(token)
        detail = f": {exc.detail[:200]}" if exc.detail else ""
        raise CourierAuthError(f"HTTP 401 again after a token refresh{detail}") from None


def _expires_in(value: object) -> float:
    # UPS sends every field as a string ("14399"); USPS and FedEx send numbers.
    if isinstance(value, bool):
        return DEFAULT_LIFETIME
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return DEFAULT_LIFETIME
    return DEFAULT_LIFETIME


def parse_token_answer(body: object) -> TokenGrant:
    """A token endpoint's JSON body → ``TokenGrant``; ``CourierResponseInvalid`` if malformed."""
    if not isinstance(body, dict):
        raise CourierResponseInvalid("token answer is not a JSON object")
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise CourierResponseInvalid("token answer has no access_token")
    return TokenGrant(token, _expires_in(body.get("expires_in")))


def _redact(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


async def request_token(
    session: aiohttp.ClientSession,
    url: str,
    *,
    client_id: str,
    client_secret: str,
    credentials_in: Literal["body", "basic"],
    extra_form: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 20.0,
) -> TokenGrant:
    """POST a client-credentials grant (form-encoded) and parse the answer.

    Errors: 400/401/403 → ``CourierAuthError`` (a refused grant is a credentials problem),
    429 → ``CourierRateLimited``, 5xx/timeouts → ``CourierUnavailable``, a body without a
    token → ``CourierResponseInvalid``. The secret never appears in an error message.
    """
    form = {"grant_type": "client_credentials", **(extra_form or {})}
    request_headers = {"Accept": "application/json", **(headers or {})}
    if credentials_in == "basic":
        pair = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode("ascii")
        request_headers["Authorization"] = f"Basic {pair}"
    else:
        form["client_id"] = client_id
        form["client_secret"] = client_secret

    async def call() -> TokenGrant:
        async with session.post(url, data=form, headers=request_headers) as response:
            if response.status in (400, 401, 403):
                detail = _redact((await read_error_body(response))[1], client_secret)
                raise CourierAuthError(
                    f"token request refused: HTTP {response.status}: {detail[:200]}"
                )
            error = error_for_status(
                response.status, retry_after=response.headers.get("Retry-After")
            )
            if error is not None:
                raise error
            return parse_token_answer(await read_json(response))

    return await guarded(call, timeout=timeout)


async def check_token(
    connector: str, fetch: Callable[[], Awaitable[TokenGrant]], *, secret: str = ""
) -> CredentialCheck:
    """Try one token request for ``connector``; describe the outcome without any secret."""
    try:
        grant = await fetch()
    except CourierError as exc:
        kind = type(exc).__name__
        return CredentialCheck(connector, True, False, f"{kind}: {_redact(str(exc), secret)}")
    detail = f"token obtained (valid for {grant.expires_in:.0f} s)"
    return CredentialCheck(connector, True, True, detail)
