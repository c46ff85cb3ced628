"""The USPS connector: the only module of the package that does I/O.

USPS Tracking API v3 (developers.usps.com, "Tracking 3.0"):

- token: ``POST {origin}/oauth2/v3/token`` (form: ``grant_type=client_credentials``,
  ``client_id``, ``client_secret``) → ``{"access_token", "expires_in": 28799, ...}``;
- tracking: ``GET {origin}/tracking/v3/tracking/{trackingNumber}?expand=DETAIL`` with
  ``Authorization: Bearer <token>``; optional ``destinationZIPCode`` and ``mailingDate``
  narrow the search when a number was reused. One number per call, so ``batch_size`` is 1.

Statuses: 401 → refresh the token once and retry; 403 → ``CourierAuthError``; 404 →
``TrackingNumberNotFound``; 429 → ``CourierRateLimited`` (``Retry-After``); 5xx →
``CourierUnavailable``. Errors come back as USPS ``ErrorMessage`` bodies
(``{"apiVersion", "error": {"code", "message", "errors": [...]}}``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

import aiohttp

from shiptrack.couriers.connectors.credentials import CredentialCheck
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
from shiptrack.couriers.connectors.usps.parse import (
    COURIER_CODE,
    SOURCE_CODE,
    error_detail,
    parse_tracking,
)
from shiptrack.couriers.connectors.usps.settings import UspsSettings

if TYPE_CHECKING:
    from shiptrack.config import Settings

#: USPS: "Tracking ID, must be alphanumeric characters, string length is between 4 and 34".
_NUMBER = re.compile(r"^[A-Za-z0-9]{4,34}$")
_ZIP5 = re.compile(r"^\d{5}")


class UspsConnector:
    """Tracks USPS numbers through the Tracking v3 API."""

    def __init__(self, settings: UspsSettings, session: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._session = session
        self._api = settings.api_url
        self._tokens = OAuthTokenCache(self.fetch_token)
        self.info = ConnectorInfo(
            source_code=SOURCE_CODE,
            courier_codes=frozenset({COURIER_CODE}),
            batch_size=1,
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
            f"{self._api}/oauth2/v3/token",
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
        unique = list(dict.fromkeys(numbers))
        outcomes = await asyncio.gather(
            *(self._track_one(number, hints.get(number)) for number in unique)
        )
        return dict(zip(unique, outcomes, strict=True))

    async def _track_one(self, number: str, hint: TrackingHints | None) -> TrackOutcome:
        if not _NUMBER.match(number):
            return TrackingNumberNotFound(f"USPS: {number!r} is not a USPS tracking number")
        try:
            return await with_token(self._tokens, lambda token: self._get(number, hint, token))
        except CourierError as exc:
            return exc

    def _params(self, hint: TrackingHints | None) -> dict[str, str]:
        params = {"expand": "DETAIL"}
        if hint is not None:
            zip_code = _ZIP5.match(hint.destination_post_code or "")
            if zip_code and hint.destination_country_code in (None, "US"):
                params["destinationZIPCode"] = zip_code.group(0)
            if hint.shipping_date is not None:
                params["mailingDate"] = hint.shipping_date.isoformat()
        return params

    async def _get(self, number: str, hint: TrackingHints | None, token: str) -> TrackOutcome:
        url = f"{self._api}/tracking/v3/tracking/{quote(number, safe='')}"
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

        async def call() -> TrackOutcome:
            async with self._session.get(url, params=self._params(hint), headers=headers) as resp:
                if resp.status == 401:
                    raise TokenRejected(await _detail(resp))
                if resp.status == 404:
                    return TrackingNumberNotFound(f"USPS: {await _detail(resp) or 'not found'}")
                error = error_for_status(
                    resp.status,
                    retry_after=resp.headers.get("Retry-After"),
                    detail=await _detail(resp) if resp.status >= 300 else "",
                )
                if error is not None:
                    raise error
                body = await read_json(resp)
            return parse_tracking(number, body)

        return await guarded(call, timeout=self._settings.timeout)


async def _detail(response: aiohttp.ClientResponse) -> str:
    """The error text of a USPS error body, or its first characters."""
    body, text = await read_error_body(response)
    return error_detail(body) or text


def _own_settings(settings: Settings | UspsSettings | None) -> UspsSettings:
    return settings if isinstance(settings, UspsSettings) else UspsSettings()


def build(
    settings: Settings | UspsSettings | None, session: aiohttp.ClientSession
) -> UspsConnector | None:
    """The connector factory: ``None`` when no USPS credentials are configured.

    ``settings`` is shiptrack's global ``Settings`` (ignored: USPS reads its own
    ``SHIPTRACK_USPS_*`` settings) or, in tests, a ``UspsSettings``.
    """
    own = _own_settings(settings)
    return UspsConnector(own, session) if own.configured else None


async def check_credentials(
    settings: Settings | UspsSettings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    """Try one token request with the configured credentials (for ``shiptrack couriers check``)."""
    own = _own_settings(settings)
    if not own.configured:
        return CredentialCheck(
            "usps", False, False,
            "not configured: set SHIPTRACK_USPS_CLIENT_ID and SHIPTRACK_USPS_CLIENT_SECRET",
        )
    secret = own.client_secret.get_secret_value() if own.client_secret else ""
    connector = UspsConnector(own, session)
    return await check_token("usps", connector.fetch_token, secret=secret)
