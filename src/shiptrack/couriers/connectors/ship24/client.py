"""Ship24 as an upstream: the only module here that does I/O.

Built from Ship24's Tracking API OpenAPI document (``ship24-tracking-api.yaml``, API v1):

- register: ``POST /public/v1/trackers/track`` ``{"trackingNumber", "courierCode": [code]}``
  (operation ``create-tracker-and-get-tracking-results``), one call per number, concurrently:
  it creates the tracker if needed (idempotent) and answers its tracking results at once
  (``{data: {trackings: [{tracker, shipment, events, …}]}}``, 201 live, 200 in the spec). The
  trackerId is the registration's upstream id and the tracking is kept for the poll of the
  same ``track`` call, which reads it instead of calling results (a first check is one round
  trip). A number the track call refuses (400 ``tracker_conflict``: an existing tracker's
  courier list overlaps the one asked without being equal; any other 4xx it answers) or does
  not answer in time (Ship24: "up to 1 minute" on a first call; a timeout, connection error
  or 5xx), or finds no slot of its 10 a second within the check's time (or still a 429), is
  registered with ``POST /public/v1/trackers/bulk`` instead, as before: up to 100 trackers a
  call, each answered ``created``, ``existing`` (with its trackerId: the creation is
  idempotent) or ``error`` (``bulk-create-trackers-response``; 207 when partial);
- poll: ``GET /public/v1/trackers/{trackerId}/results``, one call per number (Ship24 has no
  batch read: its tracker list carries no results), a batch's calls sent concurrently;
- stop: ``PATCH /public/v1/trackers/{trackerId}`` ``{"isSubscribed": false}`` (Ship24 has no
  delete; an unsubscribed tracker stops being tracked and pushed);
- push: Ship24's webhook, ``Authorization: Bearer <webhook secret>``;
- check: ``GET /public/v1/trackers?limit=1`` (a read, free).

Every call keeps to Ship24's documented per-endpoint limit (``Ship24Settings``'
``documented_limits``: track 10/s, bulk 3/s, results 10/s, each its own bucket;
``SHIPTRACK_SHIP24_RATE_LIMITS`` for more) and
is sent again after a 429 (``connectors/pacing.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from contextvars import ContextVar

import orjson

from shiptrack.couriers.connectors.aggregator import UpstreamConnector
from shiptrack.couriers.connectors.protocol import (
    RATE_LIMIT_BUDGET,
    BudgetExhausted,
    CourierError,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
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
from shiptrack.couriers.connectors.upstream_terms import (
    RegisterOutcome,
    Registration,
    envelope_error,
    every_catalogue_code,
)

#: Trackers per bulk create (``POST /public/v1/trackers/bulk``: "up to 100").
BULK_LIMIT = 100

#: What the track calls of the current ``track`` answered: number → (trackerId, the tracking
#: read). Set for the length of one ``track`` call, so that its poll returns the
#: registration's own answer; gone when the call ends (nothing is kept between calls).
_ANSWERED: ContextVar[dict[str, tuple[str, TrackOutcome]] | None] = ContextVar(
    "shiptrack_ship24_answered", default=None
)


class _Fallback:
    """A number the track call did not register: the bulk create registers it instead."""


FALLBACK = _Fallback()


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

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        answered = _ANSWERED.set({})
        try:
            return await super().track(numbers, hints)
        finally:
            _ANSWERED.reset(answered)

    async def register(
        self, wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, RegisterOutcome]:
        """One track call per number, concurrently; the numbers it did not register, one bulk
        create per 100, concurrently."""
        numbers = list(wanted)
        answers = await asyncio.gather(
            *(self._track_one(n, wanted[n], hints.get(n)) for n in numbers)
        )
        out: dict[str, RegisterOutcome] = {}
        left: list[str] = []
        for number, answer in zip(numbers, answers, strict=True):
            if answer is FALLBACK:
                left.append(number)
            else:
                out[number] = answer  # type: ignore[assignment]
        if left:
            out.update(await self._bulk_register(left, wanted, hints))
        return out

    async def _track_one(
        self, number: str, courier: str, hints: TrackingHints | None
    ) -> RegisterOutcome | _Fallback:
        """Create (or find) the tracker with its results: its trackerId, the answer kept for
        this ``track``'s poll; ``FALLBACK`` when the bulk create should register it."""
        body = self._tracker_body(number, courier, hints)
        try:
            status, raw = await self.call(
                "register",
                "POST",
                "/public/v1/trackers/track",
                json=body,
                endpoint="track",
                raw=True,
                # Leaves the bulk create time within the engine's timeout for the whole.
                timeout=self._settings.timeout / 2,
            )
        except CourierUnavailable:
            return FALLBACK
        except BudgetExhausted as exc:
            # No track slot within this check's time (10 a second): the bulk create, paced on
            # its own, registers it now; its results are read when their turn comes. The
            # operator's budgets are the number's outcome.
            return FALLBACK if exc.budget == RATE_LIMIT_BUDGET else exc
        except CourierRateLimited:  # still 429 after its retries: the bulk has its own limit
            return FALLBACK
        except CourierError as exc:  # the key refused (401/403: quota), an invalid answer
            return exc
        if status >= 300:  # tracker_conflict and the other refusals of this call
            return FALLBACK
        try:
            answer = orjson.loads(raw)
            tracking = results_tracking(answer)
        except (orjson.JSONDecodeError, CourierError):
            return FALLBACK
        tracker = tracking.get("tracker") if isinstance(tracking, dict) else None
        tracker_id = tracker.get("trackerId") if isinstance(tracker, dict) else None
        if not isinstance(tracker_id, str) or not tracker_id:
            return FALLBACK
        kept = _ANSWERED.get()
        if kept is not None:
            # Read now, as the poll would (the same parser, the same answer cache): the
            # decoded answer is dropped at once rather than kept alive until the poll.
            try:
                outcome: TrackOutcome = self.answers.read_decoded(
                    number, courier, raw, lambda: parse_tracking(number, tracking)
                )
            except CourierError as exc:
                outcome = exc
            kept[number] = (tracker_id, outcome)
        return tracker_id

    async def _bulk_register(
        self, numbers: list[str], wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, RegisterOutcome]:
        """One bulk create per 100 numbers, sent concurrently."""
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

    async def poll(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        """The numbers this ``track``'s own track calls registered: what those answered (no
        call, no task); the others: results, one call each."""
        kept = _ANSWERED.get()
        if not kept:
            return await super().poll(registrations)
        out: dict[str, TrackOutcome] = {}
        rest: list[Registration] = []
        for registration in registrations:
            first = kept.pop(registration.tracking_number, None)
            if first is not None and first[0] == registration.upstream_id:
                out[registration.tracking_number] = first[1]
            else:
                rest.append(registration)
        if rest:
            out.update(await super().poll(rest))
        return out

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
