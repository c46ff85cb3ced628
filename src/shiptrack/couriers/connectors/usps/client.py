"""The USPS connector: the only module of the package that does I/O.

USPS Tracking API v3 (developers.usps.com, "Tracking 3.0"):

- token: ``POST {origin}/oauth2/v3/token`` (form: ``grant_type=client_credentials``,
  ``client_id``, ``client_secret``) → ``{"access_token", "expires_in": 28799, ...}``;
- tracking: ``GET {origin}/tracking/v3/tracking/{trackingNumber}?expand=DETAIL`` with
  ``Authorization: Bearer <token>``; optional ``destinationZIPCode`` and ``mailingDate``
  narrow the search when a number was reused. One number per call, so ``batch_size`` is 1.

Statuses: 401 → refresh the token once and retry; 403 → ``CourierAuthError``; 404, and 400
"A status update is not yet available" → ``TrackingNumberNotFound``; 429 →
``CourierRateLimited`` (``Retry-After``); 5xx → ``CourierUnavailable``. Errors come back as
USPS ``ErrorMessage`` bodies (``{"apiVersion", "error": {"code", "message", "errors": [...]}}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from shiptrack.couriers.connectors.base import OAuthConnector
from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.protocol import TrackingHints, TrackOutcome
from shiptrack.couriers.connectors.usps.parse import (
    COURIER_CODE,
    SOURCE_CODE,
    error_detail,
    is_not_found,
    parse_tracking,
)
from shiptrack.couriers.connectors.usps.settings import UspsSettings

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings

_ZIP5 = re.compile(r"^\d{5}")


class UspsConnector(OAuthConnector):
    """Tracks USPS numbers through the Tracking v3 API."""

    _settings: UspsSettings
    settings_class = UspsSettings
    name = "usps"
    carrier_name = "USPS"
    source_code = SOURCE_CODE
    courier_codes = frozenset({COURIER_CODE})
    token_path = "/oauth2/v3/token"
    credentials_in = "body"
    #: USPS: "Tracking ID, must be alphanumeric characters, string length is between 4 and 34".
    number_pattern = re.compile(r"^[A-Za-z0-9]{4,34}$")

    def _params(self, hint: TrackingHints | None) -> dict[str, str]:
        params = {"expand": "DETAIL"}
        if hint is not None:
            zip_code = _ZIP5.match(hint.destination_post_code or "")
            if zip_code and hint.destination_country_code in (None, "US"):
                params["destinationZIPCode"] = zip_code.group(0)
            if hint.shipping_date is not None:
                params["mailingDate"] = hint.shipping_date.isoformat()
        return params

    async def request(
        self, numbers: list[str], hints: Mapping[str, TrackingHints], token: str
    ) -> dict[str, TrackOutcome]:
        (number,) = numbers
        url = f"{self._api}/tracking/v3/tracking/{quote(number, safe='')}"
        params = self._params(hints.get(number))
        body = await self.call_api("GET", url, params=params, headers=self.bearer(token))
        return {number: parse_tracking(number, body)}

    def error_text(self, body: object) -> str:
        return error_detail(body)

    def is_not_found(self, status: int, body: object) -> bool:
        """A 404, or USPS's 400 "A status update is not yet available on your package" (a
        number with no scan yet: not found, not a courier error)."""
        return status == 404 or (status == 400 and is_not_found(body))


def build(
    settings: Settings | UspsSettings | None, session: aiohttp.ClientSession
) -> UspsConnector | None:
    """The connector factory: ``None`` when no USPS credentials are configured.

    ``settings`` is shiptrack's global ``Settings`` (ignored: USPS reads its own
    ``SHIPTRACK_USPS_*`` settings) or, in tests, a ``UspsSettings``.
    """
    return UspsConnector.build(settings, session)


async def check_credentials(
    settings: Settings | UspsSettings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    """Try one token request with the configured credentials (for ``shiptrack couriers check``)."""
    return await UspsConnector.check_credentials(settings, session)
