"""17TRACK as an upstream: the only module here that does I/O.

Built from 17TRACK's Tracking API v2.2 documentation (reference card ``apis/17track.md``):
every call is ``POST https://api.17track.net/track/v2.2/<endpoint>`` with the ``17token``
header and a JSON array of up to 40 items.

- register: ``register`` ``[{"number", "carrier"?}]`` (one quota unit per number accepted;
  ``-18019901`` "already registered" counts as registered);
- poll: ``gettrackinfo`` (free), up to 40 numbers a call;
- stop: ``deletetrack`` (so that a later tracker can register the number again; a number
  17TRACK no longer knows, ``-18019902``, counts as stopped);
- push: 17TRACK's webhook, header ``sign`` = hex SHA-256 of ``body + "/" + security key``;
- check: ``getquota`` (free).

Every call keeps to 17TRACK's 3 requests a second per key, all endpoints together
(``Track17Settings.documented_limits``, ``{"all": 3}``; ``SHIPTRACK_17TRACK_RATE_LIMITS`` for a
plan that allows more), and is sent again after a 429 (``connectors/pacing.py``).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping, Sequence

from shiptrack.couriers.connectors.aggregator import UpstreamConnector
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierRateLimited,
    CourierResponseInvalid,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)
from shiptrack.couriers.connectors.track17.parse import (
    SOURCE_CODE,
    envelope,
    parse_track_info,
    parse_webhook,
    rejection,
)
from shiptrack.couriers.connectors.track17.settings import Track17Settings
from shiptrack.couriers.connectors.track17.statuses import (
    ALREADY_REGISTERED,
    CARRIER_KEYS,
    DAILY_LIMIT,
    NO_TRACKING_INFO,
    NOT_REGISTERED,
    QUOTA_EXHAUSTED,
)
from shiptrack.couriers.connectors.upstream_terms import (
    RegisterOutcome,
    Registration,
    envelope_error,
    every_catalogue_code,
)

PATH = "/track/v2.2/"
#: Numbers per call: 17TRACK's documented maximum (``-18010014`` above it).
PER_CALL = 40


class Track17Connector(UpstreamConnector):
    _settings: Track17Settings
    name = "track17"
    carrier_name = "17TRACK"
    source_code = SOURCE_CODE
    courier_codes = every_catalogue_code()
    settings_class = Track17Settings
    key_header = "17token"
    api_version = "17TRACK Tracking API v2.2"
    webhook_parser = staticmethod(parse_webhook)

    def _item(self, number: str, courier: str) -> dict[str, object]:
        item: dict[str, object] = {"number": number}
        if courier in CARRIER_KEYS:
            item["carrier"] = CARRIER_KEYS[courier]
        return item

    async def _post(self, what: str, endpoint: str, items: object) -> tuple[list, list]:  # type: ignore[type-arg]
        status, body = await self.call(what, "POST", PATH + endpoint, json=items, endpoint="all")
        if status >= 300:
            raise envelope_error(status, str(body)[:200])
        return envelope(body)

    async def register(
        self, wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, RegisterOutcome]:
        """One ``register`` call per 40 numbers, sent concurrently."""
        numbers = list(wanted)
        chunks = [numbers[i : i + PER_CALL] for i in range(0, len(numbers), PER_CALL)]
        out: dict[str, RegisterOutcome] = {}
        for answered in await asyncio.gather(*(self._register(c, wanted) for c in chunks)):
            out.update(answered)
        return out

    async def _register(
        self, chunk: list[str], wanted: Mapping[str, str]
    ) -> dict[str, RegisterOutcome]:
        out: dict[str, RegisterOutcome] = {}
        try:
            accepted, rejected = await self._post(
                "register", "register", [self._item(n, wanted[n]) for n in chunk]
            )
        except CourierError as exc:
            return dict.fromkeys(chunk, exc)
        for item in accepted:
            out[str(item.get("number"))] = _carrier(item)
        for item in rejected:
            number, code, message = rejection(item)
            if code == ALREADY_REGISTERED:
                out[number] = _carrier(item)
            elif code in (DAILY_LIMIT, QUOTA_EXHAUSTED):
                out[number] = CourierRateLimited(f"17TRACK {code}: {message}", retry_after=3600)
            else:
                out[number] = TrackingNumberNotFound(f"17TRACK {code}: {message}")
        for number in chunk:
            out.setdefault(number, CourierResponseInvalid("17TRACK did not answer for it"))
        return out

    async def poll(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        """``gettrackinfo`` for up to 40 numbers a call."""
        return await self.in_batches(registrations, PER_CALL, self._poll_batch)

    async def _poll_batch(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        couriers = {r.tracking_number: r.courier_code for r in registrations}
        items = [self._item(r.tracking_number, r.courier_code) for r in registrations]
        accepted, rejected = await self._post("poll", "gettrackinfo", items)
        out: dict[str, TrackOutcome] = {}
        for item in accepted:
            number = str(item.get("number"))
            courier = couriers.get(number, "")
            out[number] = self.answers.read(
                number, courier, item, lambda i=item, c=courier: parse_track_info(i, c)
            )
        for item in rejected:
            number, code, message = rejection(item)
            out[number] = TrackingNumberNotFound(f"17TRACK {code}: {message}")
            if code not in (NOT_REGISTERED, NO_TRACKING_INFO):
                out[number] = CourierResponseInvalid(f"17TRACK {code}: {message}")
        for number in couriers:
            out.setdefault(number, CourierResponseInvalid("17TRACK did not answer for it"))
        return out

    async def unregister(self, registration: Registration) -> None:
        item = self._item(registration.tracking_number, registration.courier_code)
        _, rejected = await self._post("stop", "deletetrack", [item])
        for refused in rejected:
            _, code, message = rejection(refused)
            if code != NOT_REGISTERED:
                raise CourierResponseInvalid(f"17TRACK {code}: {message}")

    def secret(self) -> bytes | None:
        """17TRACK signs its pushes with the security key itself (the API key)."""
        key = self._settings.api_key
        return key.get_secret_value().encode() if key is not None else None

    def verify_push(self, headers: Mapping[str, str], body: bytes) -> bool:
        secret = self.secret()
        if secret is None:
            return False
        return self.same(headers.get("sign"), sign(body, secret))

    async def probe(self) -> None:
        status, body = await self.call("probe", "POST", PATH + "getquota", json=[], endpoint="all")
        if status >= 300:
            raise envelope_error(status, str(body)[:200])
        if not isinstance(body, dict) or body.get("code") != 0:
            raise CourierResponseInvalid(f"17TRACK getquota answered {str(body)[:200]}")


def sign(body: bytes, key: bytes) -> str:
    """17TRACK's push signature: lowercase hex SHA-256 of ``body + "/" + key``."""
    return hashlib.sha256(body + b"/" + key).hexdigest()


def _carrier(item: dict[str, object]) -> str | None:
    carrier = item.get("carrier")
    return str(carrier) if isinstance(carrier, int) and carrier else None
