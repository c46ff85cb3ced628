"""The outbox: webhook messages written in the engine's own transaction.

The engine's sink (``hooks.OutboxSink``) calls :meth:`Outbox.record_tracking_update` inside
the transaction that stores a
tracker's new events, so a message exists exactly when its events do — a crash either
loses both or neither — and the dispatcher delivers from the table afterwards.

Rules:

- **No webhook, or a disabled one: nothing is written** (one primary-key read, cached for
  a second by the process's ``Outbox``, and no insert).
  Ship24 sends nothing without a URL either; events that arrive while an endpoint is disabled
  stay readable through the results endpoints but are not queued (a dead endpoint would
  otherwise grow the table without bound).
- **maxUpdatesPerMessage = 1** (the default, as Ship24): one message per new event.
- **maxUpdatesPerMessage = n > 1**: a tracker's new events join its open message (one not yet
  attempted, within its grouping window) up to n events; the rest start new messages. A
  message is sent when it is full or when its window closes.
- Each message carries ``sequence`` = the highest event ``sequence`` it holds; the dispatcher
  sends a tracker's messages in that order.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Sequence
from typing import Any

from shiptrack.config.webhooks import WebhookSettings
from shiptrack.db.engine import Connection
from shiptrack.webhooks import repository
from shiptrack.webhooks.delivery import queue
from shiptrack.webhooks.delivery.payload import (
    TOPIC_EVENTS,
    TrackingRenderer,
    events_of,
    webhook_event,
)


def _message_row(
    *,
    message_id: str,
    account_id: str,
    tracker_id: str,
    events: Sequence[dict[str, Any]],
    now: dt.datetime,
    group_until: dt.datetime | None,
) -> tuple[Any, ...]:
    """A ``webhook_messages`` row, in ``queue.MESSAGE_COLUMNS`` order."""
    return (
        message_id,
        account_id,
        tracker_id,
        max(int(e["sequence"]) for e in events),
        TOPIC_EVENTS,
        len(events),
        repository.PENDING,
        0,
        group_until or now,
        group_until,
        now,
    )


#: Each process remembers an account's (enabled, maxUpdatesPerMessage) this long, saving a
#: read per refresh on the engine's hot path. Changes made through this process's ``Outbox``
#: apply at once (:meth:`Outbox.invalidate`); another process's within this delay.
SETTINGS_TTL_SECONDS = 1.0


class Outbox:
    """The outbox of one process: the webhook settings it applies (the grouping window) and
    its cache of accounts' webhook settings.

    Built once per process from the process's ``WebhookSettings`` (``app.py``, the worker,
    the benchmarks) and handed to whoever writes messages (``OutboxSink``) or changes an
    account's webhook (the dispatcher when it disables an endpoint, the API when an account
    sets or deletes one: they call :meth:`invalidate`). No module-level state: two outboxes in
    one process (tests) do not share settings or cache.
    """

    def __init__(
        self, settings: WebhookSettings, *, settings_ttl: float = SETTINGS_TTL_SECONDS
    ) -> None:
        #: How long a grouped message waits for more events.
        self.group_window = dt.timedelta(seconds=settings.group_window_seconds)
        self._ttl = settings_ttl
        self._accounts: dict[str, tuple[float, bool, int]] = {}

    def invalidate(self, account_id: str | None = None) -> None:
        """Forget the cached webhook settings of an account (all accounts with None)."""
        if account_id is None:
            self._accounts.clear()
        else:
            self._accounts.pop(account_id, None)

    async def _account_settings(self, conn: Connection, account_id: str) -> tuple[bool, int]:
        now = time.monotonic()
        cached = self._accounts.get(account_id)
        if cached is not None and cached[0] > now:
            return cached[1], cached[2]
        row = await queue.outbox_settings(conn, account_id)
        enabled = row is not None and bool(row.enabled)
        per_message = max(1, int(row.max_updates_per_message)) if row is not None else 1
        if len(self._accounts) > 100_000:
            self._accounts.clear()
        self._accounts[account_id] = (now + self._ttl, enabled, per_message)
        return enabled, per_message

    async def keeps_messages(self, conn: Connection, account_id: str) -> bool:
        """Whether the account has an enabled webhook (messages would be written for it)."""
        return (await self._account_settings(conn, account_id))[0]

    async def record_tracking_update(
        self,
        conn: Connection,
        *,
        account_id: str,
        tracker_id: str,
        tracking: dict[str, Any],
        new_events: list[dict[str, Any]],
        now: dt.datetime,
    ) -> int:
        """Queue webhook messages for a tracker's new events, in the caller's transaction.

        ``tracking`` holds the current ``tracker`` (webhook tracker, §4.2), ``shipment`` and
        ``statistics``; ``new_events`` are REST events with ``sequence``, ascending. Returns the
        number of messages written (0 when the account has no enabled webhook).
        """
        if not new_events:
            return 0
        enabled, per_message = await self._account_settings(conn, account_id)
        if not enabled:
            return 0
        renderer = TrackingRenderer(tracking)
        events = sorted((webhook_event(e) for e in new_events), key=lambda e: e["sequence"])
        if per_message == 1:
            rows: list[tuple[Any, ...]] = []
            bodies: list[tuple[str, bytes]] = []
            for event in events:
                message_id = str(uuid.uuid4())
                rows.append(
                    _message_row(
                        message_id=message_id,
                        account_id=account_id,
                        tracker_id=tracker_id,
                        events=(event,),
                        now=now,
                        group_until=None,
                    )
                )
                bodies.append((message_id, renderer.body(message_id, now, (event,))))
            await queue.insert_messages(conn, rows, bodies)
            return len(rows)
        return await self._record_grouped(
            conn, account_id, tracker_id, renderer, events, per_message, now
        )

    async def _record_grouped(
        self,
        conn: Connection,
        account_id: str,
        tracker_id: str,
        renderer: TrackingRenderer,
        events: list[dict[str, Any]],
        per_message: int,
        now: dt.datetime,
    ) -> int:
        window = self.group_window
        written = 0
        remaining = list(events)
        group = await queue.open_group(conn, tracker_id, now)
        if group is not None and group.event_count < per_message:
            room = per_message - int(group.event_count)
            taken, rest = remaining[:room], remaining[room:]
            held = events_of(group.body)
            combined = sorted([*held, *taken], key=lambda e: e["sequence"], reverse=True)
            full = len(combined) >= per_message
            grown = await queue.grow_group(
                conn,
                {
                    "b_id": group.id,
                    "b_event_count": len(combined),
                    "b_sequence": max(e["sequence"] for e in combined),
                    # The window is fixed from the group's first event: a busy tracker's
                    # message still leaves when it closes.
                    "b_next": now if full else group.group_until,
                    "b_group_until": None if full else group.group_until,
                },
                # The tracker, shipment and statistics are refreshed to the current state.
                renderer.body(group.id, now, combined),
            )
            if grown:
                written += 1
                remaining = rest
        rows: list[tuple[Any, ...]] = []
        bodies: list[tuple[str, bytes]] = []
        for start in range(0, len(remaining), per_message):
            chunk = remaining[start : start + per_message]
            full = len(chunk) >= per_message
            group_until = None if full else now + window
            message_id = str(uuid.uuid4())
            newest_first = list(reversed(chunk))
            rows.append(
                _message_row(
                    message_id=message_id,
                    account_id=account_id,
                    tracker_id=tracker_id,
                    events=chunk,
                    now=now,
                    group_until=group_until,
                )
            )
            bodies.append((message_id, renderer.body(message_id, now, newest_first)))
        await queue.insert_messages(conn, rows, bodies)
        return written + len(rows)

    async def drop_pending(
        self, conn: Connection, *, tracker_id: str, reason: str, now: dt.datetime
    ) -> int:
        """Drop a tracker's undelivered messages (status ``dropped``, with ``reason``), in the
        caller's transaction — e.g. the PATCH that unsubscribes the tracker. Returns how many."""
        return await queue.drop_pending(conn, tracker_id=tracker_id, reason=reason, now=now)
