"""The Bring Tracking API v2 connector: the only module here that does I/O.

``GET {base}/tracking/api/v2/tracking.json?q=<number>&lang=…`` with Bring's three headers
(``X-Mybring-API-Uid``, ``X-Mybring-API-Key``, ``X-Bring-Client-URL``), one number per call.
An unknown number is a 200 answer whose consignment holds an ``error`` (or a 404); 401/403
are the key, 429 the limit, 5xx Bring's trouble, a body that is not JSON invalid.
"""

from __future__ import annotations

import logging

from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.bring.parse import SOURCE_CODE, parse_tracking
from shiptrack.couriers.connectors.bring.settings import BringSettings
from shiptrack.couriers.connectors.http import error_for_status, read_error_body, read_json
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackOutcome,
)

log = logging.getLogger(__name__)

PATH = "/tracking/api/v2/tracking.json"
#: Ship24 courier codes this source answers for: Posten Norge and Bring's Nordic networks
#: (Bring's tracking covers every shipment Bring carries in the Nordics).
COURIER_CODES = frozenset({"bring", "no-post", "bring-no", "bring-se", "bring-dk", "bring-fi"})


class BringConnector(ApiKeyConnector):
    """Bring tracking over the shared aiohttp session (which it does not own).

    One call per number, in order: after a 401/403 or 429 the remaining numbers get the same
    error without calling Bring again.
    """

    _settings: BringSettings
    name = "bring"
    carrier_name = "Bring"
    source_code = SOURCE_CODE
    courier_codes = COURIER_CODES
    settings_class = BringSettings
    key_header = "X-Mybring-API-Key"
    key_name = "Mybring API key"
    path = PATH
    #: A well-formed number Bring will not know.
    probe_number = "LA000000000NO"

    @classmethod
    def credential_variables(cls) -> tuple[str, ...]:
        return (f"{cls.env_prefix()}API_KEY", f"{cls.env_prefix()}API_UID")

    def key_headers(self) -> dict[str, str]:
        headers = super().key_headers()
        headers["X-Mybring-API-Uid"] = self._settings.api_uid or ""
        headers["X-Bring-Client-URL"] = self._settings.client_url
        return headers

    async def get_one(self, number: str) -> TrackOutcome:
        params = {"q": number.strip(), "lang": self._settings.lang}
        async with self._session.get(self._url, params=params, headers=self.key_headers()) as r:
            if r.status == 200:
                return parse_tracking(number, await read_json(r))
            _, text = await read_error_body(r)
            log.info("bring_error status=%s detail=%r", r.status, text)
            error = error_for_status(
                r.status, retry_after=r.headers.get("Retry-After"), detail=text
            )
            return error or CourierResponseInvalid(f"unexpected HTTP {r.status} from Bring")
