"""AfterShip as an upstream: the only module here that does I/O.

Built from AfterShip's Tracking API version ``2025-01`` (reference card
``apis/aftership.md``; official SDK ``tracking-sdk-nodejs`` 12.x), ``as-api-key`` header:

- register: ``POST /tracking/2025-01/trackings`` ``{"tracking_number", "slug"?}`` → ``data.id``,
  one call per number (2025-01 has no batch create), a batch's calls sent concurrently;
  ``4003`` "already exists" → the id from ``GET …/trackings?tracking_numbers=<number>``;
- first poll: the create's answer (``data`` is the tracking, card §5), no call;
- poll: ``GET /tracking/2025-01/trackings?tracking_numbers=a,b,…`` (the list, up to 50 numbers
  a call, card §3), matched by tracking id; a number the list does not return is asked
  alone, ``GET /tracking/2025-01/trackings/{id}`` (``4004``: not found);
- stop: ``DELETE /tracking/2025-01/trackings/{id}`` (``4004`` "does not exist" counts as done);
- push: header ``aftership-hmac-sha256`` = base64 HMAC-SHA256 of the raw body with the
  webhook secret; ``event_id`` keys idempotency;
- check: ``GET /tracking/2025-01/couriers`` (a read).

Every call keeps to AfterShip's documented per-endpoint limit (``AfterShipSettings``'
``documented_limits``: create 20/s, list 6/s, get one 5/s; ``SHIPTRACK_AFTERSHIP_RATE_LIMITS``
for a plan that allows more) and is sent again after a 429 (``connectors/pacing.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.aftership.parse import (
    SOURCE_CODE,
    parse_tracking,
    parse_webhook,
    tracking_id,
)
from shiptrack.couriers.connectors.aftership.settings import AfterShipSettings
from shiptrack.couriers.connectors.aftership.statuses import ALREADY_EXISTS, DOES_NOT_EXIST, SLUGS
from shiptrack.couriers.connectors.aggregator import UpstreamConnector
from shiptrack.couriers.connectors.parsing import json_list, json_object
from shiptrack.couriers.connectors.protocol import (
    CourierResponseInvalid,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)
from shiptrack.couriers.connectors.upstream_terms import (
    Registration,
    envelope_error,
    every_catalogue_code,
    hmac_base64,
    meta_envelope,
)

if TYPE_CHECKING:
    import aiohttp

PATH = "/tracking/2025-01"
#: Numbers per list call: AfterShip's documented maximum of ``tracking_numbers``.
LIST_LIMIT = 50


class AfterShipConnector(UpstreamConnector):
    _settings: AfterShipSettings
    name = "aftership"
    carrier_name = "AfterShip"
    source_code = SOURCE_CODE
    courier_codes = every_catalogue_code()
    settings_class = AfterShipSettings
    key_header = "as-api-key"
    api_version = "AfterShip Tracking API 2025-01"
    webhook_parser = staticmethod(parse_webhook)

    async def create(self, number: str, courier: str, hints: TrackingHints | None) -> str:
        body: dict[str, object] = {"tracking_number": number}
        if courier in SLUGS:
            body["slug"] = SLUGS[courier]
        status, answer = await self.call(
            "register", "POST", f"{PATH}/trackings", json=body, endpoint="create"
        )
        code, message, data = meta_envelope(answer)
        if code == ALREADY_EXISTS:
            return await self._find(number)
        if status >= 300:
            raise envelope_error(status, f"{code}: {message}")
        return self._keep(number, data)

    def _keep(self, number: str, tracking: object) -> str:
        """The tracking's id; the tracking itself is kept for the poll that follows the
        registration (AfterShip answers a create with the tracking as a read would)."""
        if len(self._created) >= 10_000:  # registrations never polled (their batch failed)
            self._created.clear()
        found = tracking_id(tracking)
        self._created[number] = (found, tracking)
        return found

    async def _find(self, number: str) -> str:
        params = {"tracking_numbers": number}
        status, answer = await self.call(
            "register", "GET", f"{PATH}/trackings", params=params, endpoint="list"
        )
        code, message, data = meta_envelope(answer)
        if status >= 300:
            raise envelope_error(status, f"{code}: {message}")
        trackings = json_list(json_object(data, "data").get("trackings"), "data.trackings")
        if not trackings:
            raise CourierResponseInvalid(f"AfterShip has no tracking for {number}")
        return self._keep(number, trackings[0])

    def __init__(self, settings: AfterShipSettings, session: aiohttp.ClientSession) -> None:
        super().__init__(settings, session)
        #: number → (tracking id, tracking) of the registrations just made.
        self._created: dict[str, tuple[str, object]] = {}

    async def poll(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        """A number registered in this check is read from the create's answer; the others
        with one list call per 50 numbers (what the list does not return is asked alone)."""
        out: dict[str, TrackOutcome] = {}
        listed = []
        for registration in registrations:
            number = registration.tracking_number
            created = self._created.pop(number, None)
            if created is not None and created[0] == registration.upstream_id:
                out[number] = self._read(registration, created[1])
            else:
                listed.append(registration)
        out.update(await self.in_batches(listed, LIST_LIMIT, self._poll_list))
        return out

    async def _poll_list(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        numbers = ",".join(dict.fromkeys(r.tracking_number for r in registrations))
        params = {"tracking_numbers": numbers, "limit": "200"}
        status, answer = await self.call(
            "poll", "GET", f"{PATH}/trackings", params=params, endpoint="list"
        )
        code, message, data = meta_envelope(answer)
        if status >= 300:
            raise envelope_error(status, f"{code}: {message}")
        listed = json_list(json_object(data, "data").get("trackings"), "data.trackings")
        by_id = {tracking_id(t): t for t in listed}
        out: dict[str, TrackOutcome] = {}
        alone = []
        for registration in registrations:
            tracking = by_id.get(registration.upstream_id or "")
            if tracking is None:
                alone.append(registration)
                continue
            out[registration.tracking_number] = self._read(registration, tracking)
        if alone:
            out.update(await super().poll(alone))
        return out

    def _read(self, registration: Registration, tracking: object) -> TrackOutcome:
        number, courier = registration.tracking_number, registration.courier_code
        return self.answers.read(
            number, courier, tracking, lambda: parse_tracking(number, tracking, courier)
        )

    async def fetch(self, registration: Registration) -> TrackOutcome:
        number = registration.tracking_number
        if not registration.upstream_id:
            return CourierResponseInvalid(f"AfterShip: no tracking id for {number}")
        path = f"{PATH}/trackings/{registration.upstream_id}"
        status, answer = await self.call("poll", "GET", path, endpoint="get")
        code, message, data = meta_envelope(answer)
        if code == DOES_NOT_EXIST:
            return TrackingNumberNotFound(f"AfterShip {code}: {message}")
        if status >= 300:
            return envelope_error(status, f"{code}: {message}")
        return self._read(registration, data)

    async def unregister(self, registration: Registration) -> None:
        if not registration.upstream_id:
            return
        path = f"{PATH}/trackings/{registration.upstream_id}"
        status, answer = await self.call("stop", "DELETE", path, endpoint="delete")
        code, message, _ = meta_envelope(answer)
        if status >= 300 and code != DOES_NOT_EXIST:
            raise envelope_error(status, f"{code}: {message}")

    def verify_push(self, headers: Mapping[str, str], body: bytes) -> bool:
        secret = self.secret()
        return secret is not None and self.same(
            headers.get("aftership-hmac-sha256"), hmac_base64(secret, body)
        )

    async def probe(self) -> None:
        status, answer = await self.call("probe", "GET", f"{PATH}/couriers", endpoint="couriers")
        if status >= 300:
            code, message, _ = meta_envelope(answer)
            raise envelope_error(status, f"{code}: {message}")
