"""TrackingMore as an upstream: the only module here that does I/O.

Built from TrackingMore's API v4 (official SDK ``trackingmore-sdk-python``; reference card
``apis/trackingmore.md``), ``Tracking-Api-Key`` header:

- register: ``POST /v4/trackings/batch`` ``[{"tracking_number", "courier_code"}, …]``, up to 40
  a call (card §3; the official SDKs' ``batch_create_trackings``), answered
  ``data: {"success": [{id, tracking_number, courier_code}], "error": [{…, errorCode,
  errorMessage}]}`` (``BatchResults``/``BatchItem`` of ``trackingmore-sdk-java``); a courier
  without a known TrackingMore code is first asked of ``POST /v4/couriers/detect``; ``4101``
  "already exists" → the ids from one ``GET /v4/trackings/get`` for those numbers;
- poll: ``GET /v4/trackings/get?tracking_numbers=a,b,…`` (up to 40 a call, free);
- stop: ``DELETE /v4/trackings/delete/{id}`` (``4102`` "does not exist" counts as done);
- push: TrackingMore's v4 webhook, header ``signature`` = base64 HMAC-SHA256 of the raw body
  with the webhook secret (the documented text; see docs/connectors.md for why not the
  example's timestamp form);
- check: ``GET /v4/couriers/all`` (a read).

Every call keeps to TrackingMore's documented per-endpoint limit
(``TrackingMoreSettings.documented_limits``: batch create, get, delete, detect 10/s;
``SHIPTRACK_TRACKINGMORE_RATE_LIMITS`` for more); after a 429 the endpoint waits the 120 s
TrackingMore documents (``…_BACKOFF_SECONDS``) and the refused call goes again, or — when that
is past the check's time — its numbers are checked again when the wait ends (``pacing.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from shiptrack.couriers.connectors.aggregator import UpstreamConnector
from shiptrack.couriers.connectors.parsing import json_list, json_object, string_value
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)
from shiptrack.couriers.connectors.trackingmore.parse import (
    SOURCE_CODE,
    batch_outcomes,
    parse_tracking,
    parse_webhook,
)
from shiptrack.couriers.connectors.trackingmore.settings import TrackingMoreSettings
from shiptrack.couriers.connectors.trackingmore.statuses import COURIERS, DOES_NOT_EXIST
from shiptrack.couriers.connectors.upstream_terms import (
    RegisterOutcome,
    Registration,
    envelope_error,
    every_catalogue_code,
    hmac_base64,
    meta_envelope,
)

#: Numbers per batch create or get: TrackingMore's documented maximum (``4103`` above it).
PER_CALL = 40


class TrackingMoreConnector(UpstreamConnector):
    _settings: TrackingMoreSettings
    name = "trackingmore"
    carrier_name = "TrackingMore"
    source_code = SOURCE_CODE
    courier_codes = every_catalogue_code()
    settings_class = TrackingMoreSettings
    key_header = "Tracking-Api-Key"
    api_version = "TrackingMore API v4"
    webhook_parser = staticmethod(parse_webhook)

    async def register(
        self, wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, RegisterOutcome]:
        """Batch creates of up to 40 numbers (one call each); numbers of couriers without a
        known TrackingMore code are detected first (one call each)."""
        out: dict[str, RegisterOutcome] = {}
        codes = {n: COURIERS[c] for n, c in wanted.items() if COURIERS.get(c)}
        unknown = [n for n in wanted if n not in codes]
        detected = await asyncio.gather(*(self._outcome(self._detect(n)) for n in unknown))
        for number, code in zip(unknown, detected, strict=True):
            if isinstance(code, CourierError):
                out[number] = code
            else:
                codes[number] = code
        numbers = list(codes)
        chunks = [numbers[i : i + PER_CALL] for i in range(0, len(numbers), PER_CALL)]
        for answers in await asyncio.gather(*(self._create_batch(c, codes) for c in chunks)):
            out.update(answers)
        return out

    async def _create_batch(
        self, numbers: list[str], codes: Mapping[str, str]
    ) -> dict[str, RegisterOutcome]:
        items = [{"tracking_number": n, "courier_code": codes[n]} for n in numbers]
        try:
            status, answer = await self.call(
                "register", "POST", "/v4/trackings/batch", json=items, endpoint="batch"
            )
            meta_code, message, data = meta_envelope(answer)
            if status >= 300 or meta_code != 200:
                raise envelope_error(status if status >= 300 else 400, f"{meta_code}: {message}")
            out, existing = batch_outcomes(data)
        except CourierError as exc:
            return dict.fromkeys(numbers, exc)
        if existing:
            try:
                out.update(await self._find(existing))
            except CourierError as exc:
                out.update(dict.fromkeys(existing, exc))
        for number in numbers:
            out.setdefault(number, CourierResponseInvalid("TrackingMore did not answer for it"))
        return out

    async def _detect(self, number: str) -> str:
        body = {"tracking_number": number}
        status, answer = await self.call(
            "register", "POST", "/v4/couriers/detect", json=body, endpoint="detect"
        )
        _, message, data = meta_envelope(answer)
        found = json_list(data, "data") if status < 300 else []
        code = string_value(json_object(found[0], "courier").get("courier_code")) if found else None
        if code is None:
            raise TrackingNumberNotFound(f"TrackingMore detects no courier: {message}")
        return code

    async def _find(self, numbers: list[str]) -> dict[str, RegisterOutcome]:
        """The ids of numbers TrackingMore already tracks (one read for all of them)."""
        params = {"tracking_numbers": ",".join(numbers)}
        status, answer = await self.call(
            "register", "GET", "/v4/trackings/get", params=params, endpoint="get"
        )
        _, message, data = meta_envelope(answer)
        found = json_list(data, "data") if status < 300 else []
        ids = {string_value(json_object(t, "tracking").get("tracking_number")): t for t in found}
        return {
            n: _id(ids[n])
            if n in ids
            else CourierResponseInvalid(f"TrackingMore has no tracking for {n}: {message}")
            for n in numbers
        }

    async def poll(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        """``trackings/get`` for up to 40 numbers a call."""
        return await self.in_batches(registrations, PER_CALL, self._poll_batch)

    async def _poll_batch(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        couriers = {r.tracking_number: r.courier_code for r in registrations}
        params = {"tracking_numbers": ",".join(couriers)}
        status, answer = await self.call(
            "poll", "GET", "/v4/trackings/get", params=params, endpoint="get"
        )
        meta_code, message, data = meta_envelope(answer)
        if status >= 300:
            raise envelope_error(status, f"{meta_code}: {message}")
        out: dict[str, TrackOutcome] = {}
        for item in json_list(data, "data"):
            number = string_value(json_object(item, "tracking").get("tracking_number")) or ""
            if number in couriers:
                courier = couriers[number]
                out[number] = self.answers.read(
                    number, courier, item, lambda i=item, c=courier: parse_tracking(i, c)
                )
        for number in couriers:
            out.setdefault(number, TrackingNumberNotFound(f"TrackingMore has no {number}"))
        return out

    async def unregister(self, registration: Registration) -> None:
        if not registration.upstream_id:
            return
        path = f"/v4/trackings/delete/{registration.upstream_id}"
        status, answer = await self.call("stop", "DELETE", path, endpoint="delete")
        meta_code, message, _ = meta_envelope(answer)
        if status >= 300 and meta_code != DOES_NOT_EXIST:
            raise envelope_error(status, f"{meta_code}: {message}")

    def verify_push(self, headers: Mapping[str, str], body: bytes) -> bool:
        secret = self.secret()
        return secret is not None and self.same(headers.get("signature"), hmac_base64(secret, body))

    async def probe(self) -> None:
        status, answer = await self.call("probe", "GET", "/v4/couriers/all", endpoint="couriers")
        if status >= 300:
            meta_code, message, _ = meta_envelope(answer)
            raise envelope_error(status, f"{meta_code}: {message}")


def _id(data: object) -> str:
    value = string_value(json_object(data, "data").get("id"))
    if value is None:
        raise CourierResponseInvalid("the tracking has no id")
    return value
