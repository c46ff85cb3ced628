"""The InPost ShipX tracking connector: the only module here that does I/O.

``GET {base}/v1/tracking/{tracking_number}`` with ``Authorization: Bearer <token>``, one number
per call. ShipX errors are ``{status, error, message, details}`` bodies: 404
``resource_not_found`` and 400 (``invalid_parameter`` or a malformed number: InPost's own
clients read both as "no such parcel", and a parcel whose label is not yet confirmed answers
them too) are "not found"; 401/403 the token; 429, 5xx and anything else are the carrier's
trouble, as are bodies that are not JSON.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from urllib.parse import quote

from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.http import error_for_status, read_error_body, read_json
from shiptrack.couriers.connectors.inpost.parse import SOURCE_CODE, parse_tracking
from shiptrack.couriers.connectors.inpost.settings import InPostSettings
from shiptrack.couriers.connectors.inpost.statuses import COURIER_CODE
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackOutcome,
)

log = logging.getLogger(__name__)

PATH = "/v1/tracking/"
#: What ShipX accepts as a tracking number: anything else is not found without a call.
NUMBER = re.compile(r"^[A-Za-z0-9]{8,40}$")


class InPostConnector(ApiKeyConnector):
    """InPost ShipX tracking over the shared aiohttp session (which it does not own).

    One call per number, in order: after a 401/403 or 429 the remaining numbers get the same
    error without calling InPost again.
    """

    _settings: InPostSettings
    name = "inpost"
    carrier_name = "InPost"
    source_code = SOURCE_CODE
    courier_codes = frozenset({COURIER_CODE})
    settings_class = InPostSettings
    key_header = "Authorization"
    key_name = "ShipX token"
    path = PATH
    #: A 24-digit number InPost will not know.
    probe_number = "600000000000000000000000"

    def key_headers(self) -> dict[str, str]:
        token = self._settings.api_key.get_secret_value()  # type: ignore[union-attr]
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    async def get_one(self, number: str) -> TrackOutcome:
        number = number.strip()
        if not NUMBER.match(number):
            return TrackingNumberNotFound(f"InPost: {number!r} is not an InPost number")
        url = self._url + quote(number, safe="")
        async with self._session.get(url, headers=self.key_headers()) as response:
            if response.status == 200:
                return parse_tracking(number, await read_json(response))
            body, text = await read_error_body(response)
            detail = error_text(body) or text
            log.info("inpost_error status=%s detail=%r", response.status, detail)
            if response.status in (400, 404):
                if isinstance(body, Mapping) and "error" in body:
                    return TrackingNumberNotFound(f"InPost: {detail}")
                return CourierResponseInvalid(f"HTTP {response.status} without a ShipX body")
            error = error_for_status(
                response.status, retry_after=response.headers.get("Retry-After"), detail=detail
            )
            return error or CourierResponseInvalid(f"unexpected HTTP {response.status}")


def error_text(body: object) -> str:
    """``error: message`` of a ShipX error body ("" when it is not one)."""
    if not isinstance(body, Mapping):
        return ""
    parts = [body.get("error"), body.get("message") or body.get("description")]
    return ": ".join(str(part) for part in parts if isinstance(part, str) and part)[:200]
