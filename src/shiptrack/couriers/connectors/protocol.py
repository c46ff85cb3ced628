"""The contract between the tracking engine and a courier data source (a *connector*).

A connector turns tracking numbers into courier events. It never touches the database: the
engine hands it numbers and hints, it answers one outcome per number, and the engine merges,
stores and notifies. All outbound HTTP goes through the process's shared ``aiohttp`` session,
which the connector receives when it is built.

Errors are values, per number, so that one bad number never hides the others' results::

    CourierError                      base; ``retry_after`` in seconds when the courier said so
    ├── CourierUnavailable            timeouts, connection errors, 5xx: try again later
    ├── CourierRateLimited            429: wait ``retry_after`` before calling this courier again
    │   └── BudgetExhausted           the operator's budget for the source is spent until a refill
    ├── CourierAuthError              401/403: credentials missing, wrong or expired
    ├── CourierResponseInvalid        a body that does not parse or breaks the documented format
    └── TrackingNumberNotFound        the courier does not know this number (yet)
        └── WaitingForPush            registered upstream, nothing yet: its push will bring it

A connector may also raise one of these from ``track`` when the whole call failed; the engine
then applies it to every number of the call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings


class CourierError(Exception):
    """A courier could not answer for a number. ``retry_after`` is in seconds, if known."""

    def __init__(self, message: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(message or self.__class__.__name__)
        self.retry_after = retry_after


class CourierUnavailable(CourierError):
    """Timeout, connection error or 5xx: transient, retry with backoff."""


class CourierRateLimited(CourierError):
    """The courier answered 429; do not call it again before ``retry_after`` seconds.

    ``courier_wide`` (the default, as an HTTP 429 limits the whole API key) holds back every
    call to the connector; False limits only the number it is given for.
    """

    def __init__(
        self, message: str = "", *, retry_after: float | None = None, courier_wide: bool = True
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self.courier_wide = courier_wide


class CourierAuthError(CourierError):
    """Credentials are missing, wrong or expired (401/403 after a token refresh)."""


class CourierResponseInvalid(CourierError):
    """The courier's body could not be parsed or breaks its documented format."""


class TrackingNumberNotFound(CourierError):
    """The courier has no data for this number (yet)."""


#: The ``budget`` of a ``BudgetExhausted`` that is a provider's documented rate limit
#: (``connectors/pacing.py``): the tracker is checked again as soon as a slot is free.
RATE_LIMIT_BUDGET = "rate_limit"


