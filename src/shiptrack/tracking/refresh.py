"""The refresh pipeline: fetch → merge → order → summarise → store, for a batch of trackers.

Everything a refresh learns is stored in one transaction per batch: new events, the
re-rendered shipment, each tracker's next check (or its stop) and, through the
``UpdateSink`` (``tracking/updates.py``), the webhook messages of the new events (the outbox);
the sink hears ``after_commit()`` once that transaction has committed. A tracker whose lease
was lost or that was unsubscribed while its couriers were being asked is left untouched.

The stages share one ``ShipmentState`` per tracker and one transaction per batch; the pure
steps live in ``timeline.py``, ``render.py``, ``cadence.py``, ``after_check.py`` (a checked
tracker's next check), ``shipment_state.py`` (how several sources' answers fold into one
shipment) and ``stored_answers.py`` (which re-checks need no merge). What stays here, ~470
lines, is one module on purpose: the orchestration of those steps around the batch's one
transaction (which trackers are still owned, which are merged, what is written, when the
sink hears of it), and a change to one stage's place in it is read against the others.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from shiptrack.config import Settings
from shiptrack.db.engine import Database
from shiptrack.ids import new_time_ordered_ids
from shiptrack.tracking import metrics, render, repository, schedule_sql, timeline
from shiptrack.tracking.after_check import BatchStats, schedule_after_check
from shiptrack.tracking.claims import ClaimedTracker, TrackerToFetch
from shiptrack.tracking.fetch import Fetcher, NumberToCheck, TrackerFetch, numbers_of
from shiptrack.tracking.shipment_state import (
    ShipmentState,
    distinct_scans,
    merge_details,
    needs_scans,
    replace_if_better,
    stored_timeline,
    timeline_event_of,
)
from shiptrack.tracking.stored_answers import StoredAnswers
from shiptrack.tracking.timeline import (
    ShipmentSummary,
    TimelineEvent,
    event_fingerprint,
    event_sort_key,
    new_tracking_numbers,
    summarise,
)
from shiptrack.tracking.updates import NoSink, TrackingUpdate, UpdateSink

log = logging.getLogger("shiptrack.engine")


def _outcome_rows(fetches: Sequence[TrackerFetch], now: dt.datetime) -> list[dict[str, Any]]:
    """Each source's outcome for each tracker, as ``tracker_source_outcomes`` rows."""
    return [
        {
            "tracker_id": f.tracker.id,
            "source": source,
            "outcome": outcome,
            "detail": detail[:500] if detail else None,
            "checked_at": now,
        }
        for f in fetches
        for source, (outcome, detail) in f.outcomes.items()
    ]


