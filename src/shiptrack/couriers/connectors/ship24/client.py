"""Ship24 as an upstream: the only module here that does I/O.

Built from Ship24's Tracking API OpenAPI document (``ship24-tracking-api.yaml``, API v1):

- register: ``POST /public/v1/trackers`` ``{"trackingNumber", "courierCode": [code]}`` →
  ``data.tracker.trackerId`` (Ship24 documents the call as idempotent);
- poll: ``GET /public/v1/trackers/{trackerId}/results``, one call per number;
- stop: ``PATCH /public/v1/trackers/{trackerId}`` ``{"isSubscribed": false}`` (Ship24 has no
  delete; an unsubscribed tracker stops being tracked and pushed);
- push: Ship24's webhook, ``Authorization: Bearer <webhook secret>``;
- check: ``GET /public/v1/trackers?limit=1`` (a read, free).
"""

from __future__ import annotations

from collections.abc import Mapping

from shiptrack.couriers.connectors.aggregator import (
    Registration,
    UpstreamConnector,
    envelope_error,
    every_catalogue_code,
)
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)
from shiptrack.couriers.connectors.ship24.parse import (
    SOURCE_CODE,
    error_message,
    parse_tracking,
    parse_webhook,
    results_tracking,
    tracker_id,
)
from shiptrack.couriers.connectors.ship24.settings import Ship24Settings


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
    batch_size = 20
    webhook_parser = staticmethod(parse_webhook)

    async def create(self, number: str, courier: str, hints: TrackingHints | None) -> str:
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
        status, answer = await self.call("register", "POST", "/public/v1/trackers", json=body)
        if status >= 300:
            raise envelope_error(status, error_message(answer))
        return tracker_id(answer)

    async def fetch(self, registration: Registration) -> TrackOutcome:
        number = registration.tracking_number
        if not registration.upstream_id:
            return CourierResponseInvalid(f"Ship24: no trackerId for {number}")
        path = f"/public/v1/trackers/{registration.upstream_id}/results"
        status, answer = await self.call("poll", "GET", path)
        if status >= 300:
            return envelope_error(status, error_message(answer))
        tracking = results_tracking(answer)
        if tracking is None:
            return TrackingNumberNotFound(f"Ship24: no tracking for {number}")
        return parse_tracking(number, tracking)

    async def unregister(self, registration: Registration) -> None:
        if not registration.upstream_id:
            return
        path = f"/public/v1/trackers/{registration.upstream_id}"
        status, answer = await self.call("stop", "PATCH", path, json={"isSubscribed": False})
        if status >= 300 and status != 404:  # a tracker Ship24 no longer has is stopped
            raise envelope_error(status, error_message(answer))

    def verify_push(self, headers: Mapping[str, str], body: bytes) -> bool:
        secret = self.secret()
        return secret is not None and self.same(
            headers.get("authorization"), "Bearer " + secret.decode()
        )

    async def probe(self) -> None:
        status, answer = await self.call(
            "probe", "GET", "/public/v1/trackers", params={"page": "1", "limit": "1"}
        )
        if status >= 300:
            raise envelope_error(status, error_message(answer))
