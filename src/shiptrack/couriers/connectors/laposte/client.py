"""The La Poste Suivi v2 connector: the only module here that does I/O.

``GET {base}/suivi/v2/idships/{id1,…,id10}?lang=fr_FR`` with the ``X-Okapi-Key`` header; up
to 10 numbers per call, comma-separated. The answer is one object for one number, an array
(HTTP 207) for several, each item with its own ``returnCode``; a single unknown number answers
HTTP 404 with a ``returnCode`` body. Gateway errors (401/403 key, 429 quota, 5xx) fail the
whole call and so every number in it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.http import error_for_status, guarded, read_json
from shiptrack.couriers.connectors.laposte.parse import SOURCE_CODE, parse_answer
from shiptrack.couriers.connectors.laposte.settings import LaPosteSettings
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingHints,
    TrackOutcome,
)

log = logging.getLogger(__name__)

PATH = "/suivi/v2/idships/"
#: Most ids La Poste accepts in one call.
BATCH_SIZE = 10
COURIER_CODES = frozenset({"fr-post", "colissimo", "chronopost"})
#: HTTP statuses whose body still carries per-number ``returnCode`` items.
_ANSWER_STATUSES = frozenset({200, 207, 400, 404})


class LaPosteConnector(ApiKeyConnector):
    """La Poste Suivi v2 over the shared aiohttp session (which it does not own).

    Calls of up to 10 numbers each, in order (La Poste takes no hints): after a 401/403 or 429
    the remaining batches get the same error without calling La Poste again.
    """

    _settings: LaPosteSettings
    name = "laposte"
    carrier_name = "La Poste"
    source_code = SOURCE_CODE
    courier_codes = COURIER_CODES
    batch_size = BATCH_SIZE
    settings_class = LaPosteSettings
    key_header = "X-Okapi-Key"
    key_name = "Okapi key"
    path = PATH
    #: A well-formed (13 characters) number La Poste will not know.
    probe_number = "LP000000000FR"

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        try:
            return await guarded(lambda: self._get(batch), timeout=self._settings.timeout)
        except CourierError as exc:
            return dict.fromkeys(batch, exc)

    async def _get(self, batch: Sequence[str]) -> dict[str, TrackOutcome]:
        ids = ",".join(quote(number.strip(), safe="") for number in batch)
        params = {"lang": self._settings.lang}
        headers = self.key_headers()
        async with self._session.get(self._url + ids, params=params, headers=headers) as response:
            if response.status in _ANSWER_STATUSES:
                try:
                    body = await read_json(response)
                except CourierResponseInvalid:
                    if response.status in (200, 207):
                        raise
                    body = None  # a 400/404 without JSON is not a per-number answer
                if body is not None:
                    return parse_answer(batch, body)
            error = error_for_status(
                response.status, retry_after=response.headers.get("Retry-After")
            ) or CourierResponseInvalid(f"unexpected HTTP {response.status} from La Poste")
            if response.status in (400, 404):
                error = CourierResponseInvalid(f"HTTP {response.status} without a La Poste body")
            log.info("laposte_error status=%s numbers=%d", response.status, len(batch))
            return dict.fromkeys(batch, error)
