"""A shipment's timeline: dedupe, order, milestones, statistics and current status.

Pure functions over events; the refresh pipeline and the results presenter call them in this
order::

    new = merge(stored, incoming)                  # drop what is already known
    timeline = order_events([*stored, *new])       # oldest first
    summary = summarise(timeline)                  # milestones, statistics, status

Anything with the attributes of :class:`EventLike` is an event here: the connectors'
``CourierEvent``, the :class:`TimelineEvent` below, or the engine's own row objects.

**What makes two events "the same"** (:func:`event_fingerprint`): the same event tracking
number, the same occurrence to the minute (wall clock as written, offset dropped; the day for a
date-only value), and either the same ``statusCode`` or — for an event without a code — the
same raw status text once case, punctuation and spacing are normalised. The courier, the data
source, the location wording and ``order`` do not count, so one scan reported by two sources
(an aggregator and the last-mile carrier) is stored once. Two *different* events at the same
minute with the same code cannot happen physically; two without a code differ by their text.

**The same scan from two sources** (:func:`same_scan`). Fingerprints catch a scan two sources
report alike; they miss one whose sources disagree on its ``statusCode`` (a carrier's table
names "Arrived in destination country" exactly, an aggregator's vocabulary only "in transit")
or on the minute (an aggregator that drops seconds rounds up). When a shipment's events come
from more than one source the engine also compares each new event with the others: two
events are one scan when they have the same tracking number, occur within
:data:`SAME_SCAN_TOLERANCE` of each other (exact instants when both carry an offset or ``Z``;
else wall clocks as written, since an aggregator may drop the zone; a date-only value matches
any time of its day), and either say the same normalised text (case, punctuation and spacing
ignored) or carry the same ``statusCode`` at compatible locations (the same normalised
location, or one of them without one). Which report is kept: :func:`source_rank` — a
carrier's own connector over an aggregator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from shiptrack.couriers.connectors.protocol import CourierEvent, LinkedTrackingNumber
from shiptrack.status import logistics_time
from shiptrack.status.taxonomy import category_of, next_milestone


class EventLike(Protocol):
    """The attributes the timeline reads from an event."""

    @property
    def tracking_number(self) -> str: ...
    @property
    def occurrence_datetime(self) -> str: ...
    @property
    def status(self) -> str | None: ...
    @property
    def status_code(self) -> str | None: ...
    @property
    def order(self) -> int | None: ...


E = TypeVar("E", bound=EventLike)


# Not ``frozen``, for the same reason as ``CourierEvent`` (half the cost to make, one per new
# event); never changed once made, equal and hashed by value.
@dataclass(slots=True, unsafe_hash=True)
class TimelineEvent:
    """A stored event: a courier event plus its id and its place in the discovery order."""

    event_id: str
    #: Per shipment, in the order events were discovered (1, 2, ...); the last tie-breaker.
    sequence: int
    tracking_number: str
    occurrence_datetime: str
    status: str | None
    status_code: str | None
    location: str | None = None
    courier_code: str | None = None
    source_code: str | None = None
    carrier_status_code: str | None = None
    order: int | None = None
    #: What decided ``status_code``: a carrier table entry, a normaliser rule, or ``unmatched``.
    rule_id: str | None = None

    @property
    def status_category(self) -> str | None:
        return category_of(self.status_code)

    @classmethod
    def from_courier_event(
        cls, event: CourierEvent, *, event_id: str, sequence: int
    ) -> TimelineEvent:
        return cls(
            event_id=event_id,
            sequence=sequence,
            tracking_number=event.tracking_number,
            occurrence_datetime=event.occurrence_datetime,
            status=event.status,
            status_code=event.status_code,
            location=event.location,
            courier_code=event.courier_code,
            source_code=event.source_code,
            carrier_status_code=event.carrier_status_code,
            order=event.order,
            rule_id=event.rule_id,
        )


@dataclass(frozen=True, slots=True)
class ShipmentSummary(Generic[E]):
    """What a shipment's events say about it, from :func:`summarise`."""

    #: The events, oldest first, and the milestone after each of them (same length).
    events: list[E]
    milestones: list[str]
    status_code: str | None
    status_category: str | None
    status_milestone: str
    #: Ship24's ``statistics`` object: ``{"timestamps": {...}}``.
    statistics: dict[str, dict[str, str | None]]


_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=16_384)
def normalise_text(text: str | None) -> str:
    """Status text reduced for comparison: case-folded, punctuation and spacing collapsed.
    Memoised: couriers repeat the same few hundred texts, and every new event's fingerprint
    without a status code reads its text."""
    return _NOT_WORD.sub(" ", (text or "").casefold()).strip()


def event_fingerprint(event: EventLike) -> str:
    """A 32-hex-digit key, equal for two reports of the same event (see the module docstring)."""
    if event.status_code:
        what = f"code:{event.status_code}"
    else:
        what = f"text:{normalise_text(event.status)}"
    number = event.tracking_number.strip().upper()
    key = f"{number}\x1f{logistics_time.wall_minute(event.occurrence_datetime)}\x1f{what}"
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


#: Two reports of one scan are at most this far apart (an aggregator may drop seconds).
SAME_SCAN_TOLERANCE = dt.timedelta(seconds=60)


class ScanLike(EventLike, Protocol):
    """What :func:`same_scan` reads besides the timeline's attributes."""

    @property
    def location(self) -> str | None: ...


