"""The engine's side of webhooks: new events become outbox messages, and the dispatcher of
this process is told at once (it looks again shortly after, for messages whose transaction
was still open when it was woken)."""

from __future__ import annotations

from typing import Any

from shiptrack.tracking.refresh import UpdateHook
from shiptrack.webhooks import outbox
from shiptrack.webhooks.dispatcher import WebhookDispatcher


def notify_webhooks(dispatcher: WebhookDispatcher) -> UpdateHook:
    async def on_update(conn: Any, **update: Any) -> int:
        written = await outbox.record_tracking_update(conn, **update)
        if written:
            dispatcher.wake()
        return written

    return on_update
