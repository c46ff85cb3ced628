"""A shipment as the refresh sees it, and how several sources' answers fold into it.

``ShipmentState`` is the stored state of one shipment plus what a refresh (or a push) learnt.
The rest is "several sources, one timeline" (ADR 0014): each shipment detail comes from the
best source that gave it (``merge_details``, ranks kept under ``RANKS`` in
``shipments.details``); new events from more than one source are compared scan by scan
(``needs_scans``, ``timeline.same_scan``) so that a scan two sources report is stored once
(``distinct_scans``), in the best source's words (``replace_if_better``). ``rank`` is
``timeline.source_rank`` for a source code: lower is better.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from shiptrack.couriers.connectors.protocol import CourierEvent, TrackingResult
from shiptrack.tracking.timeline import TimelineEvent, same_scan


@dataclass(slots=True)
class ShipmentState:
    """A shipment as the refresh sees it: stored state plus what this refresh learnt."""

    numbers: list[dict[str, Any]]
    details: dict[str, Any]
    origin: str | None
    destination: str | None
    milestone: str = "pending"
    exists: bool = False
    changed: bool = False
    #: Fingerprints and the last sequence of the stored events (enough to find new ones),
    #: and the sources that reported them (two or more: new events are also compared scan
    #: by scan, ``timeline.same_scan``).
    fingerprints: set[str] = field(default_factory=set)
    last_sequence: int = 0
    sources: set[str] = field(default_factory=set)
    #: Stored events a better source reported again (event id → the better report): the
    #: event keeps its id and sequence and takes the better source's words and fingerprint.
    replaced: dict[str, tuple[TimelineEvent, str]] = field(default_factory=dict)
    #: The whole timeline; stored events are loaded only when the shipment is re-rendered.
    events: list[TimelineEvent] = field(default_factory=list)
    new_events: list[TimelineEvent] = field(default_factory=list)
    #: (shipment, events newest first, statistics) once re-rendered.
    rendered: tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]] | None = None


def timeline_event_of(row: Any) -> TimelineEvent:
    return TimelineEvent(
        event_id=row.id,
        sequence=row.sequence,
        tracking_number=row.event_tracking_number,
        occurrence_datetime=row.occurrence_datetime,
        status=row.status,
        status_code=row.status_code,
        location=row.location,
        courier_code=row.courier_code,
        source_code=row.source_code,
        carrier_status_code=row.carrier_status_code,
        order=row.courier_order,
    )


#: ``shipments.details`` key holding the rank (``timeline.source_rank``) of the source each
#: detail came from: a carrier's value is never replaced by an aggregator's.
RANKS = "_ranks"


def stored_timeline(rows: Sequence[Any], state: ShipmentState) -> list[TimelineEvent]:
    """A shipment's stored events as timeline events, with a better source's words where it
    reported a stored scan again (``state.replaced``)."""
    events = [timeline_event_of(row) for row in rows]
    if not state.replaced:
        return events
    return [state.replaced[e.event_id][0] if e.event_id in state.replaced else e for e in events]


def merge_details(
    state: ShipmentState, results: Sequence[TrackingResult], rank: Callable[[str | None], int]
) -> None:
    """Fold what the couriers said about the shipment (not events) into its state: each
    field from the best source that gave it (a carrier's own connector over an aggregator;
    between equals, the latest)."""
    details = dict(state.details)
    ranks = dict(details.get(RANKS) or {})

    def better(key: str, source: str) -> bool:
        mine = rank(source)
        if mine <= ranks.get(key, 99):
            ranks[key] = mine
            return True
        return False

    for result in sorted(results, key=lambda r: -rank(r.source_code)):
        for key, value in (
            ("estimatedDeliveryDate", result.estimated_delivery),
            ("estimatedFrom", result.estimated_delivery_from),
            ("estimatedTo", result.estimated_delivery_to),
            ("service", result.service),
            ("signedBy", result.signed_by),
            ("postCode", result.recipient_post_code),
            ("city", result.recipient_city),
        ):
            if value and better(key, result.source_code):
                details[key] = value
        if result.origin_country_code and (
            not state.origin or better("origin", result.source_code)
        ):
            state.origin = result.origin_country_code
            ranks["origin"] = rank(result.source_code)
        if result.destination_country_code and (
            not state.destination or better("destination", result.source_code)
        ):
            state.destination = result.destination_country_code
            ranks["destination"] = rank(result.source_code)
    if ranks:
        details[RANKS] = ranks
    if details != state.details:
        state.details, state.changed = details, True


def needs_scans(results: Sequence[TrackingResult], state: ShipmentState) -> bool:
    """Whether new events must be compared scan by scan (``timeline.same_scan``): they
    come from more than one source, counting the stored events' sources."""
    sources = {e.source_code for r in results for e in r.events}
    return bool(sources) and len(sources | state.sources) > 1


def replace_if_better(
    state: ShipmentState,
    old: TimelineEvent,
    event: CourierEvent,
    fingerprint: str,
    rank: Callable[[str | None], int],
) -> None:
    """A stored scan takes ``event``'s words when its source ranks better."""
    if event.source_code == old.source_code or old.event_id in state.replaced:
        return
    if rank(event.source_code) < rank(old.source_code):
        better = TimelineEvent.from_courier_event(
            event, event_id=old.event_id, sequence=old.sequence
        )
        state.replaced[old.event_id] = (better, fingerprint)
        state.changed = True


def distinct_scans(
    fresh: list[tuple[CourierEvent, str]],
    state: ShipmentState,
    stored_events: Sequence[Any],
    rank: Callable[[str | None], int],
) -> list[tuple[CourierEvent, str]]:
    """The new events that are no other source's report of a scan already known. A
    better source's report of a stored scan replaces the stored words
    (``state.replaced``); a worse or equal one is dropped."""
    stored = [(timeline_event_of(row), row.fingerprint) for row in stored_events]
    kept: list[tuple[CourierEvent, str]] = []
    for event, fingerprint in fresh:
        match = next(
            (
                (old, print_)
                for old, print_ in stored
                if old.source_code != event.source_code and same_scan(old, event)
            ),
            None,
        )
        if match is not None:
            replace_if_better(state, match[0], event, fingerprint, rank)
            continue
        if any(e.source_code != event.source_code and same_scan(e, event) for e, _ in kept):
            continue  # this answer's better source already said it (sorted best first)
        kept.append((event, fingerprint))
    return kept
