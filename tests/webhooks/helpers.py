"""Test helpers: trackers with a realistic journey, outbox writes as the engine makes them, and
a real webhook receiver on 127.0.0.1 that verifies every message like a customer would.

Loaded as ``webhook_helpers`` by this directory's conftest (pytest's importlib mode does not
put test directories on ``sys.path``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from shiptrack.accounts import service as accounts
from shiptrack.app import replace_services, services_of
from shiptrack.clock import format_timestamp, utcnow
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.db.engine import Database
from shiptrack.trackers import service as trackers
from shiptrack.trackers.validation import parse_tracker_input
from shiptrack.webhooks.delivery.outbox import Outbox
from shiptrack.webhooks.endpoints import service as webhooks

# --- the journey of Ship24's example (9 events, China Post then USPS, delivered) ------------

#: (eventTrackingNumber, status, occurrenceDatetime, location, sourceCode, courierCode,
#:  statusCode, statusMilestone)
JOURNEY: list[tuple[str, str, str, str, str, str, str | None, str]] = [
    ("9400115901047177598206", "Package Received", "2025-03-02T15:38:57", "Beijing",
     "china-post-tracking", "cn-post", None, "in_transit"),
    ("9400115901047177598206", "Departure from Local Sorting Center", "2025-03-02T19:24:57",
     "Beijing", "china-post-tracking", "cn-post", None, "in_transit"),
    ("9400115901047177598206", "Dispatched from Office of Exchange", "2025-03-02T22:23:41",
     "Beijing", "china-post-tracking", "cn-post", None, "in_transit"),
    ("9400115901047177598206", "Flight Departure", "2025-03-02T23:24:50", "Beijing airport",
     "china-post-tracking", "cn-post", None, "in_transit"),
    ("9400111202544843610364", "Arrived at Regional Facility", "2025-03-03T15:38:57",
     "LOS ANGELES CA INTERNATIONAL DISTRIBUTION CENTER", "usps-tracking", "us-post", None,
     "in_transit"),
    ("9400111202544843610364", "Processed Through Regional Facility", "2025-03-03T17:12:57",
     "LOS ANGELES CA INTERNATIONAL DISTRIBUTION CENTER", "usps-tracking", "us-post", None,
     "in_transit"),
    ("9400111202544843610364", "Arrived at Hub, Your item arrived at the hub.",
     "2025-03-04T06:12:57", "SAN RAFAEL, CA 94901", "usps-tracking", "us-post", None,
     "in_transit"),
    ("9400111202544843610364", "Out for Delivery", "2025-03-04T10:12:57",
     "SAN RAFAEL, CA 94901", "usps-tracking", "us-post", "delivery_out_for_delivery",
     "out_for_delivery"),
    ("9400111202544843610364", "Delivered to the addressee", "2025-03-04T17:12:57",
     "SAN RAFAEL, CA 94901", "usps-tracking", "us-post", "delivery_delivered", "delivered"),
]  # fmt: skip


@dataclass
class Journey:
    """A tracker and its journey; ``step(n)`` is what the engine hands the outbox when it
    discovers events ``done+1 … n``."""

    account_id: str
    tracker_id: str
    tracking_number: str
    created_at: dt.datetime
    client_tracker_id: str | None = None
    shipment_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    events: list[dict[str, Any]] = field(default_factory=list)
    done: int = 0
    #: Where ``step`` writes: by default an outbox that reads the account's webhook at every
    #: step (no cache), so that a webhook changed between steps applies at once.
    outbox: Outbox = field(default_factory=lambda: fresh_outbox(fast_settings()))

    def __post_init__(self) -> None:
        for n, (etn, status, when, place, source, courier, code, milestone) in enumerate(
            JOURNEY, 1
        ):
            self.events.append(
                {
                    "eventId": str(uuid.uuid4()),
                    "trackingNumber": self.tracking_number,
                    "eventTrackingNumber": etn,
                    "status": status,
                    "occurrenceDatetime": when,
                    "order": n,
                    "location": place,
                    "sourceCode": source,
                    "courierCode": courier,
                    "statusCode": code,
                    "statusCategory": code.split("_", 1)[0] if code else None,
                    "statusMilestone": milestone,
                    "sequence": n,
                }
            )

    def tracker(self) -> dict[str, Any]:
        return {
            "trackerId": self.tracker_id,
            "trackingNumber": self.tracking_number,
            "shipmentReference": None,
            "clientTrackerId": self.client_tracker_id,
            "isSubscribed": True,
            "createdAt": format_timestamp(self.created_at),
        }

    def tracking(self, upto: int) -> dict[str, Any]:
        """The current state after events 1..upto."""
        seen = self.events[:upto]
        newest = seen[-1]
        coded = [e for e in seen if e["statusCode"]]

        def first(milestone: str) -> str | None:
            return next(
                (e["occurrenceDatetime"] for e in seen if e["statusMilestone"] == milestone),
                None,
            )

        return {
            "tracker": self.tracker(),
            "shipment": {
                "shipmentId": self.shipment_id,
                "statusCode": coded[-1]["statusCode"] if coded else None,
                "statusCategory": coded[-1]["statusCategory"] if coded else None,
                "statusMilestone": newest["statusMilestone"],
                "originCountryCode": "CN",
                "destinationCountryCode": "US",
                "delivery": {
                    "estimatedDeliveryDate": None,
                    "courierEstimatedDeliveryDate": None,
                    "service": None,
                    "signedBy": None,
                },
                "trackingNumbers": [
                    {"tn": self.tracking_number},
                    {"tn": "9400111202544843610364"},
                ],
                "recipient": None,
            },
            "statistics": {
                "timestamps": {
                    "infoReceivedDatetime": first("in_transit"),
                    "inTransitDatetime": first("in_transit"),
                    "outForDeliveryDatetime": first("out_for_delivery"),
                    "failedAttemptDatetime": None,
                    "availableForPickupDatetime": None,
                    "exceptionDatetime": None,
                    "deliveredDatetime": first("delivered"),
                }
            },
        }

    async def step(self, db: Database, upto: int, now: dt.datetime | None = None) -> int:
        """Store events ``done+1 … upto`` the way the engine does: one write transaction."""
        new = self.events[self.done : upto]
        async with db.write() as conn:
            written = await self.outbox.record_tracking_update(
                conn,
                account_id=self.account_id,
                tracker_id=self.tracker_id,
                tracking=self.tracking(upto),
                new_events=new,
                now=now or utcnow(),
            )
        self.done = upto
        return written


async def api_journey(client: Any, number: str = "JRNY0001", **fields: Any) -> Journey:
    """A tracker created through the API (``client``) and its journey."""
    response = await client.post("/trackers", json={"trackingNumber": number, **fields})
    assert response.status_code == 201, response.text
    tracker = response.json()["data"]["tracker"]
    return Journey(
        client.account_id,
        tracker["trackerId"],
        tracker["trackingNumber"],
        dt.datetime.fromisoformat(tracker["createdAt"]),
        tracker["clientTrackerId"],
    )


async def new_account(db: Database, name: str | None = None) -> str:
    created = await accounts.create_account(db, name or f"acct-{uuid.uuid4().hex[:8]}")
    return created.account.id


async def new_journey(
    db: Database,
    account_id: str,
    number: str | None = None,
    client_tracker_id: str | None = None,
    *,
    outbox: Outbox | None = None,
) -> Journey:
    number = number or f"JRNY{uuid.uuid4().hex[:12].upper()}"
    body: dict[str, Any] = {"trackingNumber": number}
    if client_tracker_id:
        body["clientTrackerId"] = client_tracker_id
    item = parse_tracker_input(body, max_age_days=180, today=utcnow().date())
    (outcome,) = await trackers.create_many(db, account_id, [item])
    row = outcome.row
    journey = Journey(account_id, row.id, row.tracking_number, row.created_at, client_tracker_id)
    if outbox is not None:
        journey.outbox = outbox
    return journey


async def set_endpoint(
    db: Database, account_id: str, url: str, settings: WebhookSettings, **fields: Any
) -> str:
    """Configure the account's webhook without the HEAD probe; returns the secret."""
    async with aiohttp.ClientSession() as session:
        state = await webhooks.set_webhook(
            db, session, settings, account_id, {"url": url, **fields}, probe_url=False
        )
    assert state.secret is not None
    return state.secret


