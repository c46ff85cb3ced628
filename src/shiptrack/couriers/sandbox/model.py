"""The values a sandbox journey is made of: a :class:`Scenario` of planned events and faults.

A scenario is independent of when tracking started. Every planned event sits at ``at``, a
duration after the scenario's *anchor*, which :meth:`Scenario.anchor_time` places in real time:

* ``start`` (scripted scenarios): the anchor is the moment tracking started, so events appear
  as (scaled) time passes; events before a ``NOW`` marker have a negative ``at`` and already
  happened when tracking started.
* ``history`` (Ship24's sample numbers): the whole journey already happened. The anchor is the
  latest UTC midnight that puts the last event at least :data:`HISTORY_MARGIN` before tracking
  started, so local times of day stay the realistic ones the journey was written with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from shiptrack.status.logistics_time import Kind as TimeForm

__all__ = [
    "HISTORY_MARGIN",
    "EtaWindow",
    "Fault",
    "FaultKind",
    "Leg",
    "PlannedEvent",
    "Scenario",
    "ScenarioError",
    "TimeForm",
]

FaultKind = Literal["NF", "TO", "SE", "RL", "BAD", "AUTH", "OK"]

#: How long before tracking started a sample journey's last event happened, at least.
HISTORY_MARGIN = dt.timedelta(minutes=20)
_ZERO = dt.timedelta(0)


class ScenarioError(ValueError):
    """A number or script that does not follow the grammar; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Leg:
    """One courier's part of a journey; legs after the first have their own tracking number."""

    courier_code: str
    service: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    """One event of a journey, before it is placed in real time."""

    #: Index of the leg (0 = the tracked number's own courier).
    leg: int
    #: Occurrence, after the scenario's anchor (negative: before it).
    at: dt.timedelta
    status_code: str | None
    #: Raw courier text; ``{leg_number}`` is replaced by the next leg's tracking number.
    status: str
    location: str | None
    #: The wall clock of the event's place, from UTC.
    utc_offset: dt.timedelta
    carrier_status_code: str | None = None
    #: The courier reports the event this long after it happened (a late scan).
    late_by: dt.timedelta = _ZERO
    #: How ``occurrenceDatetime`` is written (local wall clock unless a script says otherwise).
    time_form: TimeForm = "local"
    #: How many times each response lists it (2: a duplicate in the same body).
    copies: int = 1

    @property
    def reveal_at(self) -> dt.timedelta:
        """When, after the anchor, the courier starts reporting the event."""
        return self.at + self.late_by


@dataclass(frozen=True, slots=True)
class Fault:
    """``checks`` consecutive checks answered with a fault (``OK``: answered normally)."""

    kind: FaultKind
    checks: int = 1
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class EtaWindow:
    """An estimated delivery window, after the anchor, written as local times of the place."""

    start: dt.timedelta
    end: dt.timedelta
    utc_offset: dt.timedelta


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole journey: its legs, planned events (chronological), shipment facts and faults."""

    legs: tuple[Leg, ...]
    events: tuple[PlannedEvent, ...]
    anchor: Literal["start", "history"] = "start"
    origin_country_code: str | None = None
    destination_country_code: str | None = None
    eta: EtaWindow | None = None
    #: Shown once the delivery is visible; a name is made up from the number when None.
    signed_by: str | None = None
    recipient_post_code: str | None = None
    recipient_city: str | None = None
    #: Consecutive check outcomes from the first check on; afterwards every check answers.
    faults: tuple[Fault, ...] = ()
    #: Every response lists each event twice.
    duplicate_all: bool = False
    #: Responses list events in a shuffled order, without ``order``.
    shuffle: bool = False
    #: The tracked number reports only its own leg; later legs only under their own numbers.
    split_legs: bool = False

    def fault_at(self, check: int) -> Fault | None:
        """The fault for the check with index ``check`` (0 = first), None when it answers."""
        first = 0
        for fault in self.faults:
            if check < first + fault.checks:
                return None if fault.kind == "OK" else fault
            first += fault.checks
        return None

    def anchor_time(self, started_at: dt.datetime) -> dt.datetime:
        """The real (UTC) instant the events' ``at`` durations count from."""
        started_at = as_utc(started_at)
        if self.anchor == "start" or not self.events:
            return started_at
        latest = max(event.at for event in self.events)
        day = (started_at - HISTORY_MARGIN - latest).date()
        return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def utc_now() -> dt.datetime:
    """The system clock, aware UTC: the default ``clock`` of the sandbox's players."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
