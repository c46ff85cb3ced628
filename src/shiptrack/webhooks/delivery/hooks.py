"""The webhooks feature's side of the engine hand-off: :class:`OutboxSink` implements the
engine's ``UpdateSink`` (``tracking/updates.py``).

``write`` queues the messages of new events in the engine's transaction (the outbox,
``outbox.py``); ``after_commit`` wakes this process's dispatcher, once those messages are
committed and visible; ``unsubscribed`` drops a tracker's undelivered messages in the
transaction of the PATCH that unsubscribes it. Built once per process in ``app.py`` (and by
the worker) around the process's one ``Outbox``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from shiptrack.db.engine import Connection
from shiptrack.tracking.updates import TrackingUpdate
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
from shiptrack.webhooks.delivery.outbox import Outbox


class OutboxSink:
    """Tracking updates → webhook messages in ``outbox``; wakes ``dispatcher`` (if any)
    after commit, never before (it would look before the messages are visible)."""

    def __init__(self, outbox: Outbox, dispatcher: WebhookDispatcher | None = None) -> None:
        self.outbox = outbox
        self.dispatcher = dispatcher

    async def write(self, conn: Connection, updates: Sequence[TrackingUpdate]) -> int:
        written = 0
        for update in updates:
            # Asked first: an account without an enabled webhook never renders the update.
            if not await self.outbox.keeps_messages(conn, update.account_id):
                continue
            written += await self.outbox.record_tracking_update(
                conn,
                account_id=update.account_id,
                tracker_id=update.tracker_id,
                tracking=update.tracking,
                new_events=update.new_events,
                now=update.now,
            )
        return written

    def after_commit(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.wake()

    async def unsubscribed(self, conn: Connection, tracker_id: str, now: dt.datetime) -> int:
        return await self.outbox.drop_pending(
            conn, tracker_id=tracker_id, reason="unsubscribed", now=now
        )
