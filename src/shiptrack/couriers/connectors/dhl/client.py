"""The DHL Shipment Tracking - Unified connector: the only module here that does I/O.

``GET {base}/track/shipments?trackingNumber=…`` with the ``DHL-API-Key`` header, one number per
call (the API takes a single ``trackingNumber``). Hints become the optional query parameters
DHL documents: ``service`` (from an unambiguous courier code), ``originCountryCode``,
``recipientPostalCode`` (needed by DHL Paket for the full answer), plus ``requesterCountryCode``
and ``language`` from the settings. Errors are RFC 7807 problem bodies; their HTTP status picks
the typed error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import orjson

from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.dhl.parse import SOURCE_CODE, parse_shipments, problem_detail
from shiptrack.couriers.connectors.dhl.settings import DhlSettings
from shiptrack.couriers.connectors.dhl.statuses import COURIER_SERVICE_HINTS
from shiptrack.couriers.connectors.http import error_for_status, guarded, read_json
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingHints,
    TrackOutcome,
)

log = logging.getLogger(__name__)

PATH = "/track/shipments"
#: Ship24 courier codes this source answers for.
COURIER_CODES = frozenset(
    {
        "dhl",
        "dhl-express",
        "dhl-packet",
        "dhl-global-mail",
        "dhl-global-mail-asia",
        "dhl-freight",
        "dhlparcel-nl",
        "dhlparcel-uk",
        "dhl-pl",
        "dhl-es",
        "dhl-be",
        "de-post",
    }
)

if TYPE_CHECKING:
    import aiohttp
#: Error bodies are small; reading more only costs memory.
_MAX_ERROR_BODY = 16 * 1024


class DhlConnector(ApiKeyConnector):
    """DHL Unified tracking over the shared aiohttp session (which it does not own).

    One call per number (``batch_size`` 1), in order: after a 401/403 or 429 the remaining
    numbers get the same error without calling DHL again.
    """

    _settings: DhlSettings
    name = "dhl"
    carrier_name = "DHL"
    source_code = SOURCE_CODE
    courier_codes = COURIER_CODES
    settings_class = DhlSettings
    key_header = "DHL-API-Key"
    path = PATH
    #: A number DHL will not know: the check only needs the gateway to accept the key.
    probe_number = "0000000000"
    quota_hint = " (daily quota?)"

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        return {number: await self.track_one(number, (hints or {}).get(number)) for number in batch}

    async def track_one(self, number: str, hints: TrackingHints | None = None) -> TrackOutcome:
        params = self.query(number, hints)
        try:
            return await guarded(lambda: self._get(number, params), timeout=self._settings.timeout)
        except CourierError as exc:
            return exc

    def query(self, number: str, hints: TrackingHints | None) -> dict[str, str]:
        """The documented query parameters for one number."""
        params = {"trackingNumber": number, "language": self._settings.language}
        if self._settings.requester_country_code:
            params["requesterCountryCode"] = self._settings.requester_country_code
        if hints is not None:
            if service := service_hint(hints.courier_codes):
                params["service"] = service
            if hints.origin_country_code:
                params["originCountryCode"] = hints.origin_country_code
            if hints.destination_post_code:
                params["recipientPostalCode"] = hints.destination_post_code
        return params

    async def _get(self, number: str, params: dict[str, str]) -> TrackOutcome:
        headers = self.key_headers()
        async with self._session.get(self._url, params=params, headers=headers) as response:
            if response.status == 200:
                body = await read_json(response)
                return parse_shipments(number, body, service_hint=params.get("service"))
            detail = await _problem(response)
            error = error_for_status(
                response.status, retry_after=response.headers.get("Retry-After"), detail=detail
            )
            log.info("dhl_error status=%s number=%s detail=%r", response.status, number, detail)
            return error or _unexpected(response.status)


def service_hint(courier_codes: Sequence[str]) -> str | None:
    """The ``service`` to send, when the tracker's courier codes name exactly one DHL service."""
    services = {COURIER_SERVICE_HINTS[c] for c in courier_codes if c in COURIER_SERVICE_HINTS}
    others = [c for c in courier_codes if c in COURIER_CODES and c not in COURIER_SERVICE_HINTS]
    return services.pop() if len(services) == 1 and not others else None


async def _problem(response: aiohttp.ClientResponse) -> str:
    raw = await response.content.read(_MAX_ERROR_BODY)
    try:
        return problem_detail(orjson.loads(raw))
    except orjson.JSONDecodeError:
        return ""


def _unexpected(status: int) -> CourierError:
    return CourierResponseInvalid(f"unexpected HTTP {status} from DHL")
