"""The FedEx connector: the only module of the package that does I/O.

FedEx Track API (developer.fedex.com, "Track API" v1):

- token: ``POST {origin}/oauth/token``, form ``grant_type=client_credentials&client_id=…&
  client_secret=…`` → ``{"access_token", "token_type": "bearer", "expires_in": 3599,
  "scope": "CXS"}``;
- tracking: ``POST {origin}/track/v1/trackingnumbers`` with ``Authorization: Bearer`` and
  ``{"includeDetailedScans": true, "trackingInfo": [{"trackingNumberInfo": {"trackingNumber":
  …}}, …]}``: up to 30 numbers per request, so ``batch_size`` is 30 (more numbers are split
  into several requests made concurrently).

A number FedEx does not know comes back inside the 200 as that number's
``TRACKING.TRACKINGNUMBER.NOTFOUND`` error: ``TrackingNumberNotFound`` for that number only.
Whole-call statuses: 401 → refresh the token once and retry; 403 → ``CourierAuthError``;
429 → ``CourierRateLimited``; 5xx → ``CourierUnavailable``. Error bodies are
``{"transactionId", "errors": [{"code", "message"}]}``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import aiohttp
import orjson

from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.fedex.parse import (
    COURIER_CODE,
    SOURCE_CODE,
    error_detail,
    errors_of,
    parse_track_response,
)
from shiptrack.couriers.connectors.fedex.settings import FedexSettings
from shiptrack.couriers.connectors.http import (
    error_for_status,
    guarded,
    read_error_body,
    read_json,
)
from shiptrack.couriers.connectors.oauth import (
    OAuthTokenCache,
    TokenGrant,
    TokenRejected,
    check_token,
    request_token,
    with_token,
)
from shiptrack.couriers.connectors.protocol import (
    ConnectorInfo,
    CourierError,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)

if TYPE_CHECKING:
    from shiptrack.config import Settings

#: FedEx: "You can track up to 30 tracking numbers in a single request."
BATCH_SIZE = 30
_NUMBER = re.compile(r"^[A-Za-z0-9]{6,40}$")


class FedexConnector:
    """Tracks FedEx numbers (Express, Ground, Ground Economy...) through the Track API."""

    def __init__(self, settings: FedexSettings, session: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._session = session
        self._api = settings.api_url
        self._tokens = OAuthTokenCache(self.fetch_token)
        self.info = ConnectorInfo(
            source_code=SOURCE_CODE,
            courier_codes=frozenset({COURIER_CODE}),
            batch_size=BATCH_SIZE,
            min_interval=settings.min_interval,
            rate_limit=settings.rate_limit,
            timeout=settings.timeout,
        )

    @property
    def tokens(self) -> OAuthTokenCache:
        return self._tokens

    async def fetch_token(self) -> TokenGrant:
        """One client-credentials token request (the cache calls this; so does the check)."""
        secret = self._settings.client_secret
        return await request_token(
            self._session,
            f"{self._api}/oauth/token",
            client_id=self._settings.client_id or "",
            client_secret=secret.get_secret_value() if secret else "",
            credentials_in="body",
            timeout=self._settings.timeout,
        )

    def claims(self, tracking_number: str) -> bool:
        return False

    async def aclose(self) -> None:
        """Nothing to release: the HTTP session belongs to the process."""

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        outcomes: dict[str, TrackOutcome] = {}
        valid: list[str] = []
        for number in dict.fromkeys(numbers):
            if _NUMBER.match(number):
                valid.append(number)
            else:
                outcomes[number] = TrackingNumberNotFound(
                    f"FedEx: {number!r} is not a FedEx tracking number"
                )
        chunks = [valid[i : i + BATCH_SIZE] for i in range(0, len(valid), BATCH_SIZE)]
        for chunk_outcomes in await asyncio.gather(*(self._track_chunk(c) for c in chunks)):
            outcomes.update(chunk_outcomes)
        return {number: outcomes[number] for number in dict.fromkeys(numbers)}

    async def _track_chunk(self, numbers: list[str]) -> dict[str, TrackOutcome]:
        try:
            return await with_token(self._tokens, lambda token: self._post(numbers, token))
        except CourierError as exc:
            return dict.fromkeys(numbers, exc)

    async def _post(self, numbers: list[str], token: str) -> dict[str, TrackOutcome]:
        payload = {
            "includeDetailedScans": True,
            "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": n}} for n in numbers],
        }
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
            "X-locale": self._settings.locale,
        }
        url = f"{self._api}/track/v1/trackingnumbers"

        async def call() -> dict[str, TrackOutcome]:
            async with self._session.post(url, data=orjson.dumps(payload), headers=headers) as resp:
                if resp.status >= 300:
                    body, text = await _body_text(resp)
                    if resp.status == 401:
                        raise TokenRejected(text)
                    codes = [code.upper() for code, _ in errors_of(body)]
                    if codes and all("NOTFOUND" in code for code in codes):
                        return dict.fromkeys(numbers, TrackingNumberNotFound(f"FedEx: {text}"))
                    error = error_for_status(
                        resp.status, retry_after=resp.headers.get("Retry-After"), detail=text
                    )
                    if error is not None:
                        raise error
                body = await read_json(resp)
            return dict(parse_track_response(numbers, body))

        return await guarded(call, timeout=self._settings.timeout)


async def _body_text(response: aiohttp.ClientResponse) -> tuple[object, str]:
    """The decoded error body (or None) and a short text for messages."""
    body, text = await read_error_body(response)
    return body, error_detail(body) or text


def _own_settings(settings: Settings | FedexSettings | None) -> FedexSettings:
    return settings if isinstance(settings, FedexSettings) else FedexSettings()


def build(
    settings: Settings | FedexSettings | None, session: aiohttp.ClientSession
) -> FedexConnector | None:
    """The connector factory: ``None`` when no FedEx credentials are configured.

    ``settings`` is shiptrack's global ``Settings`` (ignored: FedEx reads its own
    ``SHIPTRACK_FEDEX_*`` settings) or, in tests, a ``FedexSettings``.
    """
    own = _own_settings(settings)
    return FedexConnector(own, session) if own.configured else None


async def check_credentials(
    settings: Settings | FedexSettings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    """Try one token request with the configured credentials (for ``shiptrack couriers check``)."""
    own = _own_settings(settings)
    if not own.configured:
        return CredentialCheck(
            "fedex", False, False,
            "not configured: set SHIPTRACK_FEDEX_CLIENT_ID and SHIPTRACK_FEDEX_CLIENT_SECRET",
        )
    secret = own.client_secret.get_secret_value() if own.client_secret else ""
    return await check_token("fedex", FedexConnector(own, session).fetch_token, secret=secret)
