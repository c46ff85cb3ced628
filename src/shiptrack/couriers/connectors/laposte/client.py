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

import aiohttp

from shiptrack.couriers.connectors.http import error_for_status, guarded, read_json
from shiptrack.couriers.connectors.laposte.parse import SOURCE_CODE, parse_answer
from shiptrack.couriers.connectors.laposte.settings import LaPosteSettings
from shiptrack.couriers.connectors.protocol import (
    ConnectorInfo,
    CourierAuthError,
    CourierError,
    CourierRateLimited,
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


class LaPosteConnector:
    """La Poste Suivi v2 over the shared aiohttp session (which it does not own)."""

    def __init__(self, settings: LaPosteSettings, session: aiohttp.ClientSession) -> None:
        if not settings.configured():
            raise ValueError("La Poste connector needs SHIPTRACK_LAPOSTE_API_KEY")
        self._settings = settings
        self._session = session
        self._url = settings.resolved_base_url() + PATH
        self.info = ConnectorInfo(
            source_code=SOURCE_CODE,
            courier_codes=COURIER_CODES,
            batch_size=BATCH_SIZE,
            min_interval=settings.min_interval,
            rate_limit=settings.rate_limit,
            timeout=settings.timeout,
        )

    def claims(self, tracking_number: str) -> bool:
        return False

    async def aclose(self) -> None:
        """Nothing to release: the HTTP session belongs to the process."""

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        """Calls of up to 10 numbers each (La Poste takes no hints). After a 401/403 or 429 the
        remaining batches get the same error without calling La Poste again."""
        outcomes: dict[str, TrackOutcome] = {}
        unique = list(dict.fromkeys(numbers))
        stop: CourierError | None = None
        for start in range(0, len(unique), BATCH_SIZE):
            batch = unique[start:start + BATCH_SIZE]
            if stop is not None:
                outcomes.update(dict.fromkeys(batch, stop))
                continue
            answered = await self.track_batch(batch)
            outcomes.update(answered)
            failure = next((o for o in answered.values()
                            if isinstance(o, CourierAuthError | CourierRateLimited)), None)
            stop = failure
        return outcomes

    async def track_batch(self, batch: Sequence[str]) -> dict[str, TrackOutcome]:
        try:
            return await guarded(lambda: self._get(batch), timeout=self._settings.timeout)
        except CourierError as exc:
            return dict.fromkeys(batch, exc)

    async def _get(self, batch: Sequence[str]) -> dict[str, TrackOutcome]:
        ids = ",".join(quote(number.strip(), safe="") for number in batch)
        headers = {
            "X-Okapi-Key": self._settings.api_key.get_secret_value(),  # type: ignore[union-attr]
            "Accept": "application/json",
        }
        params = {"lang": self._settings.lang}
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
