"""The PostNL ShippingStatus v2 connector: the only module here that does I/O.

``GET {base}/shipment/v2/status/barcode/{barcode}?detail=true&language=EN`` with the
``apikey`` header, one barcode per call. An unknown barcode is a 200 with warning code 2 (see
``parse``); 400 is a validation fault, 401 a refused key, 429 the rate limit, 5xx unavailable.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.http import (
    error_for_status,
    guarded_each,
    read_error_body,
    read_json,
)
from shiptrack.couriers.connectors.postnl.parse import COURIER_CODE, SOURCE_CODE, parse_status
from shiptrack.couriers.connectors.postnl.settings import PostNLSettings
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingHints,
    TrackOutcome,
)

log = logging.getLogger(__name__)

PATH = "/shipment/v2/status/barcode/"


def error_detail(body: object, text: str) -> str:
    """``faultstring`` of a validation fault, ``message`` of a gateway error, else the text."""
    if isinstance(body, Mapping):
        fault = body.get("fault")
        if isinstance(fault, Mapping) and isinstance(fault.get("faultstring"), str):
            return fault["faultstring"]
        if isinstance(body.get("message"), str):
            return body["message"]
    return text


class PostNLConnector(ApiKeyConnector):
    """PostNL ShippingStatus v2 over the shared aiohttp session (which it does not own)."""

    _settings: PostNLSettings
    name = "postnl"
    carrier_name = "PostNL"
    source_code = SOURCE_CODE
    courier_codes = frozenset({COURIER_CODE})
    settings_class = PostNLSettings
    key_header = "apikey"
    path = PATH
    #: A well-formed 3S barcode PostNL will not know.
    probe_number = "3SXXXX000000000"

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        return await guarded_each(batch, self._get, timeout=self._settings.timeout)

    async def _get(self, number: str) -> TrackOutcome:
        url = self._url + quote(number.strip(), safe="")
        params = {"detail": "true", "language": self._settings.language}
        async with self._session.get(url, params=params, headers=self.key_headers()) as response:
            if response.status == 200:
                return parse_status(number, await read_json(response))
            body, text = await read_error_body(response)
            log.info("postnl_error status=%s", response.status)
            error = error_for_status(
                response.status,
                retry_after=response.headers.get("Retry-After"),
                detail=error_detail(body, text),
            )
            return error or CourierResponseInvalid(f"unexpected HTTP {response.status}")
