"""The Royal Mail Tracking API v2 connector: the only module here that does I/O.

``GET {base}/mailpieces/v2/{mailPieceId}/events`` with ``X-IBM-Client-Id``,
``X-IBM-Client-Secret`` and ``X-Accept-RMG-Terms: yes``: one item per call (the ``summary``
operation takes 30 but has no events). A 404 with ``E1142``/``E2001`` is "not found"; other
4xx are courier errors (400 ``E0004``: terms header refused), 401/403 the credentials, 429 the
plan's rate limit, 5xx unavailable.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from shiptrack.couriers.connectors.http import (
    error_for_status,
    guarded_each,
    read_error_body,
    read_json,
)
from shiptrack.couriers.connectors.keypair import KeyPairConnector
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)
from shiptrack.couriers.connectors.royalmail.parse import (
    SOURCE_CODE,
    error_text,
    is_not_found,
    parse_events,
)
from shiptrack.couriers.connectors.royalmail.settings import RoyalMailSettings

log = logging.getLogger(__name__)

PATH = "/mailpieces/v2/"
COURIER_CODES = frozenset({"gb-post", "parcel-force"})


class RoyalMailConnector(KeyPairConnector):
    """Royal Mail Tracking API v2 over the shared aiohttp session (which it does not own)."""

    _settings: RoyalMailSettings
    name = "royalmail"
    carrier_name = "Royal Mail"
    source_code = SOURCE_CODE
    courier_codes = COURIER_CODES
    settings_class = RoyalMailSettings
    path = PATH
    #: A well-formed S10 number (check digit valid) Royal Mail will not know.
    probe_number = "RR000000005GB"

    def key_headers(self) -> dict[str, str]:
        secret = self._settings.client_secret
        return {
            "X-IBM-Client-Id": self._settings.client_id or "",
            "X-IBM-Client-Secret": secret.get_secret_value() if secret else "",
            "X-Accept-RMG-Terms": "yes",
            "Accept": "application/json",
        }

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        return await guarded_each(batch, self._get, timeout=self._settings.timeout)

    async def _get(self, number: str) -> TrackOutcome:
        url = f"{self._url}{quote(number.strip(), safe='')}/events"
        async with self._session.get(url, headers=self.key_headers()) as response:
            if response.status == 200:
                return parse_events(number, await read_json(response))
            body, text = await read_error_body(response)
            detail = error_text(body) or text
            log.info("royalmail_error status=%s", response.status)
            if response.status == 404 and is_not_found(body):
                return TrackingNumberNotFound(f"Royal Mail {detail}"[:200])
            if response.status == 404:
                return CourierResponseInvalid(
                    f"HTTP 404 without a Royal Mail error: {detail}"[:200]
                )
            error = error_for_status(
                response.status, retry_after=response.headers.get("Retry-After"), detail=detail
            )
            return error or CourierResponseInvalid(f"unexpected HTTP {response.status}")
