"""The Canada Post tracking connector (VIS track v2): the only module here that does I/O.

``GET {base}/vis/track/pin/{pin}/detail`` (15-digit notice-card numbers:
``/vis/track/dnc/{dnc}/detail``) with ``Accept: application/vnd.cpc.track-v2+xml``, HTTP Basic
authorization and ``Accept-language``; one number per call. 429 and 5xx are
rate-limited and unavailable whatever the body (``Retry-After`` read); any other answer is read
as XML: a ``<messages>`` body types the error (``004`` not found, ``E002`` credentials,
"Rejected by SLM Monitor" throttled), else the HTTP status does (401/403 credentials).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from shiptrack.couriers.connectors.canadapost.parse import (
    COURIER_CODE,
    SOURCE_CODE,
    parse_answer,
)
from shiptrack.couriers.connectors.canadapost.settings import CanadaPostSettings
from shiptrack.couriers.connectors.http import error_for_status, guarded_each, read_body
from shiptrack.couriers.connectors.keypair import KeyPairConnector
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingHints,
    TrackOutcome,
)

log = logging.getLogger(__name__)

PATH = "/vis/track/"
ACCEPT = "application/vnd.cpc.track-v2+xml"


def resource(number: str) -> str:
    """``pin/{pin}/detail``, or ``dnc/{dnc}/detail`` for a 15-digit notice-card number."""
    kind = "dnc" if len(number) == 15 and number.isdigit() else "pin"
    return f"{kind}/{quote(number, safe='')}/detail"


class CanadaPostConnector(KeyPairConnector):
    """Canada Post tracking over the shared aiohttp session (which it does not own)."""

    _settings: CanadaPostSettings
    name = "canadapost"
    carrier_name = "Canada Post"
    source_code = SOURCE_CODE
    courier_codes = frozenset({COURIER_CODE})
    settings_class = CanadaPostSettings
    path = PATH
    #: A well-formed 16-digit PIN Canada Post will not know.
    probe_number = "0000000000000000"

    def key_headers(self) -> dict[str, str]:
        return {
            **super().key_headers(),
            "Accept": ACCEPT,
            "Accept-language": self._settings.language,
        }

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        return await guarded_each(batch, self._get, timeout=self._settings.timeout)

    async def _get(self, number: str) -> TrackOutcome:
        url = self._url + resource(number.strip())
        async with self._session.get(url, headers=self.key_headers()) as response:
            body = await read_body(response)
            status = response.status
            error = error_for_status(status, retry_after=response.headers.get("Retry-After"))
        if status == 429 or status >= 500:
            log.info("canadapost_error status=%s", status)
            return error  # type: ignore[return-value]
        outcome = parse_answer(number, body)
        if status == 200:
            return outcome
        log.info("canadapost_error status=%s", status)
        if isinstance(outcome, CourierError) and not isinstance(outcome, CourierResponseInvalid):
            return outcome
        return error or CourierResponseInvalid(f"unexpected HTTP {status} from Canada Post")