class Refresher:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        fetcher: Fetcher,
        *,
        owner: str,
        clock: Callable[[], dt.datetime],
        sink: UpdateSink | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.fetcher = fetcher
        self.owner = owner
        self.clock = clock
        self.sink: UpdateSink = sink or NoSink()
        #: Source codes of the aggregators: a carrier's own report wins over theirs.
        self.aggregators = frozenset(
            c.info.source_code for c in fetcher.connectors.connectors if c.info.kind == "aggregator"
        )
        #: What this process last stored per tracker: an unchanged re-check is not merged.
        self.stored_answers = StoredAnswers()

    async def refresh(self, trackers: Sequence[ClaimedTracker]) -> BatchStats:
        """Refresh claimed trackers (rows from ``schedule_sql.claim_*``) and store the outcome.

        Trackers are grouped by the couriers they will be asked about, and each group is
        fetched and stored on its own: a courier that hangs until its timeout, or whose rate
        limit makes calls wait, holds up only the trackers that depend on it.
        """
        now = self.clock()
        for tracker in trackers:
            if tracker.due_at is not None:
                metrics.CHECK_LAG.observe(max(0.0, (now - tracker.due_at).total_seconds()))
        shipment_ids = [t.shipment_id for t in trackers if t.has_data]
        async with self.db.read() as conn:
            stored = await repository.load_shipments(conn, shipment_ids)
        groups: dict[frozenset[int], list[Any]] = {}
        numbers: dict[str, list[NumberToCheck]] = {}
        for tracker in trackers:
            row = stored.get(tracker.shipment_id)
            checks = numbers[tracker.id] = numbers_of(tracker, row.tracking_numbers if row else [])
            couriers = frozenset(
                id(connector)
                for check in checks
                for connector in self.fetcher.route(check, restrict=tracker.restrict_to_courier)
            )
            groups.setdefault(couriers, []).append(tracker)
        totals = BatchStats()
        for stats in await asyncio.gather(
            *(self._refresh_group(group, stored, now, numbers) for group in groups.values())
        ):
            totals.refreshed += stats.refreshed
            totals.new_events += stats.new_events
            totals.with_news += stats.with_news
            totals.stopped += stats.stopped
            totals.errors += stats.errors
        return totals

    async def _refresh_group(
        self,
        trackers: Sequence[Any],
        stored: dict[str, Any],
        now: dt.datetime,
        numbers: dict[str, list[NumberToCheck]],
    ) -> BatchStats:
        started = time.monotonic()
        fetches = await self._fetch(trackers, stored, numbers)
        fetched_ms = round((time.monotonic() - started) * 1000)
        stats = await self._store(fetches, stored, now, fetched_ms)
        metrics.REFRESH_SECONDS.observe(time.monotonic() - started)
        return stats

    async def _fetch(
        self,
        trackers: Sequence[Any],
        stored: dict[str, Any],
        numbers_known: dict[str, list[NumberToCheck]] | None = None,
    ) -> list[TrackerFetch]:
        """Ask the couriers about every tracker's numbers (``numbers_of``, unless the caller
        worked them out already), then about the numbers their answers revealed (a
        hand-over to another courier) in a second round."""
        plans: dict[str, tuple[TrackerFetch, list[NumberToCheck], bool]] = {}
        for tracker in trackers:
            numbers = (numbers_known or {}).get(tracker.id)
            if numbers is None:
                row = stored.get(tracker.shipment_id)
                numbers = numbers_of(tracker, row.tracking_numbers if row else [])
            plans[tracker.id] = (TrackerFetch(tracker), numbers, tracker.restrict_to_courier)
        await self.fetcher.fetch(plans)
        follow: dict[str, tuple[TrackerFetch, list[NumberToCheck], bool]] = {}
        for tracker_id, (fetch, numbers, _restrict) in plans.items():
            revealed = new_tracking_numbers(
                fetch.asked,
                [e for r in fetch.results for e in r.events],
                [link for r in fetch.results for link in r.linked_numbers],
            )
            if revealed:
                checks = [
                    NumberToCheck(
                        link.tracking_number,
                        (link.courier_code,) if link.courier_code else (),
                        numbers[0].hints,
                    )
                    for link in revealed
                ]
                follow[tracker_id] = (fetch, checks, False)
        if follow:
            await self.fetcher.fetch(follow)
        return [fetch for fetch, _, _ in plans.values()]

    async def lookup(self, tracker: TrackerToFetch) -> bytes:
        """One tracker-like object's tracking members, fetched now and stored nowhere
        (``POST /tracking/search``)."""
        (fetch,) = await self._fetch([tracker], {})
        state = self._state(tracker, None, None)
        self._merge(fetch, state, [])
        summary = self._summary(state)
        shipment = render.shipment_dict(
            shipment_id=tracker.shipment_id,
            summary=summary,
            origin=state.origin,
            destination=state.destination,
            tracking_numbers=[n["tn"] for n in state.numbers],
            details=state.details,
        )
        events = render.events_newest_first(summary, tracker.tracking_number)
        return render.tracking_members(shipment, events, summary.statistics)

    async def _store(
        self,
        fetches: list[TrackerFetch],
        stored: dict[str, Any],
        now: dt.datetime,
        fetched_ms: int = 0,
    ) -> BatchStats:
        stats = BatchStats()
        postgres = self.db.is_postgres
        written = 0
        async with self.db.write() as conn:
            owned = await schedule_sql.still_owned(
                conn, [f.tracker.id for f in fetches], self.owner, postgres=postgres
            )
            fetches = [f for f in fetches if f.tracker.id in owned]
            # A re-check whose answers are those this process stored last time (the
            # connector's cached reading of the same bytes) would merge nothing new.
            same = {
                f.tracker.id
                for f in fetches
                if f.tracker.has_data
                and f.tracker.shipment_id in stored
                and self.stored_answers.unchanged(f.tracker.id, f.results)
            }
            merged = [f for f in fetches if f.tracker.id not in same]
            with_events = [
                f.tracker.shipment_id
                for f in merged
                if f.tracker.has_data and any(r.events for r in f.results)
            ]
            keys = await repository.load_event_keys(conn, with_events)
            merged_states, written = await self.merge_and_write(conn, merged, stored, keys, now)
            by_tracker = {f.tracker.id: st for f, st in zip(merged, merged_states, strict=True)}
            states = [
                self._state(f.tracker, stored[f.tracker.shipment_id], None)
                if f.tracker.id in same
                else by_tracker[f.tracker.id]
                for f in fetches
            ]
            finished = [
                schedule_after_check(
                    self.settings, self.owner, fetch, state, now, stats, fetched_ms
                )
                for fetch, state in zip(fetches, states, strict=True)
            ]
            await schedule_sql.finish_checks(conn, finished, postgres=postgres)
            await repository.record_outcomes(conn, _outcome_rows(fetches, now), postgres=postgres)
        for fetch in fetches:  # committed
            self.stored_answers.remember(fetch.tracker.id, fetch.results)
        if written:
            self.sink.after_commit()
        stats.refreshed = len(fetches)
        metrics.EVENTS_DISCOVERED.inc(stats.new_events)
        if stats.new_events or stats.stopped or stats.errors:
            log.info(
                "refresh batch",
                extra={
                    "trackers": stats.refreshed,
                    "with_news": stats.with_news,
                    "new_events": stats.new_events,
                    "stopped": stats.stopped,
                    "errors": stats.errors,
                    "fetch_ms": fetched_ms,
                },
            )
        return stats

    async def merge_and_write(
        self,
        conn: Any,
        fetches: Sequence[TrackerFetch],
        stored: dict[str, Any],
        keys: dict[str, repository.EventKeys],
        now: dt.datetime,
        loaded: dict[str, list[Any]] | None = None,
    ) -> tuple[list[ShipmentState], int]:
        """Merge → render → store → hand-off, in the caller's transaction (a refresh's, or a
        push callback's, ``sources.push``): each fetch's new events are found, stored
        shipments re-rendered, events and shipments written and the new events handed to
        the update sink. The states (one per fetch) and what the sink wrote (the caller
        calls ``after_commit`` once committed). ``loaded``: stored events the caller read
        already (rows as ``repository.load_events`` gives them), by shipment id; the
        others are read when needed."""
        postgres = self.db.is_postgres
        event_rows: list[tuple[Any, ...]] = []
        new_shipments: list[dict[str, Any]] = []
        changed_shipments: list[dict[str, Any]] = []
        updates: list[tuple[Any, ShipmentState]] = []
        states = [
            self._state(
                f.tracker, stored.get(f.tracker.shipment_id), keys.get(f.tracker.shipment_id)
            )
            for f in fetches
        ]
        # A shipment reported by several sources compares new events with its stored ones
        # scan by scan; the others need fingerprints alone.
        compared = [
            f.tracker.shipment_id
            for f, st in zip(fetches, states, strict=True)
            if st.exists and needs_scans(f.results, st)
        ]
        stored_events = await repository.load_events(conn, compared, loaded)
        for fetch, state in zip(fetches, states, strict=True):
            self._merge(fetch, state, event_rows, stored_events.get(fetch.tracker.shipment_id))
        # Only a shipment that changed is re-rendered, and only then are its stored events
        # needed (a re-check that finds nothing new reads fingerprints alone).
        rerender = [
            f.tracker.shipment_id
            for f, st in zip(fetches, states, strict=True)
            if st.changed and st.exists and f.tracker.shipment_id not in stored_events
        ]
        stored_events.update(await repository.load_events(conn, rerender, loaded))
        replaced: list[tuple[TimelineEvent, str]] = []
        for fetch, state in zip(fetches, states, strict=True):
            tracker = fetch.tracker
            if state.changed:
                state.events = (
                    stored_timeline(stored_events.get(tracker.shipment_id, ()), state)
                    + state.events
                )
                replaced.extend(state.replaced.values())
                row = self._shipment_row(tracker, state, now)
                (changed_shipments if state.exists else new_shipments).append(row)
                state.milestone = row["status_milestone"]
            if state.new_events:
                updates.append((tracker, state))
        await repository.insert_events(conn, event_rows, now, postgres=postgres)
        await repository.replace_events(conn, replaced)
        await repository.insert_shipments(conn, new_shipments, postgres=postgres)
        await repository.update_shipments(conn, changed_shipments, postgres=postgres)
        written = 0
        if updates:
            written = await self.sink.write(conn, [self._update(t, s, now) for t, s in updates])
        return states, written

    def _state(self, tracker: Any, row: Any, keys: repository.EventKeys | None) -> ShipmentState:
        if row is None:
            return ShipmentState(
                numbers=[{"tn": tracker.tracking_number}], details={}, origin=None, destination=None
            )
        fingerprints, last_sequence, sources = keys or (set(), 0, set())
        return ShipmentState(
            numbers=list(row.tracking_numbers),
            details=dict(row.details),
            origin=row.origin_country_code,
            destination=row.destination_country_code,
            milestone=row.status_milestone,
            exists=True,
            fingerprints=fingerprints,
            last_sequence=last_sequence,
            sources=set(sources),
        )

    def _rank(self, source_code: str | None) -> int:
        kind = "aggregator" if source_code in self.aggregators else None
        return timeline.source_rank(kind)

    def _merge(
        self,
        fetch: TrackerFetch,
        state: ShipmentState,
        event_rows: list[tuple[Any, ...]],
        stored_events: Sequence[Any] | None = None,
    ) -> None:
        """Fold a tracker's answers into its shipment state. ``stored_events`` (the stored
        rows, needed when ``needs_scans``) lets a scan reported by two sources be stored
        once, in the best source's words."""
        if not fetch.results:
            return
        if not state.exists:
            state.changed = True
        merge_details(state, fetch.results, self._rank)
        incoming = [e for r in fetch.results for e in r.events]
        if len(fetch.results) > 1:
            # The best source first: of two reports of one scan in this answer, its is kept.
            incoming.sort(key=lambda e: self._rank(e.source_code))
        known = {n["tn"] for n in state.numbers}
        for link in new_tracking_numbers(
            known, incoming, [x for r in fetch.results for x in r.linked_numbers]
        ):
            state.numbers.append({"tn": link.tracking_number, "courierCode": link.courier_code})
            state.changed = True
        seen = set(state.fingerprints)
        scans = needs_scans(fetch.results, state)
        by_print = {row.fingerprint: row for row in stored_events or ()} if scans else {}
        fresh = []
        for event in incoming:
            fingerprint = event_fingerprint(event)
            if fingerprint not in seen:
                seen.add(fingerprint)
                fresh.append((event, fingerprint))
            elif fingerprint in by_print:
                replace_if_better(
                    state, timeline_event_of(by_print[fingerprint]), event, fingerprint, self._rank
                )
        if fresh and scans:
            fresh = distinct_scans(fresh, state, stored_events or (), self._rank)
        state.sources.update(e.source_code for e, _ in fresh)
        if not fresh:
            return
        # Sequence follows the timeline within one discovery: oldest new event first.
        fresh.sort(key=lambda pair: event_sort_key(pair[0]))
        sequence = state.last_sequence
        shipment_id = fetch.tracker.shipment_id
        for (event, fingerprint), event_id in zip(
            fresh, new_time_ordered_ids(len(fresh)), strict=True
        ):
            sequence += 1
            timeline_event = TimelineEvent.from_courier_event(
                event, event_id=event_id, sequence=sequence
            )
            state.events.append(timeline_event)
            state.new_events.append(timeline_event)
            event_rows.append(  # repository.EVENT_COLUMNS
                (
                    event_id,
                    shipment_id,
                    sequence,
                    event.tracking_number,
                    event.courier_code,
                    event.source_code,
                    event.status,
                    event.carrier_status_code,
                    event.location,
                    event.occurrence_datetime,
                    event.order,
                    event.status_code,
                    event.rule_id,
                    fingerprint,
                )
            )
        state.last_sequence = sequence
        state.changed = True

    def _summary(self, state: ShipmentState) -> ShipmentSummary[TimelineEvent]:
        return summarise(sorted(state.events, key=lambda e: e.sequence))

    def _shipment_row(self, tracker: Any, state: ShipmentState, now: dt.datetime) -> dict[str, Any]:
        summary = self._summary(state)
        shipment = render.shipment_dict(
            shipment_id=tracker.shipment_id,
            summary=summary,
            origin=state.origin,
            destination=state.destination,
            tracking_numbers=[n["tn"] for n in state.numbers],
            details=state.details,
        )
        events = render.events_newest_first(summary, tracker.tracking_number)
        state.rendered = (shipment, events, summary.statistics)
        return {
            "id": tracker.shipment_id,
            "tracker_id": tracker.id,
            "status_code": summary.status_code,
            "status_category": summary.status_category,
            "status_milestone": summary.status_milestone,
            "origin_country_code": state.origin,
            "destination_country_code": state.destination,
            "tracking_numbers": state.numbers,
            "event_count": len(summary.events),
            "details": state.details,
            "tracking_json": render.tracking_members(shipment, events, summary.statistics),
            "updated_at": now,
        }

    @staticmethod
    def _update(tracker: ClaimedTracker, state: ShipmentState, now: dt.datetime) -> TrackingUpdate:
        def parts() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            assert state.rendered is not None
            new = [e.event_id for e in sorted(state.new_events, key=lambda e: e.sequence)]
            return render.webhook_update(tracker, *state.rendered, new)

        return TrackingUpdate(
            account_id=tracker.account_id, tracker_id=tracker.id, now=now, render=parts
        )
