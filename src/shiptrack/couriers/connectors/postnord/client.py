"""The PostNord Track & Trace connector: the only module here that does I/O.

``GET {base}/rest/shipment/v5/trackandtrace/findByIdentifier.json?apikey=…&id=…&locale=…``,
one id per call (v5, the version PostNord's clients use; v7 answers the same envelope). Faults
come with HTTP 200 (``compositeFault``, see ``parse``); a 400 problem answer about the id is
"not found", as is a 404; 401/403 are the key, 429 the throttle, 5xx PostNord's trouble.
The key travels in the query string, so it is never logged: only the status is.
"""

from __future__ import annotations

import logging

from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.http import error_for_status, read_error_body, read_json
from shiptrack.couriers.connectors.postnord.parse import SOURCE_CODE, fault_text, parse_tracking
from shiptrack.couriers.connectors.postnord.settings import PostNordSettings
from shiptrack.couriers.connectors.postnord.statuses import (
    COUNTRY_COURIER_CODES,
    DEFAULT_COURIER_CODE,
)
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackOutcome,
)

log = logging.getLogger(__name__)

PATH = "/rest/shipment/v5/trackandtrace/findByIdentifier.json"
COURIER_CODES = frozenset({DEFAULT_COURIER_CODE, *COUNTRY_COURIER_CODES.values()})


class PostNordConnector(ApiKeyConnector):
    """PostNord Track & Trace over the shared aiohttp session (which it does not own).

    One call per id, in order: after a 401/403 or 429 the remaining numbers get the same error
    without calling PostNord again.
    """

    _settings: PostNordSettings
    name = "postnord"
    carrier_name = "PostNord"
    source_code = SOURCE_CODE
    courier_codes = COURIER_CODES
    settings_class = PostNordSettings
    key_header = "apikey"
    path = PATH
    #: A well-formed item id PostNord will not know.
    probe_number = "LA000000000SE"

    async def get_one(self, number: str) -> TrackOutcome:
        key = self._settings.api_key.get_secret_value()  # type: ignore[union-attr]
        params = {"apikey": key, "id": number.strip(), "locale": self._settings.locale}
        headers = {"Accept": "application/json"}
        async with self._session.get(self._url, params=params, headers=headers) as response:
            if response.status == 200:
                return parse_tracking(number, await read_json(response))
            body, text = await read_error_body(response)
            detail = fault_text(body) or text
            log.info("postnord_error status=%s detail=%r", response.status, detail)
            if response.status == 400:
                if body is None:
                    return CourierResponseInvalid("HTTP 400 without a PostNord body")
                return TrackingNumberNotFound(f"PostNord: HTTP 400: {detail}")
            error = error_for_status(
                response.status, retry_after=response.headers.get("Retry-After"), detail=detail
            )
            return error or CourierResponseInvalid(f"unexpected HTTP {response.status}")
