"""The UPS connector: the only module of the package that does I/O.

UPS Track API (developer.ups.com, Tracking.yaml / OAuthClientCredentials.yaml):

- token: ``POST {origin}/security/v1/oauth/token``, form ``grant_type=client_credentials``,
  client id and secret in an HTTP Basic header (``client_secret_basic``), optional
  ``x-merchant-id`` → ``{"access_token", "expires_in": "14399", ...}`` (strings);
- tracking: ``GET {origin}/api/track/v1/details/{inquiryNumber}?locale=en_US`` with
  ``Authorization: Bearer``, ``transId`` (unique per request) and ``transactionSrc``. One
  inquiry number per call, so ``batch_size`` is 1.

Statuses: 401 → refresh the token once and retry; 403 ("Blocked Merchant") →
``CourierAuthError``; 404 or a 200 with a not-found warning → ``TrackingNumberNotFound``;
429 → ``CourierRateLimited``; 5xx → ``CourierUnavailable``. Error bodies are
``{"response": {"errors": [{"code", "message"}]}}``.
"""

from __future__ import annotations

import asyncio
import re
import uuid
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
from shiptrack.couriers.connectors.ups.parse import (
    COURIER_CODE,
    SOURCE_CODE,
    error_detail,
    is_not_found,
    parse_track,
)
from shiptrack.couriers.connectors.ups.settings import UpsSettings

if TYPE_CHECKING:
    from shiptrack.config import Settings

#: UPS: "Each inquiry number must be between 7 and 34 characters in length."
_NUMBER = re.compile(r"^[A-Za-z0-9]{7,34}$")


class UpsConnector:
    """Tracks UPS numbers (1Z..., Mail Innovations, freight) through the Track API."""

    def __init__(self, settings: UpsSettings, session: aiohttp.ClientSession) -> None:
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
        merchant = self._settings.merchant_id
        headers = {"x-merchant-id": merchant} if merchant else {}
        return await request_token(
            self._session,
            f"{self._api}/security/v1/oauth/token",
            client_id=self._settings.client_id or "",
            client_secret=secret.get_secret_value() if secret else "",
            credentials_in="basic",
            headers=headers,
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
        outcomes = await asyncio.gather(*(self._track_one(number) for number in unique))
        return dict(zip(unique, outcomes, strict=True))

    async def _track_one(self, number: str) -> TrackOutcome:
        if not _NUMBER.match(number):
            return TrackingNumberNotFound(f"UPS: {number!r} is not a UPS inquiry number")
        try:
            return await with_token(self._tokens, lambda token: self._get(number, token))
        except CourierError as exc:
            return exc

    async def _get(self, number: str, token: str) -> TrackOutcome:
        url = f"{self._api}/api/track/v1/details/{quote(number, safe='')}"
        params = {
            "locale": self._settings.locale,
            "returnSignature": "false",
            "returnMilestones": "false",
            "returnPOD": "false",
        }
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "transId": uuid.uuid4().hex,
            "transactionSrc": self._settings.transaction_src,
        }

        async def call() -> TrackOutcome:
            async with self._session.get(url, params=params, headers=headers) as resp:
                if resp.status == 401:
                    raise TokenRejected((await _body_text(resp))[1])
                if resp.status == 404:
                    body, text = await _body_text(resp)
                    return TrackingNumberNotFound(f"UPS: {text or 'not found'}")
                if resp.status >= 300:
                    body, text = await _body_text(resp)
                    if resp.status == 400 and is_not_found(body):
                        return TrackingNumberNotFound(f"UPS: {text}")
                    error = error_for_status(
                        resp.status, retry_after=resp.headers.get("Retry-After"), detail=text
                    )
                    if error is not None:
                        raise error
                body = await read_json(resp)
            return parse_track(number, body)

        return await guarded(call, timeout=self._settings.timeout)


async def _body_text(response: aiohttp.ClientResponse) -> tuple[object, str]:
    """The decoded error body (or None) and a short text for messages."""
    body, text = await read_error_body(response)
    return body, error_detail(body) or text


def _own_settings(settings: Settings | UpsSettings | None) -> UpsSettings:
    return settings if isinstance(settings, UpsSettings) else UpsSettings()


def build(
    settings: Settings | UpsSettings | None, session: aiohttp.ClientSession
) -> UpsConnector | None:
    """The connector factory: ``None`` when no UPS credentials are configured.

    ``settings`` is shiptrack's global ``Settings`` (ignored: UPS reads its own
    ``SHIPTRACK_UPS_*`` settings) or, in tests, an ``UpsSettings``.
    """
    own = _own_settings(settings)
    return UpsConnector(own, session) if own.configured else None


async def check_credentials(
    settings: Settings | UpsSettings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    """Try one token request with the configured credentials (for ``shiptrack couriers check``)."""
    own = _own_settings(settings)
    if not own.configured:
        return CredentialCheck(
            "ups", False, False,
            "not configured: set SHIPTRACK_UPS_CLIENT_ID and SHIPTRACK_UPS_CLIENT_SECRET",
        )
    secret = own.client_secret.get_secret_value() if own.client_secret else ""
    return await check_token("ups", UpsConnector(own, session).fetch_token, secret=secret)
