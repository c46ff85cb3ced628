"""What the fake courier servers share: the journey source, fault switches, tokens, inverses.

A fake courier server (``<carrier>/fake.py``) speaks one carrier's documented HTTP protocol on
127.0.0.1 and answers from a **journey source**: a function from a tracking number to what the
carrier knows about it right now::

    JourneySource = Callable[[str], TrackingResult | CourierError | None]

``None`` means the carrier has never heard of the number (its "not found" answer). A
``CourierError`` is played as the carrier would fail: ``CourierRateLimited`` → 429 with
``Retry-After``, ``CourierUnavailable`` → 503, ``CourierAuthError`` → 401,
``CourierResponseInvalid`` → a 200 whose body is not JSON, ``TrackingNumberNotFound`` → the
carrier's not-found answer. The sandbox scenario engine plugs in as a source later; tests build
``TrackingResult`` values by hand.

Every fake app also carries a ``FakeState`` (``app[FAKE_STATE]``) that tests use to inject
faults (``state.faults.set(status=429, retry_after="7")``), expire tokens
(``state.tokens.revoke_all()``) and count requests.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from shiptrack.couriers.connectors.parsing import format_offset as format_offset
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierError,
    CourierEvent,
    CourierRateLimited,
    CourierResponseInvalid,
    CourierUnavailable,
    TrackingNumberNotFound,
    TrackingResult,
)

JourneySource = Callable[[str], TrackingResult | CourierError | None]
"""What a carrier knows about a number now; ``None`` = unknown number."""

#: A body that claims to be JSON and is not: what "malformed" looks like on the wire.
MALFORMED_BODY = b'{"truncated": [1, 2,'


# --- status-code inverses ------------------------------------------------------------------


def inverse_table(table: Mapping[str, str | None]) -> dict[str | None, list[str]]:
    """Ship24 code (or None) → the carrier codes that map to it, in table order."""
    inverse: dict[str | None, list[str]] = {}
    for carrier_code, status_code in table.items():
        inverse.setdefault(status_code, []).append(carrier_code)
    return inverse


_FIRST_CODES: dict[int, tuple[Mapping[str, str | None], dict[str | None, list[str]]]] = {}


def _first_codes(table: Mapping[str, str | None]) -> dict[str | None, list[str]]:
    """``inverse_table(table)``, computed once per table (the status tables are constants;
    a fake renders many events)."""
    cached = _FIRST_CODES.get(id(table))
    if cached is None or cached[0] is not table:
        cached = _FIRST_CODES[id(table)] = (table, inverse_table(table))
    return cached[1]


def carrier_code_for(
    event: CourierEvent,
    table: Mapping[str, str | None],
    preferred: Mapping[str | None, str] | None = None,
    *,
    degrade: bool = False,
) -> str:
    """The carrier code a fake reports for ``event``.

    The event's own ``carrier_status_code`` when the table maps it to the event's
    ``status_code`` (journeys may pin exact codes), else the preferred representative for the
    Ship24 code, else the first carrier code the table maps to it. ``KeyError`` when the
    table has no code for that Ship24 code, unless ``degrade``: then the preferred
    non-significant code (a carrier that cannot say "lost" shows a plain scan instead).
    """
    own = event.carrier_status_code
    if own is not None and own in table and table[own] == event.status_code:
        return own
    if preferred and event.status_code in preferred:
        return preferred[event.status_code]
    candidates = _first_codes(table).get(event.status_code)
    if candidates:
        return candidates[0]
    if degrade and preferred and None in preferred:
        return preferred[None]
    raise KeyError(f"no carrier code maps to {event.status_code!r}")


# --- logistics date-times, split back into a carrier's fields --------------------------------

_LOGISTICS = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$"
)


@dataclass(frozen=True, slots=True)
class LogisticsTime:
    """A logistics date-time split into parts: local date/time and what is known of the zone."""

    date: dt.date
    time: dt.time | None
    #: Offset of the local time from UTC; None when unknown (or for ``Z`` values).
    offset: dt.timedelta | None
    #: The value was given in UTC with the local zone unknown (``…Z``).
    utc: bool

    @classmethod
    def parse(cls, value: str) -> LogisticsTime:
        match = _LOGISTICS.match(value.strip())
        if match is None:
            raise ValueError(f"not a logistics date-time: {value!r}")
        date = dt.date.fromisoformat(match["date"])
        clock = dt.time.fromisoformat(match["time"]) if match["time"] else None
        zone = match["zone"]
        if zone is None:
            return cls(date, clock, None, False)
        if zone == "Z":
            return cls(date, clock, None, True)
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return cls(date, clock, offset, False)

    @property
    def local(self) -> dt.datetime | None:
        """The wall-clock date-time (UTC wall clock for ``Z`` values), None for date-only."""
        if self.time is None:
            return None
        return dt.datetime.combine(self.date, self.time)

    @property
    def instant(self) -> dt.datetime | None:
        """The UTC instant when it is known (offset given, or ``Z``)."""
        local = self.local
        if local is None:
            return None
        if self.utc:
            return local.replace(tzinfo=dt.UTC)
        if self.offset is None:
            return None
        return (local - self.offset).replace(tzinfo=dt.UTC)


# --- locations -------------------------------------------------------------------------------

_STATE_ZIP = re.compile(r"^(?:(?P<state>[A-Z]{2,3})(?: (?P<zip>\S.*))?|(?P<zip_only>\d\S*))$")


@dataclass(frozen=True, slots=True)
class LocationParts:
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None


def split_location(location: str | None) -> LocationParts:
    """``"HERNANDO, FL 34442, US"`` → its parts (the inverse of the connectors' formatting)."""
    if not location:
        return LocationParts()
    parts = [part.strip() for part in location.split(",")]
    country = None
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{2}", parts[-1]):
        country = parts.pop()
    city = parts[0] or None
    state = postal_code = None
    if len(parts) > 1:
        match = _STATE_ZIP.match(parts[1])
        if match is not None:
            state = match["state"]
            postal_code = match["zip"] or match["zip_only"]
        else:
            city = ", ".join(parts)
    return LocationParts(city, state, postal_code, country)


# --- fault injection and tokens --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected answer: an HTTP status (with Retry-After) or a malformed 200 body."""

    status: int = 200
    retry_after: str | None = None
    malformed: bool = False


@dataclass(slots=True)
class FaultSwitch:
    """A per-app switch tests flip: the next tracking calls answer with ``fault``."""

    fault: Fault | None = None
    #: How many calls the fault lasts; None = until ``clear()``.
    remaining: int | None = None

    def set(
        self,
        *,
        status: int = 200,
        retry_after: str | None = None,
        malformed: bool = False,
        times: int | None = None,
    ) -> None:
        self.fault = Fault(status, retry_after, malformed)
        self.remaining = times

    def clear(self) -> None:
        self.fault = None
        self.remaining = None

    def take(self) -> Fault | None:
        """The fault for this call, if any (consumes one use)."""
        fault = self.fault
        if fault is None:
            return None
        if self.remaining is not None:
            self.remaining -= 1
            if self.remaining <= 0:
                self.clear()
        return fault


class TokenStore:
    """Bearer tokens a fake issued, each valid ``lifetime`` seconds (server clock)."""

    def __init__(self, lifetime: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime = lifetime
        self._clock = clock
        self._expiry: dict[str, float] = {}
        #: Token requests that were granted.
        self.issued = 0

    def issue(self) -> tuple[str, int]:
        """A new token and the lifetime to advertise. A test lifetime under a minute is
        advertised as a minute, so clients keep a token the server has already expired —
        exactly how a 401-after-expiry happens in real life, whatever the machine's load."""
        token = secrets.token_urlsafe(24)
        self._expiry[token] = self._clock() + self.lifetime
        self.issued += 1
        return token, max(60, int(-(-self.lifetime // 1)))

    def valid(self, token: str | None) -> bool:
        if not token:
            return False
        expiry = self._expiry.get(token)
        return expiry is not None and self._clock() < expiry

    def revoke_all(self) -> None:
        """Expire every token issued so far (the next call with one gets a 401)."""
        self._expiry.clear()


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@dataclass(slots=True)
class FakeState:
    """Everything a fake app holds; tests reach it through ``app[FAKE_STATE]``."""

    source: JourneySource
    client_id: str
    client_secret: str
    tokens: TokenStore
    faults: FaultSwitch = field(default_factory=FaultSwitch)
    #: Token requests received (granted or refused).
    token_requests: int = 0
    #: Tracking requests received, and the numbers each asked for.
    track_requests: int = 0
    requested: list[list[str]] = field(default_factory=list)

    def credentials_match(self, client_id: object, client_secret: object) -> bool:
        """Constant-time check of presented credentials (anything not a string fails)."""
        given_id = client_id if isinstance(client_id, str) else ""
        given_secret = client_secret if isinstance(client_secret, str) else ""
        id_ok = secrets.compare_digest(given_id.encode(), self.client_id.encode())
        secret_ok = secrets.compare_digest(given_secret.encode(), self.client_secret.encode())
        return bool(given_id and given_secret) and id_ok and secret_ok

    def record_track(self, numbers: list[str]) -> Fault | None:
        """Count one tracking request for ``numbers``; the injected fault to answer, if any."""
        self.track_requests += 1
        self.requested.append(numbers)
        return self.faults.take()


FAKE_STATE = web.AppKey("shiptrack_fake_state", FakeState)


def new_state(
    source: JourneySource, *, client_id: str, client_secret: str, token_lifetime: float
) -> FakeState:
    return FakeState(source, client_id, client_secret, TokenStore(token_lifetime))


def fake_app(state: FakeState, *routes: web.RouteDef) -> web.Application:
    """A fake carrier's aiohttp app: ``routes``, and ``state`` as ``app[FAKE_STATE]``."""
    app = web.Application()
    app[FAKE_STATE] = state
    app.add_routes(routes)
    return app


# --- journey outcomes → wire behaviour -------------------------------------------------------


def look_up(source: JourneySource, number: str) -> TrackingResult | CourierError:
    """The source's answer with "unknown number" made explicit as ``TrackingNumberNotFound``."""
    outcome = source(number)
    return TrackingNumberNotFound(number) if outcome is None else outcome


def call_failure(outcomes: Iterable[TrackingResult | CourierError]) -> Fault | None:
    """The whole-call failure a set of outcomes asks for (not-found stays per number)."""
    for outcome in outcomes:
        if isinstance(outcome, TrackingNumberNotFound) or not isinstance(outcome, CourierError):
            continue
        return fault_for(outcome)
    return None


def fault_for(error: CourierError) -> Fault:
    """How a carrier's server shows a ``CourierError`` on the wire."""
    retry_after = None if error.retry_after is None else f"{error.retry_after:g}"
    if isinstance(error, CourierRateLimited):
        return Fault(429, retry_after or "1")
    if isinstance(error, CourierAuthError):
        return Fault(401)
    if isinstance(error, CourierResponseInvalid):
        return Fault(200, malformed=True)
    if isinstance(error, CourierUnavailable):
        return Fault(503, retry_after)
    return Fault(500)


def malformed_response() -> web.Response:
    return web.Response(body=MALFORMED_BODY, content_type="application/json")


def retry_after_headers(fault: Fault) -> dict[str, str]:
    """The ``Retry-After`` header of a fault's answer, when it has one."""
    return {"Retry-After": fault.retry_after} if fault.retry_after else {}


def ordered_events(events: Iterable[CourierEvent]) -> list[CourierEvent]:
    """A journey's events oldest first: by ``order`` when given, else in the source's order."""
    indexed = list(enumerate(events))
    indexed.sort(key=lambda item: item[1].order if item[1].order is not None else item[0])
    return [event for _, event in indexed]


@asynccontextmanager
async def serve(app: web.Application, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Run a fake app on ``host`` (loopback by default) on a free port; yields its origin URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    address = runner.addresses[0]
    try:
        yield f"http://{host}:{address[1]}"
    finally:
        await runner.cleanup()
