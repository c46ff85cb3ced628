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

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import orjson

from shiptrack.couriers.connectors.base import OAuthConnector
from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.fedex.parse import (
    COURIER_CODE,
    SOURCE_CODE,
    error_detail,
    errors_of,
    parse_track_response,
)
from shiptrack.couriers.connectors.fedex.settings import FedexSettings
from shiptrack.couriers.connectors.protocol import TrackingHints, TrackOutcome

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings

#: FedEx: "You can track up to 30 tracking numbers in a single request."
BATCH_SIZE = 30


class FedexConnector(OAuthConnector):
    """Tracks FedEx numbers (Express, Ground, Ground Economy...) through the Track API."""

    _settings: FedexSettings
    settings_class = FedexSettings
    name = "fedex"
    carrier_name = "FedEx"
    source_code = SOURCE_CODE
    courier_codes = frozenset({COURIER_CODE})
    batch_size = BATCH_SIZE
    token_path = "/oauth/token"
    credentials_in = "body"
    number_pattern = re.compile(r"^[A-Za-z0-9]{6,40}$")

    async def request(
        self, numbers: list[str], hints: Mapping[str, TrackingHints], token: str
    ) -> dict[str, TrackOutcome]:
        payload = {
            "includeDetailedScans": True,
            "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": n}} for n in numbers],
        }
        headers = {
            **self.bearer(token),
            "Content-Type": "application/json",
            "X-locale": self._settings.locale,
        }
        url = f"{self._api}/track/v1/trackingnumbers"
        body = await self.call_api("POST", url, data=orjson.dumps(payload), headers=headers)
        return dict(parse_track_response(numbers, body))

    def error_text(self, body: object) -> str:
        return error_detail(body)

    def is_not_found(self, status: int, body: object) -> bool:
        """Every error of the body is a not-found one (any status)."""
        codes = [code.upper() for code, _ in errors_of(body)]
        return bool(codes) and all("NOTFOUND" in code for code in codes)


def build(
    settings: Settings | FedexSettings | None, session: aiohttp.ClientSession
) -> FedexConnector | None:
    """The connector factory: ``None`` when no FedEx credentials are configured.

    ``settings`` is shiptrack's global ``Settings`` (ignored: FedEx reads its own
    ``SHIPTRACK_FEDEX_*`` settings) or, in tests, a ``FedexSettings``.
    """
    return FedexConnector.build(settings, session)


async def check_credentials(
    settings: Settings | FedexSettings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    """Try one token request with the configured credentials (for ``shiptrack couriers check``)."""
    return await FedexConnector.check_credentials(settings, session)