def _close_in_time(a: str, b: str) -> bool:
    try:
        left, right = logistics_time.parse(a), logistics_time.parse(b)
    except ValueError:
        return a.strip() == b.strip()
    if left.kind == "date" or right.kind == "date":
        return left.wall.date() == right.wall.date()
    if left.instant is not None and right.instant is not None:
        return abs(left.instant - right.instant) <= SAME_SCAN_TOLERANCE
    return abs(left.wall - right.wall) <= SAME_SCAN_TOLERANCE


def same_scan(a: ScanLike, b: ScanLike) -> bool:
    """Whether two events, from two sources, report one scan (see the module docstring)."""
    if a.tracking_number.strip().upper() != b.tracking_number.strip().upper():
        return False
    if not _close_in_time(a.occurrence_datetime, b.occurrence_datetime):
        return False
    text_a, text_b = normalise_text(a.status), normalise_text(b.status)
    if text_a and text_a == text_b:
        return True
    if not a.status_code or a.status_code != b.status_code:
        return False
    place_a, place_b = normalise_text(a.location), normalise_text(b.location)
    return not place_a or not place_b or place_a == place_b


def source_rank(kind: str | None) -> int:
    """Which report of a scan or a shipment field wins: lower is better. A carrier's own
    connector (and the sandbox) ranks 0, an aggregator 1."""
    return 1 if kind == "aggregator" else 0


def merge(existing: Iterable[EventLike | str], incoming: Iterable[E]) -> list[E]:
    """The events of ``incoming`` that are new, in their incoming order.

    ``existing`` holds the stored events or just their fingerprints (as stored). An incoming
    event is dropped when its fingerprint is already stored or appeared earlier in ``incoming``.
    """
    seen = {item if isinstance(item, str) else event_fingerprint(item) for item in existing}
    new: list[E] = []
    for event in incoming:
        fingerprint = event_fingerprint(event)
        if fingerprint not in seen:
            seen.add(fingerprint)
            new.append(event)
    return new


def event_sort_key(event: EventLike) -> tuple[object, ...]:
    """Oldest first: approximate instant, then ``order`` (lower is older; missing last)."""
    return (
        logistics_time.sort_instant(event.occurrence_datetime),
        event.order is None,
        event.order or 0,
    )


def order_events(events: Iterable[E]) -> list[E]:
    """The events oldest first. The sort is stable: pass events in discovery order (stored
    events by ``sequence``, then new ones) and full ties keep that order."""
    return sorted(events, key=event_sort_key)


def milestones(events_oldest_first: Iterable[EventLike]) -> list[str]:
    """The shipment milestone after each event, starting from ``pending``."""
    current = "pending"
    result: list[str] = []
    for event in events_oldest_first:
        current = next_milestone(current, event.status_code)
        result.append(current)
    return result


#: statistics.timestamps keys, in Ship24's order, and the milestone each one records.
STATISTICS_KEYS: dict[str, str] = {
    "infoReceivedDatetime": "info_received",
    "inTransitDatetime": "in_transit",
    "outForDeliveryDatetime": "out_for_delivery",
    "failedAttemptDatetime": "failed_attempt",
    "availableForPickupDatetime": "available_for_pickup",
    "exceptionDatetime": "exception",
    "deliveredDatetime": "delivered",
}


def statistics(
    events: Sequence[EventLike], milestones: Sequence[str]
) -> dict[str, dict[str, str | None]]:
    """Ship24's ``statistics``: for each milestone, the occurrence of the first event (oldest
    first) that carries it. A shipment that never had ``info_received`` gets the first
    ``in_transit`` time there too (Ship24's back-fill); no other milestone is back-filled."""
    first: dict[str, str] = {}
    for event, milestone in zip(events, milestones, strict=True):
        first.setdefault(milestone, event.occurrence_datetime)
    if "info_received" not in first and "in_transit" in first:
        first["info_received"] = first["in_transit"]
    return {"timestamps": {key: first.get(m) for key, m in STATISTICS_KEYS.items()}}


def shipment_status(
    events: Sequence[EventLike], milestones: Sequence[str]
) -> tuple[str | None, str | None, str]:
    """``(statusCode, statusCategory, statusMilestone)`` of the shipment now.

    The milestone is the newest event's; the code and category are those of the newest event
    that has a code (a trailing "departed facility" scan does not blank the status).
    ``(None, None, "pending")`` without events.
    """
    if not milestones:
        return None, None, "pending"
    code = next((e.status_code for e in reversed(events) if e.status_code), None)
    return code, category_of(code), milestones[-1]


def summarise(events: Iterable[E]) -> ShipmentSummary[E]:
    """Order the events and derive everything the shipment shows from them."""
    ordered = order_events(events)
    steps = milestones(ordered)
    code, category, milestone = shipment_status(ordered, steps)
    return ShipmentSummary(ordered, steps, code, category, milestone, statistics(ordered, steps))


def new_tracking_numbers(
    known: Iterable[str],
    events: Iterable[CourierEvent],
    linked: Iterable[LinkedTrackingNumber] = (),
) -> list[LinkedTrackingNumber]:
    """Tracking numbers a courier revealed that the shipment does not have yet, first seen
    first: each event's own number (with the event's courier) and the result's linked numbers."""
    seen = {number.strip().upper() for number in known}
    found: list[LinkedTrackingNumber] = []
    # Most events carry a number already known: compare the raw text first, no object made.
    for candidate in (*events, *linked):
        raw = candidate.tracking_number
        if raw in seen:
            continue
        number = raw.strip().upper()
        if number and number not in seen:
            seen.add(number)
            found.append(LinkedTrackingNumber(number, candidate.courier_code))
    return found
