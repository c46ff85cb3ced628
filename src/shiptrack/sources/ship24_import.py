"""Moving from Ship24: read an account's trackers through Ship24's API, recreate them here.

``Ship24Import.run`` pages through ``GET /public/v1/trackers`` (``sort=1``: oldest first,
which Ship24 documents as the stable order; no total, so a page shorter than ``limit`` is the
last) and writes each page's trackers with ``trackers.creator.create_isolated``: one
transaction per page, Ship24's reuse rule deciding what already exists (same
``clientTrackerId``, else same number with the same defining fields → the same tracker).

**Resuming.** After each page is written, a checkpoint file records the number of *full*
pages done and the last Ship24 ``trackerId`` seen. A restarted import starts at the next
page; items up to that ``trackerId`` are skipped if the page holds it. A process killed
between a page's commit and its checkpoint writes that page again, and the reuse rule returns
the trackers it made the first time: no duplicate either way. A finished import run again
reads the last, partial page again and picks up trackers created on Ship24 since.

**Rate limits.** At most ``rate`` list calls per second (Ship24 allows 10 on this endpoint).
A ``429`` waits for its ``Retry-After`` (or 1, 2, 4… s, up to a minute, without one) and no
request is sent before that; a 5xx or a network error is retried the same way, up to
``MAX_ATTEMPTS`` times. 400/401/403 stop the import with Ship24's message.

**What is copied.** ``trackingNumber``, ``shipmentReference``, ``clientTrackerId``,
``courierCode`` (all of them; beyond 3, added as a PATCH would) and
``settings.restrictTrackingToCourierCode`` when the listed tracker carries it (Ship24's
documented tracker object does not, so ``restrict`` sets it for every imported tracker with
courier codes). Unsubscribed (archived) Ship24 trackers are skipped: Ship24 stops tracking
them and frees their ``clientTrackerId``.

**Keeping Ship24 as an upstream** (``keep_upstream``): each imported (number, first courier
code) is recorded as a registration of the ``ship24`` source holding Ship24's ``trackerId``,
as if shiptrack had registered it. With ``SHIPTRACK_SHIP24_API_KEY`` set, shiptrack then
polls and accepts pushes for the tracker the user already pays for instead of creating a new
one, and the sources sweep unsubscribes it on Ship24 once no tracker here needs it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from sqlalchemy.dialects import postgresql, sqlite

from shiptrack.clock import utcnow
from shiptrack.couriers.connectors.http import parse_retry_after
from shiptrack.couriers.connectors.ship24.parse import error_message
from shiptrack.couriers.hints import MAX_COURIER_CODES_PER_REQUEST, courier_codes
from shiptrack.db.engine import Database
from shiptrack.errors import ApiError
from shiptrack.sources.tables import upstream_registrations
from shiptrack.trackers.creator import create_isolated
from shiptrack.trackers.validation import TrackerInput, parse_tracker_input
from shiptrack.tracking.fetch import RateGate

#: Ship24's largest page.
MAX_PAGE_SIZE = 500
#: Tries of one page before the import stops (429s do not count: they are waited out).
MAX_ATTEMPTS = 6
MAX_BACKOFF = 60.0
UPSTREAM_SOURCE = "ship24"


class ImportStopped(Exception):
    """Ship24 refused the listing (bad key, bad parameters) or kept failing."""


@dataclass(slots=True)
class Counts:
    read: int = 0
    created: int = 0
    existing: int = 0
    skipped: int = 0
    failed: int = 0
    kept_upstream: int = 0
    waited: float = 0.0


@dataclass(slots=True)
class Checkpoint:
    """Where an import stands, saved after each page (``path``: JSON, written atomically)."""

    account_id: str
    base_url: str
    page_size: int
    full_pages: int = 0
    last_tracker_id: str | None = None
    counts: Counts = field(default_factory=Counts)
    failures: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        if not path.exists():
            return None
        data = orjson.loads(path.read_bytes())
        counts = Counts(**data.pop("counts", {}))
        return cls(**data, counts=counts)

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("wb") as out:
            out.write(orjson.dumps(dataclasses.asdict(self), option=orjson.OPT_INDENT_2))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)


class Ship24Lister:
    """Ship24's tracker list, one page at a time, paced and patient with 429s."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        api_key: str,
        *,
        rate: float = 5.0,
    ) -> None:
        self._session = session
        self._url = base_url.rstrip("/") + "/public/v1/trackers"
        self._headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        self._gate = RateGate(rate)
        self.waited = 0.0

    def _hold(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (the gate's next slot moves past them)."""
        self._gate.next_slot = max(self._gate.next_slot, time.monotonic() + seconds)
        self.waited += seconds

    async def page(self, page: int, limit: int) -> list[dict[str, Any]]:
        params = {"page": str(page), "limit": str(limit), "sort": "1"}
        failures = 0
        while True:
            await self._gate.wait()
            try:
                async with self._session.get(
                    self._url, params=params, headers=self._headers
                ) as response:
                    body = await response.read()
                    status, retry_after = response.status, response.headers.get("Retry-After")
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, retry_after, body = 0, None, str(exc).encode()
            if status == 200:
                return _trackers(body)
            if status == 429:
                self._hold(parse_retry_after(retry_after) or min(MAX_BACKOFF, 2.0**failures))
                continue
            if status in (400, 401, 403, 404, 422):
                raise ImportStopped(f"Ship24 answered {status}: {_message(body)}")
            failures += 1
            if failures >= MAX_ATTEMPTS:
                raise ImportStopped(f"Ship24 kept failing on page {page}: {_message(body)}")
            self._hold(parse_retry_after(retry_after) or min(MAX_BACKOFF, 2.0 ** (failures - 1)))


def _message(body: bytes) -> str:
    with contextlib.suppress(orjson.JSONDecodeError):
        return error_message(orjson.loads(body)) or body[:200].decode(errors="replace")
    return body[:200].decode(errors="replace") or "no answer"


def _trackers(body: bytes) -> list[dict[str, Any]]:
    try:
        answer = orjson.loads(body)
        found = answer["data"]["trackers"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise ImportStopped("Ship24's tracker list is not {data: {trackers: [...]}}") from None
    if not isinstance(found, list) or not all(isinstance(t, dict) for t in found):
        raise ImportStopped("Ship24's data.trackers is not a list of trackers")
    return found


def tracker_input(
    tracker: dict[str, Any], *, restrict: bool, max_age_days: int, today: dt.date
) -> TrackerInput:
    """The create request recreating one listed Ship24 tracker (raises ``ApiError``)."""
    codes = tracker.get("courierCode") or []
    codes = [codes] if isinstance(codes, str) else codes
    body: dict[str, Any] = {
        "trackingNumber": tracker.get("trackingNumber"),
        "shipmentReference": tracker.get("shipmentReference"),
        "clientTrackerId": tracker.get("clientTrackerId"),
        "courierCode": codes[:MAX_COURIER_CODES_PER_REQUEST] or None,
        "settings": tracker.get("settings"),
    }
    item = parse_tracker_input(body, max_age_days=max_age_days, today=today)
    errors: list[str] = []
    everything = list(item.courier_codes)
    for start in range(MAX_COURIER_CODES_PER_REQUEST, len(codes), MAX_COURIER_CODES_PER_REQUEST):
        chunk = courier_codes(codes[start : start + MAX_COURIER_CODES_PER_REQUEST], errors)
        everything.extend(c for c in chunk if c not in everything)
    if errors:
        raise ApiError(400, "validation_error", " ".join(errors))
    return dataclasses.replace(
        item,
        courier_codes=tuple(everything),
        restrict_to_courier=item.restrict_to_courier or (restrict and bool(everything)),
    )


@dataclass(slots=True)
class Ship24Import:
    db: Database
    lister: Ship24Lister
    checkpoint: Checkpoint
    checkpoint_path: Path
    restrict: bool = False
    keep_upstream: bool = False
    max_age_days: int = 180
    #: Called after each page with the counts so far (the CLI's progress bar).
    progress: Callable[[Counts], None] = lambda counts: None

    async def run(self) -> Counts:
        state = self.checkpoint
        limit = state.page_size
        while True:
            page = await self.lister.page(state.full_pages + 1, limit)
            state.counts.waited = self.lister.waited
            fresh = page
            ids = [t.get("trackerId") for t in page]
            if state.last_tracker_id in ids:  # read before: skip what is already here
                fresh = page[ids.index(state.last_tracker_id) + 1 :]
            await self._write(fresh)
            if page:
                state.last_tracker_id = page[-1].get("trackerId")
            if len(page) == limit:
                state.full_pages += 1
            state.save(self.checkpoint_path)
            self.progress(state.counts)
            if len(page) < limit:
                return state.counts

    async def _write(self, listed: list[dict[str, Any]]) -> None:
        counts, today = self.checkpoint.counts, utcnow().date()
        counts.read += len(listed)
        items: list[TrackerInput | ApiError] = []
        origin: list[dict[str, Any]] = []
        for tracker in listed:
            if tracker.get("isSubscribed") is False:
                counts.skipped += 1
                continue
            try:
                item: TrackerInput | ApiError = tracker_input(
                    tracker, restrict=self.restrict, max_age_days=self.max_age_days, today=today
                )
            except ApiError as exc:
                item = exc
            items.append(item)
            origin.append(tracker)
        if not items:
            return
        outcomes = await create_isolated(self.db, self.checkpoint.account_id, items)
        kept: list[tuple[TrackerInput, str]] = []
        for tracker, item, outcome in zip(origin, items, outcomes, strict=True):
            error = outcome if isinstance(outcome, Exception) else outcome.error
            if error is not None:
                counts.failed += 1
                self.checkpoint.failures.append(f"{tracker.get('trackerId')}: {error}")
                continue
            counts.created += outcome.created
            counts.existing += not outcome.created
            if isinstance(item, TrackerInput) and tracker.get("trackerId"):
                kept.append((item, str(tracker["trackerId"])))
        if self.keep_upstream and kept:
            counts.kept_upstream += await keep_as_upstream(self.db, kept)


async def keep_as_upstream(db: Database, kept: list[tuple[TrackerInput, str]]) -> int:
    """Record Ship24's trackers as the ``ship24`` source's registrations (state
    ``registered``, Ship24's ``trackerId`` as the provider id), keyed as the upstream keys
    them: (number, first courier code or ""). Existing rows are left as they are. How many
    rows were new."""
    now = utcnow()
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for item, tracker_id in kept:
        courier = item.courier_codes[0] if item.courier_codes else ""
        rows.setdefault(
            (item.tracking_number, courier),
            {
                "id": str(uuid.uuid4()),
                "source": UPSTREAM_SOURCE,
                "tracking_number": item.tracking_number,
                "courier_code": courier,
                "state": "registered",
                "upstream_id": tracker_id,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            },
        )
    insert = (postgresql if db.is_postgres else sqlite).insert(upstream_registrations)
    async with db.write() as conn:
        result = await conn.execute(insert.values(list(rows.values())).on_conflict_do_nothing())
    return max(0, result.rowcount or 0)
