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

import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from shiptrack.couriers.connectors.base import OAuthConnector
from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.protocol import TrackingHints, TrackOutcome
from shiptrack.couriers.connectors.ups.parse import (
    COURIER_CODE,
    SOURCE_CODE,
    error_detail,
    is_not_found,
    parse_track,
)
from shiptrack.couriers.connectors.ups.settings import UpsSettings

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings


class UpsConnector(OAuthConnector):
    """Tracks UPS numbers (1Z..., Mail Innovations, freight) through the Track API."""

    _settings: UpsSettings
    settings_class = UpsSettings
    name = "ups"
    carrier_name = "UPS"
    source_code = SOURCE_CODE
    #: Ship24 lists UPS Mail Innovations apart; UPS's Track API answers its numbers too.
    courier_codes = frozenset({COURIER_CODE, "ups-mail-innovations"})
    token_path = "/security/v1/oauth/token"
    credentials_in = "basic"
    #: UPS: "Each inquiry number must be between 7 and 34 characters in length."
    number_pattern = re.compile(r"^[A-Za-z0-9]{7,34}$")
    number_noun = "inquiry number"

    def token_headers(self) -> dict[str, str]:
        merchant = self._settings.merchant_id
        return {"x-merchant-id": merchant} if merchant else {}

    async def request(
        self, numbers: list[str], hints: Mapping[str, TrackingHints], token: str
    ) -> dict[str, TrackOutcome]:
        (number,) = numbers
        url = f"{self._api}/api/track/v1/details/{quote(number, safe='')}"
        params = {
            "locale": self._settings.locale,
            "returnSignature": "false",
            "returnMilestones": "false",
            "returnPOD": "false",
        }
        headers = {
            **self.bearer(token),
            "transId": uuid.uuid4().hex,
            "transactionSrc": self._settings.transaction_src,
        }
        body = await self.call_api("GET", url, params=params, headers=headers)
        return {number: parse_track(number, body)}

    def error_text(self, body: object) -> str:
        return error_detail(body)

    def is_not_found(self, status: int, body: object) -> bool:
        return status == 404 or (status == 400 and is_not_found(body))


def build(
    settings: Settings | UpsSettings | None, session: aiohttp.ClientSession
) -> UpsConnector | None:
    """The connector factory: ``None`` when no UPS credentials are configured.

    ``settings`` is shiptrack's global ``Settings`` (ignored: UPS reads its own
    ``SHIPTRACK_UPS_*`` settings) or, in tests, an ``UpsSettings``.
    """
    return UpsConnector.build(settings, session)


async def check_credentials(
    settings: Settings | UpsSettings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    """Try one token request with the configured credentials (for ``shiptrack couriers check``)."""
    return await UpsConnector.check_credentials(settings, session)
