"""Nobody wakes the dispatcher from inside the transaction that queues its messages: the
engine (through the sink's ``after_commit``), resend, replay and a saved webhook wake it once
their transaction has committed — the dispatcher takes no second looks to make up for an
early wake (decision 13)."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from webhook_helpers import api_journey, fast_settings

from shiptrack.app import replace_services, services_of
from shiptrack.db.engine import Connection
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher

#: Whether the current task is inside a write transaction of the app's database.
_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("writing", default=False)


class WakeSpy:
    """Stands in for the dispatcher: records, at each wake, whether the waking task was
    still inside a write transaction."""

    def __init__(self) -> None:
        self.inside: list[bool] = []

    def wake(self) -> None:
        self.inside.append(_writing.get())


@pytest.fixture
def settings_overrides():
    return {"engine_idle_poll_seconds": 0.05}


@pytest.fixture
def spy(app: Any, monkeypatch: pytest.MonkeyPatch) -> WakeSpy:
    """The app's database marks its write transactions; its dispatcher is the spy, for the
    API and for the engine's sink."""
    db = services_of(app).db
    write = db.write

    @asynccontextmanager
    async def marked_write() -> AsyncIterator[Connection]:
        token = _writing.set(True)
        try:
            async with write() as conn:
                yield conn
        finally:
            _writing.reset(token)

    monkeypatch.setattr(db, "write", marked_write)
    found = WakeSpy()
    replace_services(app, dispatcher=found)
    monkeypatch.setattr(services_of(app).update_sink, "dispatcher", found)
    return found


async def test_the_api_wakes_after_its_transaction_commits(client, receiver, spy):
    saved = await client.put("/account/webhook", json={"url": receiver.url})
    assert saved.status_code == 201, saved.text
    receiver.secrets = receiver.bearers = [saved.json()["data"]["webhook"]["secret"]]
    assert spy.inside == [False]
    journey = await api_journey(client)
    found = services_of(client.app)
    await journey.step(found.db, 2)
    sender = WebhookDispatcher(found.db, found.http, fast_settings())
    while await sender.dispatch_due_once():
        pass
    await sender.stop()
    resent = await client.post(f"/trackers/{journey.tracker_id}/webhook-events/resend")
    assert resent.json()["data"]["summary"]["totalResent"] == 2
    assert spy.inside == [False, False]
    messages = (await client.get("/account/webhook/messages")).json()["data"]["messages"]
    replayed = await client.post(f"/account/webhook/messages/{messages[0]['messageId']}/replay")
    assert replayed.status_code == 201
    assert spy.inside == [False, False, False]


async def test_the_engine_wakes_after_its_transaction_commits(client, receiver, spy):
    assert (await client.put("/account/webhook", json={"url": receiver.url})).status_code == 201
    spy.inside.clear()
    created = await client.post("/trackers", json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_001"})
    assert created.status_code == 201
    services_of(client.app).engine.wake()
    for _ in range(400):
        if spy.inside:
            break
        await asyncio.sleep(0.05)
    assert spy.inside == [False]
