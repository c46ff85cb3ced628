"""The Purolator TrackingService connector (SOAP 1.1): the only module here that does I/O.

``POST {base}/PWS/V1/Tracking/TrackingService.asmx`` with ``SOAPAction:
http://purolator.com/pws/service/v1/TrackPackagesByPin``, HTTP Basic authorization (activation
key and password) and a ``RequestContext`` header (version 1.2); up to ``BATCH_SIZE`` PINs per
call. 401/403 are the credentials, 429 a rate limit, 5xx unavailable (a 500 carrying a SOAP
fault is read as the fault it is: a malformed request, or an authentication refusal).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from shiptrack.couriers.connectors.http import error_for_status, guarded, read_body
from shiptrack.couriers.connectors.keypair import KeyPairConnector
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingHints,
    TrackOutcome,
)
from shiptrack.couriers.connectors.purolator.parse import COURIER_CODE, SOURCE_CODE, parse_answer
from shiptrack.couriers.connectors.purolator.settings import PurolatorSettings

log = logging.getLogger(__name__)

PATH = "/PWS/V1/Tracking/TrackingService.asmx"
SOAP_ACTION = "http://purolator.com/pws/service/v1/TrackPackagesByPin"
DATATYPES_NS = "http://purolator.com/pws/datatypes/v1"
#: PINs per call (the schema takes a list; Purolator documents no maximum).
BATCH_SIZE = 10


def request_body(numbers: Sequence[str], language: str) -> bytes:
    """The SOAP envelope of one ``TrackPackagesByPin`` call."""
    pins = "".join(f"<v1:PIN><v1:Value>{escape(n)}</v1:Value></v1:PIN>" for n in numbers)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:v1="{DATATYPES_NS}"><soap:Header><v1:RequestContext>'
        f"<v1:Version>1.2</v1:Version><v1:Language>{language}</v1:Language>"
        "<v1:GroupID></v1:GroupID><v1:RequestReference>shiptrack</v1:RequestReference>"
        "</v1:RequestContext></soap:Header><soap:Body><v1:TrackPackagesByPinRequest>"
        f"<v1:PINs>{pins}</v1:PINs></v1:TrackPackagesByPinRequest></soap:Body></soap:Envelope>"
    ).encode()


class PurolatorConnector(KeyPairConnector):
    """Purolator TrackingService over the shared aiohttp session (which it does not own)."""

    _settings: PurolatorSettings
    name = "purolator"
    carrier_name = "Purolator"
    source_code = SOURCE_CODE
    courier_codes = frozenset({COURIER_CODE})
    batch_size = BATCH_SIZE
    settings_class = PurolatorSettings
    path = PATH
    #: A well-formed 12-digit PIN Purolator will not know.
    probe_number = "000000000000"

    def key_headers(self) -> dict[str, str]:
        return {
            **super().key_headers(),
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": SOAP_ACTION,
        }

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        try:
            return await guarded(lambda: self._post(batch), timeout=self._settings.timeout)
        except CourierError as exc:
            return dict.fromkeys(batch, exc)

    async def _post(self, batch: Sequence[str]) -> dict[str, TrackOutcome]:
        numbers = [number.strip() for number in batch]
        body = request_body(numbers, self._settings.language)
        async with self._session.post(self._url, data=body, headers=self.key_headers()) as response:
            raw = await read_body(response)
            status = response.status
            error = error_for_status(status, retry_after=response.headers.get("Retry-After"))
        if status == 200 or (status == 500 and b"Fault" in raw):
            answered = parse_answer(numbers, raw)
            return {number: answered[number.strip()] for number in batch}
        log.info("purolator_error status=%s numbers=%d", status, len(batch))
        return dict.fromkeys(batch, error or CourierResponseInvalid(f"unexpected HTTP {status}"))