class BudgetExhausted(CourierRateLimited):
    """The operator's budget for a source (registrations per day or month, calls per minute)
    is spent: nothing is asked of the source before ``retry_after`` seconds, when the budget
    refills. ``budget`` names it (``registrations_day``, ``registrations_month``,
    ``calls_minute``, or ``RATE_LIMIT_BUDGET``: the provider's per-second limit has no slot
    soon enough); ``refills_at``, when known, is the moment it refills (the engine
    schedules the tracker from it, not from ``retry_after`` counted from some later
    instant). Not a failure of the tracker: the engine waits, and says so."""

    def __init__(
        self,
        message: str = "",
        *,
        budget: str,
        retry_after: float | None = None,
        courier_wide: bool = False,
        refills_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(message, retry_after=retry_after, courier_wide=courier_wide)
        self.budget = budget
        self.refills_at = refills_at


class WaitingForPush(TrackingNumberNotFound):
    """An upstream has the number registered and nothing to say yet; it pushes what it
    learns to the callback, and polling remains the fallback."""


@dataclass(frozen=True, slots=True)
class TrackingHints:
    """What the client told us about a shipment; connectors use what their API accepts."""

    courier_codes: tuple[str, ...] = ()
    origin_country_code: str | None = None
    destination_country_code: str | None = None
    destination_post_code: str | None = None
    shipping_date: dt.date | None = None
    #: When shiptrack started tracking this number (the tracker's creation, UTC). Scripted
    #: sandbox journeys play out relative to it; real carriers ignore it.
    tracking_started_at: dt.datetime | None = None
    #: How many times the engine has checked this number before this call.
    previous_checks: int = 0


# Not ``frozen``: a frozen dataclass's ``__init__`` sets each field through
# ``object.__setattr__``, twice the cost of a plain one, and every check builds one per event.
# Never changed once made all the same (equal and hashed by value, as when it was frozen).
@dataclass(slots=True, unsafe_hash=True)
class CourierEvent:
    """One scan as a courier reported it, normalised to Ship24's vocabulary.

    ``occurrence_datetime`` is a *logistics date-time* string: ``2024-05-01T10:20:00`` (local
    time, offset unknown — the usual case), ``2024-05-01T10:20:00+02:00`` (local with offset),
    ``2024-05-01T08:20:00Z`` (UTC, local zone unknown) or ``2024-05-01`` (date only). A local
    time must never be labelled as UTC.
    """

    tracking_number: str
    occurrence_datetime: str
    status: str | None
    status_code: str | None
    location: str | None = None
    courier_code: str | None = None
    source_code: str | None = None
    carrier_status_code: str | None = None
    #: Position in the courier's own list when it gives one (lower = older); tie-breaker.
    order: int | None = None
    #: What decided ``status_code``: ``table:<courier>:<code>`` (the connector's own table),
    #: a status-normaliser rule id, ``model.mix:<feature>``, or ``unmatched``.
    rule_id: str | None = None

    def with_courier(self, courier_code: str) -> CourierEvent:
        """This event said of ``courier_code``: ``dataclasses.replace`` without its per-call
        field walk (~4× the cost), for every checkpoint of every push (``sources/push.py``)."""
        return CourierEvent(
            self.tracking_number,
            self.occurrence_datetime,
            self.status,
            self.status_code,
            self.location,
            courier_code,
            self.source_code,
            self.carrier_status_code,
            self.order,
            self.rule_id,
        )


@dataclass(frozen=True, slots=True)
class LinkedTrackingNumber:
    """A second tracking number a courier revealed (a hand-over, a return label...)."""

    tracking_number: str
    courier_code: str | None = None


@dataclass(slots=True, weakref_slot=True)
class TrackingResult:
    """Everything one courier knows about one tracking number. Weakly referable: the
    refresher remembers which results it stored for a tracker (``tracking.stored_answers``)
    without keeping them alive."""

    tracking_number: str
    courier_code: str
    source_code: str
    events: list[CourierEvent] = field(default_factory=list)
    origin_country_code: str | None = None
    destination_country_code: str | None = None
    #: Logistics date-times; ``estimated_delivery_from/to`` is a window when the courier gives one.
    estimated_delivery: str | None = None
    estimated_delivery_from: str | None = None
    estimated_delivery_to: str | None = None
    service: str | None = None
    signed_by: str | None = None
    linked_numbers: list[LinkedTrackingNumber] = field(default_factory=list)
    recipient_post_code: str | None = None
    recipient_city: str | None = None


TrackOutcome = TrackingResult | CourierError


@dataclass(frozen=True, slots=True)
class ConnectorInfo:
    """What a connector declares about itself; the scheduler plans around it."""

    #: Data-source code shown in events' ``sourceCode`` (e.g. ``usps-tracking``).
    source_code: str
    #: Ship24 courier codes this source can answer for.
    courier_codes: frozenset[str]
    #: Most numbers per ``track`` call.
    batch_size: int = 1
    #: Shortest time between two checks of the same number, in seconds.
    min_interval: float = 60.0
    #: Most calls per second to this courier (all numbers together).
    rate_limit: float = 10.0
    #: Timeout for one ``track`` call, in seconds.
    timeout: float = 20.0
    #: Simulated seconds per real second of the journeys the source plays: the scheduler
    #: divides its waits by it (the sandbox's ``SHIPTRACK_SANDBOX_TIME_SCALE``; 1 for every
    #: real source).
    time_scale: float = 1.0
    #: ``carrier``, ``aggregator`` or ``sandbox`` (``SourceKind``): when two sources report
    #: the same scan or shipment field, a carrier's own connector wins over an aggregator.
    kind: str = "carrier"


#: ``carrier``: a carrier's own API (free, most detailed); ``aggregator``: an upstream tracking
#: service covering many couriers on the user's key; ``sandbox``: shiptrack's scripted courier.
SourceKind = Literal["carrier", "aggregator", "sandbox"]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What a data source declares about itself whether or not it is configured, so that an
    installation can say which couriers each source could track and how to enable it.

    A source package exposes one as ``SOURCE`` in the module its ``shiptrack.connectors``
    entry point names. An aggregator declares the Ship24 courier codes its own courier list
    maps to (often hundreds); a carrier, the codes of its brands.
    """

    #: The entry-point name (``usps``), as ``shiptrack couriers check`` shows it.
    name: str
    #: Who runs the source, for people ("USPS", "17TRACK").
    title: str
    kind: SourceKind
    #: Data-source code of its events (``usps-tracking``), as in ``ConnectorInfo``.
    source_code: str
    #: Ship24 courier codes the source can track once enabled.
    courier_codes: frozenset[str]
    #: What the operator does to enable it ("set SHIPTRACK_USPS_CLIENT_ID and ...").
    enable: str


@runtime_checkable
class Connector(Protocol):
    """A courier data source. ``track`` answers one outcome for every number it was given."""

    info: ConnectorInfo

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]: ...

    def claims(self, tracking_number: str) -> bool:
        """True when this source recognises the number as its own whatever the courier code
        (the sandbox's numbers); real carriers answer False and are chosen by courier code."""
        ...

    def check_again_in(self, tracking_number: str, started_at: dt.datetime) -> float | None:
        """Real seconds until this source expects something new for the number, when it knows
        (the sandbox knows when its next scripted event appears); None leaves the wait to the
        engine's cadence. ``started_at`` is when tracking started. The engine checks no later
        than this, and never sooner than ``info.min_interval``."""
        ...

    def number_problem(self, tracking_number: str) -> str | None:
        """Why this source can never track the number although it is written in the source's
        own form (the sandbox: a number breaking its scenario grammar), for a tracker's
        diagnostics; None when the source sees no problem (real carriers, so far)."""
        ...

    async def aclose(self) -> None: ...


#: Builds a connector from the settings and the shared HTTP session; ``None`` when the connector
#: is not configured (no credentials) or disabled. Third-party packages register factories under
#: the ``shiptrack.connectors`` entry-point group.
ConnectorFactory = Callable[["Settings", "aiohttp.ClientSession"], "Connector | None"]