# --- a receiver ---------------------------------------------------------------------------------


@dataclass
class Received:
    message_id: str
    headers: dict[str, str]
    body: bytes
    payload: Any
    at: float


#: What the receiver does with a request: (status, headers, body, delay seconds).
Behaviour = Callable[["Receiver", web.Request, int], tuple[int, dict[str, str], bytes, float]]


def always_ok(_r: Receiver, _req: web.Request, _n: int) -> tuple[int, dict[str, str], bytes, float]:
    return 200, {}, b'{"ok":true}', 0.0


class Receiver:
    """An aiohttp server on 127.0.0.1 that accepts a message only if the bearer header is one
    of ``bearers`` and the signature verifies with one of ``secrets`` (standardwebhooks)."""

    def __init__(self) -> None:
        self.secrets: list[str] = []
        self.bearers: list[str] = []
        self.behaviour: Behaviour = always_ok
        self.received: list[Received] = []  # verified and answered 2xx
        self.requests: list[Received] = []  # every verified request, whatever the answer
        self.rejected: list[str] = []
        self.heads = 0
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.arrived = asyncio.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def start(self, port: int = 0) -> Receiver:
        app = web.Application()
        app.router.add_route("POST", "/hooks", self._post)
        app.router.add_route("HEAD", "/hooks", self._head)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port or self.port or 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _head(self, request: web.Request) -> web.Response:
        self.heads += 1
        return web.Response(status=200)

    def verify(self, body: bytes, headers: dict[str, str]) -> Any:
        bearer = headers.get("Authorization", "")
        if not any(bearer == f"Bearer {b}" for b in self.bearers):
            raise WebhookVerificationError("bearer secret mismatch")
        last: Exception | None = None
        for secret in self.secrets:
            try:
                return Webhook(secret).verify(body, headers)
            except WebhookVerificationError as exc:
                last = exc
        raise last or WebhookVerificationError("no secret")

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = dict(request.headers)
        try:
            payload = self.verify(body, headers)
        except WebhookVerificationError as exc:
            self.rejected.append(str(exc))
            return web.Response(status=401, text=str(exc))
        item = Received(headers["webhook-id"], headers, body, payload, time.time())
        self.requests.append(item)
        status, extra, answer, delay = self.behaviour(self, request, len(self.requests))
        if delay:
            await asyncio.sleep(delay)
        # A sender that went away meanwhile (killed, timed out) never gets this answer: that
        # is not a delivery, whatever the status.
        answered = request.transport is not None and not request.transport.is_closing()
        if 200 <= status < 300 and answered:
            self.received.append(item)
        self.arrived.set()
        return web.Response(status=status, headers=extra, body=answer)

    async def wait_for(self, count: int, timeout: float = 20.0) -> None:
        """Wait until ``count`` distinct messages were accepted (answered 2xx)."""
        deadline = time.monotonic() + timeout
        while len(set(self.ids())) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"receiver got {len(self.received)} of {count} messages "
                    f"(rejected: {self.rejected[:3]})"
                )
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), min(remaining, 0.2))
            except TimeoutError:
                pass

    def ids(self) -> list[str]:
        return [r.message_id for r in self.received]


def fresh_outbox(settings: WebhookSettings) -> Outbox:
    """An outbox with ``settings`` that caches no account's webhook (reads it every time)."""
    return Outbox(settings, settings_ttl=0.0)


def use_webhook_settings(app: Any, settings: WebhookSettings) -> None:
    """Serve ``app``'s webhook endpoints with other webhook settings (the ``webhook`` section
    of the app's settings, in a new ``Services``)."""
    current = services_of(app).settings
    replace_services(app, settings=current.model_copy(update={"webhook": settings}))


def fast_settings(**overrides: Any) -> WebhookSettings:
    """Settings for tests: short schedule, loopback allowed, quick polling."""
    values: dict[str, Any] = {
        "allow_private": True,
        "retry_schedule": [0.2, 0.2, 0.2],
        "retry_jitter": 0.0,
        "poll_interval_seconds": 0.05,
        "timeout_seconds": 2.0,
        "probe_on_save": False,
    }
    values.update(overrides)
    return WebhookSettings(_env_file=None, **values)  # type: ignore[call-arg]
