"""Ship24 as an upstream: the only module here that does I/O.

Built from Ship24's Tracking API OpenAPI document (``ship24-tracking-api.yaml``, API v1):

- register: ``POST /public/v1/trackers/bulk`` ``[{"trackingNumber", "courierCode": [code]}, …]``,
  up to 100 trackers a call, each answered ``created``, ``existing`` (with its trackerId: the
  creation is idempotent) or ``error`` (``bulk-create-trackers-response``; 207 when partial);
- poll: ``GET /public/v1/trackers/{trackerId}/results``, one call per number (Ship24 has no
  batch read: its tracker list carries no results), a batch's calls sent concurrently;
- stop: ``PATCH /public/v1/trackers/{trackerId}`` ``{"isSubscribed": false}`` (Ship24 has no
  delete; an unsubscribed tracker stops being tracked and pushed);
- push: Ship24's webhook, ``Authorization: Bearer <webhook secret>``;
- check: ``GET /public/v1/trackers?limit=1`` (a read, free).

Every call keeps to Ship24's documented per-endpoint limit (``Ship24Settings``'
``documented_limits``: bulk 3/s, results 10/s; ``SHIPTRACK_SHIP24_RATE_LIMITS`` for more) and
is sent again after a 429 (``connectors/pacing.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from shiptrack.couriers.connectors.aggregator import (
    RegisterOutcome,
    Registration,
    UpstreamConnector,
    envelope_error,
    every_catalogue_code,
)
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)
from shiptrack.couriers.connectors.ship24.parse import (
    SOURCE_CODE,
    bulk_outcomes,
    error_message,
    parse_tracking,
    parse_webhook,
    results_tracking,
)
from shiptrack.couriers.connectors.ship24.settings import Ship24Settings

#: Trackers per bulk create (``POST /public/v1/trackers/bulk``: "up to 100").
BULK_LIMIT = 100


class Ship24Connector(UpstreamConnector):
    _settings: Ship24Settings
    name = "ship24"
    carrier_name = "Ship24"
    source_code = SOURCE_CODE
    courier_codes = every_catalogue_code()
    settings_class = Ship24Settings
    key_header = "Authorization"
    key_prefix = "Bearer "
    api_version = "Ship24 Tracking API v1 (OpenAPI document of 2026)"
    webhook_parser = staticmethod(parse_webhook)
    # Ship24's documented results give ``statusCode: null`` for most scans (the
    # ``response-result-tracker`` example): the normaliser reads their texts.
    reads_texts = True

    async def register(
        self, wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, RegisterOutcome]:
        """One bulk create per 100 numbers, sent concurrently."""
        numbers = list(wanted)
        chunks = [numbers[i : i + BULK_LIMIT] for i in range(0, len(numbers), BULK_LIMIT)]
        out: dict[str, RegisterOutcome] = {}
        for answered in await asyncio.gather(*(self._bulk(c, wanted, hints) for c in chunks)):
            out.update(answered)
        return out

    async def _bulk(
        self, chunk: list[str], wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, RegisterOutcome]:
        body = [self._tracker_body(n, wanted[n], hints.get(n)) for n in chunk]
        out: dict[str, RegisterOutcome] = {}
        try:
            status, answer = await self.call(
                "register", "POST", "/public/v1/trackers/bulk", json=body, endpoint="bulk"
            )
            if status >= 300 and status != 207:
                raise envelope_error(status, error_message(answer))
            out.update(bulk_outcomes(answer))
        except CourierError as exc:
            out.update(dict.fromkeys(chunk, exc))
        for number in chunk:
            out.setdefault(number, CourierResponseInvalid("Ship24 did not answer for it"))
        return out

    @staticmethod
    def _tracker_body(number: str, courier: str, hints: TrackingHints | None) -> dict[str, object]:
        body: dict[str, object] = {"trackingNumber": number}
        if courier:
            body["courierCode"] = [courier]
        if hints is not None:
            if hints.origin_country_code:
                body["originCountryCode"] = hints.origin_country_code
            if hints.destination_country_code:
                body["destinationCountryCode"] = hints.destination_country_code
            if hints.destination_post_code:
                body["destinationPostCode"] = hints.destination_post_code
        return body

    async def fetch(self, registration: Registration) -> TrackOutcome:
        number = registration.tracking_number
        if not registration.upstream_id:
            return CourierResponseInvalid(f"Ship24: no trackerId for {number}")
        path = f"/public/v1/trackers/{registration.upstream_id}/results"
        status, body = await self.call("poll", "GET", path, endpoint="results", raw=True)
        if status >= 300:
            return envelope_error(status, error_message(body))

        def read(answer: object) -> TrackOutcome:
            tracking = results_tracking(answer)
            if tracking is None:
                return TrackingNumberNotFound(f"Ship24: no tracking for {number}")
            return parse_tracking(number, tracking)

        # The answer is about this tracker alone: when its bytes are those of the last poll
        # (nothing happened), it is neither decoded nor read again.
        return self.answers.read_body(number, registration.courier_code, body, read)

    async def unregister(self, registration: Registration) -> None:
        if not registration.upstream_id:
            return
        path = f"/public/v1/trackers/{registration.upstream_id}"
        status, answer = await self.call(
            "stop", "PATCH", path, json={"isSubscribed": False}, endpoint="update"
        )
        if status >= 300 and status != 404:  # a tracker Ship24 no longer has is stopped
            raise envelope_error(status, error_message(answer))

    def verify_push(self, headers: Mapping[str, str], body: bytes) -> bool:
        secret = self.secret()
        return secret is not None and self.same(
            headers.get("authorization"), "Bearer " + secret.decode()
        )

    async def probe(self) -> None:
        status, answer = await self.call(
            "probe",
            "GET",
            "/public/v1/trackers",
            params={"page": "1", "limit": "1"},
            endpoint="list",
        )
        if status >= 300:
            raise envelope_error(status, error_message(answer))
