"""The tracker rows the engine works on, typed: what a claim returns and what a lookup needs.

``schedule_sql.claim_due``/``claim_new`` return database rows with the columns of
``schedule_sql.CLAIM_COLUMNS``; they satisfy :class:`ClaimedTracker`. ``POST /tracking/search``
fetches for a tracker that exists only for that call: a :class:`LookupTracker`, which has
exactly what fetching and merging read (:class:`TrackerToFetch`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class TrackerToFetch(Protocol):
    """What fetching, merging and rendering read from a tracker."""

    @property
    def id(self) -> str: ...
    @property
    def shipment_id(self) -> str: ...
    @property
    def tracking_number(self) -> str: ...
    @property
    def courier_codes(self) -> Sequence[str]: ...
    @property
    def restrict_to_courier(self) -> bool: ...
    @property
    def origin_country_code(self) -> str | None: ...
    @property
    def destination_country_code(self) -> str | None: ...
    @property
    def destination_post_code(self) -> str | None: ...
    @property
    def shipping_date(self) -> dt.date | None: ...
    @property
    def created_at(self) -> dt.datetime: ...
    @property
    def check_count(self) -> int: ...


class ClaimedTracker(TrackerToFetch, Protocol):
    """A tracker leased by this worker for one refresh (a claim's row)."""

    @property
    def account_id(self) -> str: ...
    @property
    def client_tracker_id(self) -> str | None: ...
    @property
    def shipment_reference(self) -> str | None: ...
    @property
    def error_count(self) -> int: ...
    @property
    def has_data(self) -> bool: ...
    @property
    def last_event_at(self) -> dt.datetime | None: ...
    @property
    def is_subscribed(self) -> bool: ...
    @property
    def due_at(self) -> dt.datetime | None: ...


@dataclass(frozen=True, slots=True)
class LookupTracker:
    """A tracker that exists for one ``POST /tracking/search`` call and is stored nowhere."""

    id: str
    shipment_id: str
    tracking_number: str
    created_at: dt.datetime
    courier_codes: Sequence[str] = field(default_factory=list)
    restrict_to_courier: bool = False
    origin_country_code: str | None = None
    destination_country_code: str | None = None
    destination_post_code: str | None = None
    shipping_date: dt.date | None = None
    check_count: int = 0
