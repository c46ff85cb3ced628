"""The engine's hand-off to whoever wants a tracker's new events: ``TrackingUpdate`` and
``UpdateSink``, owned by the engine so that the engine imports no feature.

The refresh stores a batch in one transaction; for every subscribed, tracked tracker with new
events it builds one :class:`TrackingUpdate` and, still inside that transaction, calls
``sink.write(conn, updates)`` once — so what the sink writes (the webhooks outbox) exists
exactly when the events do. When ``write`` says it kept something (a count above zero), the
refresh calls ``sink.after_commit()`` once that transaction has committed (the webhooks
feature wakes its dispatcher there: its messages are visible by then).

``PATCH /trackers/{id}`` with ``isSubscribed: false`` calls ``sink.unsubscribed(conn, …)`` in
its own transaction: the sink drops what it had not delivered yet for that tracker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from shiptrack.db.engine import Connection


class TrackingUpdate:
    """One tracker's new events, as stored in the current transaction.

    ``tracking`` and ``new_events`` are rendered when first read, by the ``render`` the
    engine gives: a sink that keeps nothing for the account (no webhook) never pays for
    them, and most accounts of a large install have none.
    """

    __slots__ = ("_render", "_rendered", "account_id", "now", "tracker_id")

    def __init__(
        self,
        *,
        account_id: str,
        tracker_id: str,
        now: dt.datetime,
        render: Callable[[], tuple[dict[str, Any], list[dict[str, Any]]]],
    ) -> None:
        self.account_id = account_id
        self.tracker_id = tracker_id
        self.now = now
        self._render = render
        self._rendered: tuple[dict[str, Any], list[dict[str, Any]]] | None = None

    def _parts(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        if self._rendered is None:
            self._rendered = self._render()
        return self._rendered

    @property
    def tracking(self) -> dict[str, Any]:
        """The webhook ``trackings[]`` item without its events: ``tracker`` (the webhook
        tracker object), ``shipment`` and ``statistics``, rendered by the engine."""
        return self._parts()[0]

    @property
    def new_events(self) -> list[dict[str, Any]]:
        """The new events, REST shape with their ``sequence``, oldest first."""
        return self._parts()[1]


class UpdateSink(Protocol):
    """Where tracking updates go (the webhooks feature implements it)."""

    async def write(self, conn: Connection, updates: Sequence[TrackingUpdate]) -> int:
        """Record ``updates`` in the caller's transaction; how many messages were written."""
        ...

    def after_commit(self) -> None:
        """Called after the commit of a transaction whose :meth:`write` returned above 0."""
        ...

    async def unsubscribed(self, conn: Connection, tracker_id: str, now: dt.datetime) -> int:
        """A tracker was unsubscribed (caller's transaction): drop what is not delivered."""
        ...


class NoSink:
    """The sink of a process without webhooks: keeps nothing."""

    async def write(self, conn: Connection, updates: Sequence[TrackingUpdate]) -> int:
        return 0

    def after_commit(self) -> None:
        return None

    async def unsubscribed(self, conn: Connection, tracker_id: str, now: dt.datetime) -> int:
        return 0
