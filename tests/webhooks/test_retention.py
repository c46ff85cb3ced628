"""Retention of finished webhook messages (docs/webhooks.md: "Finished messages and their log
are deleted after 30 days (SHIPTRACK_WEBHOOK_RETENTION_DAYS)"), on both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from webhook_helpers import api_journey, fast_settings

from shiptrack.app import services_of
from shiptrack.db.webhook_tables import webhook_attempts, webhook_messages, webhook_payloads
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher

DAY = dt.timedelta(days=1)


async def _count(db, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for key, value in where.items():
        query = query.where(table.c[key] == value)
    async with db.read() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_finished_messages_and_their_log_are_deleted_after_the_retention(client, receiver):
    now = dt.datetime.now(dt.UTC)
    created = await client.put("/account/webhook", json={"url": receiver.url})
    receiver.secrets = receiver.bearers = [created.json()["data"]["webhook"]["secret"]]
    db = services_of(client.app).db
    old = await api_journey(client, "OLD0000001")
    recent = await api_journey(client, "NEW0000001")
    waiting = await api_journey(client, "WAIT000001")
    # Delivered 31 and 29 days ago (with a delivery log), and one still pending for 40 days.
    await old.step(db, 2, now - 31 * DAY)
    await recent.step(db, 1, now - 29 * DAY)
    http = services_of(client.app).http
    sender = WebhookDispatcher(db, http, fast_settings())
    await sender.dispatch_due_once()
    await sender.dispatch_due_once()
    await sender.stop()
    assert await _count(db, webhook_messages, status="delivered") == 3
    assert await _count(db, webhook_attempts) == 3
    await waiting.step(db, 1, now - 40 * DAY)

    pruner = WebhookDispatcher(db, http, fast_settings(retention_days=30), clock=lambda: now)
    await pruner._maybe_prune()

    async with db.read() as conn:
        left = (
            await conn.execute(select(webhook_messages.c.tracker_id, webhook_messages.c.status))
        ).all()
    assert sorted(left) == sorted(
        [(recent.tracker_id, "delivered"), (waiting.tracker_id, "pending")]
    )
    assert await _count(db, webhook_attempts) == 1  # the recent message's attempt
    assert await _count(db, webhook_payloads) == 2
    # A shorter retention reaches the recent message too; never a pending one.
    shorter = WebhookDispatcher(db, http, fast_settings(retention_days=28), clock=lambda: now)
    await shorter._maybe_prune()
    assert (
        await _count(db, webhook_messages)
        == await _count(db, webhook_messages, status="pending")
        == 1
    )
    assert await _count(db, webhook_attempts) == 0
    # Given up and dropped messages are finished too.
    async with db.write() as conn:
        await conn.execute(update(webhook_messages).values(status="failed"))
    await WebhookDispatcher(
        db, http, fast_settings(retention_days=30), clock=lambda: now
    )._maybe_prune()
    assert await _count(db, webhook_messages) == 0
