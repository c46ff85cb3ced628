"""The dispatcher against a real receiver on 127.0.0.1 that verifies every message with the
``standardwebhooks`` library and the bearer secret, as a customer's endpoint would."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
from collections import Counter

import aiohttp
import orjson
import pytest
from sqlalchemy import select
from webhook_helpers import fast_settings, new_account, new_journey, set_endpoint

from shiptrack.db.webhook_tables import (
    webhook_attempts,
    webhook_endpoints,
    webhook_messages,
    webhook_payloads,
)
from shiptrack.tracking.updates import TrackingUpdate
from shiptrack.webhooks import repository
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
from shiptrack.webhooks.delivery.http import USER_AGENT
from shiptrack.webhooks.endpoints.schemas import WebhookBody


async def _rows(db, table, *order):
    async with db.read() as conn:
        return list(await conn.execute(select(table).order_by(*order)))


async def _drain(dispatcher, rounds=50):
    total = 0
    for _ in range(rounds):
        claimed = await dispatcher.dispatch_due_once()
        total += claimed
        if not claimed:
            break
    return total


@pytest.fixture
async def setup(db, receiver, session):
    """An account whose webhook points at the receiver, and a dispatcher."""
    settings = fast_settings()
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    dispatcher = WebhookDispatcher(db, session, settings)
    yield account_id, dispatcher
    await dispatcher.stop()


async def test_a_journey_arrives_verified_in_order_as_ship24_sends_it(db, receiver, setup):
    account_id, dispatcher = setup
    journey = await new_journey(db, account_id, client_tracker_id="order-1")
    await journey.step(db, 4)
    await journey.step(db, 7)
    await journey.step(db, 9)
    assert await _drain(dispatcher) == 9
    assert receiver.rejected == []
    assert len(receiver.received) == 9
    sequences = []
    for got, event in zip(receiver.received, journey.events, strict=True):
        assert got.headers["Content-Type"] == "application/json"
        assert got.headers["User-Agent"] == USER_AGENT
        body = WebhookBody.model_validate(got.payload)
        (item,) = got.payload["trackings"]
        assert item["metadata"]["messageId"] == got.message_id
        assert item["metadata"]["topic"] == "tracking/events"
        assert item["tracker"]["trackerId"] == journey.tracker_id
        assert item["tracker"]["clientTrackerId"] == "order-1"
        (sent,) = item["events"]
        assert {k: sent[k] for k in event} == event
        assert sent["hasNoTime"] is False
        assert sent["datetime"] == event["occurrenceDatetime"] + ".000Z"
        sequences.append(body.trackings[0].events[0].sequence)
    assert sequences == list(range(1, 10))
    assert receiver.received[-1].payload["trackings"][0]["shipment"]["statusMilestone"] == (
        "delivered"
    )
    rows = await _rows(db, webhook_messages, webhook_messages.c.sequence)
    assert {r.status for r in rows} == {"delivered"}
    assert all(r.attempts == 1 and r.last_status_code == 200 for r in rows)
    attempts = await _rows(db, webhook_attempts, webhook_attempts.c.id)
    assert len(attempts) == 9
    assert {a.outcome for a in attempts} == {"success"}


async def test_each_trackers_messages_arrive_in_sequence_with_trackers_in_parallel(
    db, receiver, setup
):
    account_id, dispatcher = setup
    journeys = [await new_journey(db, account_id) for _ in range(6)]
    for upto in (3, 6, 9):
        for journey in journeys:
            await journey.step(db, upto)
    # Deliveries take a moment, so several trackers are in flight at once.
    receiver.behaviour = lambda r, req, n: (200, {}, b"", 0.01)
    task = asyncio.create_task(dispatcher.run())
    await receiver.wait_for(54)
    await dispatcher.stop()
    await task
    assert receiver.rejected == []
    by_tracker: dict[str, list[int]] = {}
    for got in receiver.received:
        item = got.payload["trackings"][0]
        by_tracker.setdefault(item["tracker"]["trackerId"], []).append(
            item["events"][0]["sequence"]
        )
    assert sorted(by_tracker) == sorted(j.tracker_id for j in journeys)
    assert all(seqs == list(range(1, 10)) for seqs in by_tracker.values())


async def test_a_tracker_waits_while_its_earlier_message_is_retried(db, receiver, setup):
    account_id, dispatcher = setup
    journey = await new_journey(db, account_id)
    await journey.step(db, 3)
    receiver.behaviour = lambda r, req, n: (503, {}, b"busy", 0.0) if n <= 2 else (200, {}, b"", 0)
    task = asyncio.create_task(dispatcher.run())
    await receiver.wait_for(3)
    await dispatcher.stop()
    await task
    sent_order = [r.payload["trackings"][0]["events"][0]["sequence"] for r in receiver.requests]
    assert sent_order == [1, 1, 1, 2, 3]
    assert [r.payload["trackings"][0]["events"][0]["sequence"] for r in receiver.received] == [
        1,
        2,
        3,
    ]


@pytest.mark.parametrize("failure", ["500", "timeout", "refused", "429"])
async def test_failures_are_retried_on_schedule_until_delivered(db, receiver, session, failure):
    schedule = [0.3, 0.6, 0.9, 1.2]
    settings = fast_settings(retry_schedule=schedule, timeout_seconds=0.5)
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    journeys = [await new_journey(db, account_id) for _ in range(3)]
    for journey in journeys:
        await journey.step(db, 2)

    failing = {"on": True}

    def behaviour(r, req, n):
        if not failing["on"]:
            return 200, {}, b"", 0.0
        if failure == "timeout":
            return 200, {}, b"", 1.0
        if failure == "429":
            return 429, {"Retry-After": "1"}, b"slow down", 0.0
        return 500, {}, b"oops", 0.0

    receiver.behaviour = behaviour
    if failure == "refused":
        await receiver.stop()
    dispatcher = WebhookDispatcher(db, session, settings)
    task = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(1.6)  # attempts 1 and 2 (and for most, 3) fail
    failing["on"] = False
    if failure == "refused":
        await receiver.start(receiver.port)
    await receiver.wait_for(6, timeout=15)
    await dispatcher.stop()
    await task
    # Every message delivered, none lost (a timed-out one may arrive twice: at least once).
    ids = {row.id for row in await _rows(db, webhook_messages, webhook_messages.c.id)}
    assert set(receiver.ids()) == ids
    assert len(ids) == 6
    rows = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert {r.status for r in rows} == {"delivered"}
    assert all(r.attempts >= 2 for r in rows if r.sequence == 1)
    attempts = await _rows(db, webhook_attempts, webhook_attempts.c.id)
    by_message: dict[str, list] = {}
    for attempt in attempts:
        by_message.setdefault(attempt.message_id, []).append(attempt)
    for message_attempts in by_message.values():
        for n, (before, after) in enumerate(itertools.pairwise(message_attempts), 1):
            assert before.outcome == "failed"
            wait = (after.at - before.at).total_seconds()
            expected = schedule[n - 1]
            if failure == "timeout":
                expected += 0.5  # the attempt itself lasted the timeout
            if failure == "429":
                expected = max(expected, 1.0)  # Retry-After: 1 is never undercut
            assert wait >= expected - 0.05, (n, wait, expected)
            assert wait <= expected + 1.0, (n, wait, expected)
        if len(message_attempts) == 1:
            continue  # a later message of a tracker, sent after the recovery
        if failure == "500":
            assert message_attempts[0].status_code == 500
            assert message_attempts[0].response_body == "oops"
        if failure == "refused":
            assert "connection failed" in message_attempts[0].error
        if failure == "timeout":
            assert "timeout" in message_attempts[0].error


async def test_a_message_is_given_up_after_the_last_retry_and_frees_its_successors(
    db, receiver, session
):
    settings = fast_settings(retry_schedule=[0.05, 0.05])
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    journey = await new_journey(db, account_id)
    await journey.step(db, 2)
    first_id = None

    def behaviour(r, req, n):
        nonlocal first_id
        first_id = first_id or req.headers["webhook-id"]
        if req.headers["webhook-id"] == first_id:
            return 500, {}, b"", 0.0
        return 200, {}, b"", 0.0

    receiver.behaviour = behaviour
    dispatcher = WebhookDispatcher(db, session, settings)
    task = asyncio.create_task(dispatcher.run())
    await receiver.wait_for(1)
    await dispatcher.stop()
    await task
    rows = await _rows(db, webhook_messages, webhook_messages.c.sequence)
    assert [(r.status, r.attempts) for r in rows] == [("failed", 3), ("delivered", 1)]
    assert rows[0].finished_at is not None
    assert dispatcher.stats["given_up"] == 1


async def test_410_gone_disables_the_endpoint(db, receiver, setup):
    account_id, dispatcher = setup
    journey = await new_journey(db, account_id)
    await journey.step(db, 2)
    receiver.behaviour = lambda r, req, n: (410, {}, b"gone", 0.0)
    assert await dispatcher.dispatch_due_once() == 1
    async with db.read() as conn:
        endpoint = await repository.get_endpoint(conn, account_id)
    assert (endpoint.enabled, endpoint.disabled_reason) == (False, "gone")
    assert endpoint.disabled_at is not None
    # Nothing more is sent, and new events are not queued.
    await asyncio.sleep(0.3)
    assert await dispatcher.dispatch_due_once() == 0
    assert await journey.step(db, 4) == 0
    assert len(receiver.requests) == 1


async def test_an_endpoint_failing_for_the_whole_period_is_disabled(db, receiver, session):
    # 0.00001 days = 0.864 s of continuous failure.
    settings = fast_settings(retry_schedule=[0.1] * 30, disable_after_days=0.00001)
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    journey = await new_journey(db, account_id)
    await journey.step(db, 1)
    receiver.behaviour = lambda r, req, n: (500, {}, b"", 0.0)
    dispatcher = WebhookDispatcher(db, session, settings)
    task = asyncio.create_task(dispatcher.run())
    deadline = time.monotonic() + 10
    endpoint = None
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        async with db.read() as conn:
            endpoint = await repository.get_endpoint(conn, account_id)
        if not endpoint.enabled:
            break
    await dispatcher.stop()
    await task
    assert endpoint is not None
    assert (endpoint.enabled, endpoint.disabled_reason) == (False, "failing")
    assert endpoint.failing_since is not None
    failing_for = (endpoint.disabled_at - endpoint.failing_since).total_seconds()
    assert failing_for >= 0.864
    # The first failure starts the clock, a later one past the period disables (how many fit
    # in 0.864 s depends on the machine's load).
    assert len(receiver.requests) >= 2
    (row,) = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert row.status == "pending"  # waits for the endpoint to be enabled again


async def test_a_success_resets_the_failing_clock(db, receiver, setup):
    account_id, dispatcher = setup
    journey = await new_journey(db, account_id)
    await journey.step(db, 1)
    receiver.behaviour = lambda r, req, n: (500, {}, b"", 0.0) if n == 1 else (200, {}, b"", 0)
    await dispatcher.dispatch_due_once()
    async with db.read() as conn:
        assert (await repository.get_endpoint(conn, account_id)).failing_since is not None
    await asyncio.sleep(0.25)
    await dispatcher.dispatch_due_once()
    async with db.read() as conn:
        endpoint = await repository.get_endpoint(conn, account_id)
    assert endpoint.failing_since is None
    assert endpoint.last_success_at > endpoint.last_failure_at


async def test_two_dispatchers_never_send_the_same_attempt(db, receiver, session):
    settings = fast_settings(batch_size=20)
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    for _ in range(40):
        journey = await new_journey(db, account_id)
        await journey.step(db, 3)
    receiver.behaviour = lambda r, req, n: (200, {}, b"", 0.002)
    first = WebhookDispatcher(db, session, settings)
    second = WebhookDispatcher(db, session, settings)
    tasks = [asyncio.create_task(first.run()), asyncio.create_task(second.run())]
    await receiver.wait_for(120, timeout=30)
    await asyncio.sleep(0.3)
    await first.stop()
    await second.stop()
    await asyncio.gather(*tasks)
    counts = Counter(receiver.ids())
    assert len(counts) == 120
    assert set(counts.values()) == {1}, counts.most_common(3)
    attempts = await _rows(db, webhook_attempts, webhook_attempts.c.id)
    assert len(attempts) == 120
    owners = Counter(a.dispatcher for a in attempts)
    assert set(owners) <= {first.owner, second.owner}


async def test_stop_releases_unsent_claims(db, receiver, session):
    settings = fast_settings(max_in_flight_per_endpoint=1, timeout_seconds=2)
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    for _ in range(5):
        await (await new_journey(db, account_id)).step(db, 1)
    receiver.behaviour = lambda r, req, n: (200, {}, b"", 0.3)
    dispatcher = WebhookDispatcher(db, session, settings)
    task = asyncio.create_task(dispatcher.run())
    await receiver.wait_for(1)
    await dispatcher.stop()
    await task
    rows = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert all(r.lease_owner is None and r.lease_until is None for r in rows)
    delivered = [r for r in rows if r.status == "delivered"]
    assert len(delivered) == len(receiver.received) >= 1
    assert all(r.attempts == 0 for r in rows if r.status == "pending")


async def test_redirects_are_not_followed_and_bodies_are_capped(db, receiver, session):
    settings = fast_settings(response_body_limit=100, retry_schedule=[])
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    await (await new_journey(db, account_id)).step(db, 2)
    answers = iter(
        [
            (302, {"Location": "http://127.0.0.1:9/elsewhere"}, b"", 0.0),
            (200, {}, b"x" * 1_000_000, 0.0),
        ]
    )
    receiver.behaviour = lambda r, req, n: next(answers)
    dispatcher = WebhookDispatcher(db, session, settings)
    await _drain(dispatcher)
    rows = await _rows(db, webhook_messages, webhook_messages.c.sequence)
    assert [(r.status, r.last_status_code) for r in rows] == [("failed", 302), ("delivered", 200)]
    assert rows[1].last_response_body == "x" * 100
    await dispatcher.stop()


async def test_a_2xx_saying_success_false_is_a_failure(db, receiver, setup):
    account_id, dispatcher = setup
    await (await new_journey(db, account_id)).step(db, 1)
    receiver.behaviour = lambda r, req, n: (200, {}, b'{"success": false}', 0.0)
    await dispatcher.dispatch_due_once()
    (row,) = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert (row.status, row.attempts, row.last_outcome) == ("pending", 1, "failed")
    assert "success" in row.last_error


async def test_private_addresses_are_refused_at_send_time(db, receiver, session):
    settings = fast_settings(allow_private=False, retry_schedule=[])
    account_id = await new_account(db)
    await set_endpoint(db, account_id, "https://example.com/hooks", settings)
    async with db.write() as conn:  # the URL is changed behind the API's back
        await repository.update_endpoint(conn, account_id, {"url": receiver.url})
    await (await new_journey(db, account_id)).step(db, 1)
    dispatcher = WebhookDispatcher(db, session, settings)
    await _drain(dispatcher)
    (row,) = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert row.status == "failed"
    assert row.last_error.startswith("refused: 127.0.0.1 resolves to 127.0.0.1, a private")
    assert receiver.requests == []
    await dispatcher.stop()


async def test_secret_rotation_keeps_old_secret_receivers_working(db, receiver, session):
    from shiptrack.webhooks.endpoints import service

    settings = fast_settings()
    account_id = await new_account(db)
    old = await set_endpoint(db, account_id, receiver.url, settings)
    journey = await new_journey(db, account_id)
    state = await service.rotate_secret(db, settings, account_id, {"overlapHours": 1})
    new = state.secret
    assert new != old
    # A receiver still configured with the old secret (bearer and signature) keeps working.
    receiver.secrets, receiver.bearers = [old], [old]
    dispatcher = WebhookDispatcher(db, session, settings)
    await journey.step(db, 1)
    await _drain(dispatcher)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.headers["webhook-signature"].count("v1,") == 2
    # A receiver already moved to the new secret verifies the signature too.
    receiver.secrets = [new]
    await journey.step(db, 2)
    await _drain(dispatcher)
    assert len(receiver.received) == 2
    # After the overlap only the new secret signs, and the bearer carries it.
    async with db.write() as conn:
        await repository.update_endpoint(
            conn,
            account_id,
            {"previous_secret_expires_at": dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)},
        )
    receiver.bearers = [new]
    await journey.step(db, 3)
    await _drain(dispatcher)
    assert len(receiver.received) == 3
    assert receiver.received[-1].headers["webhook-signature"].count("v1,") == 1
    assert receiver.rejected == []
    await dispatcher.stop()


async def test_unsubscribed_trackers_pending_messages_are_dropped_not_sent(db, receiver, setup):
    account_id, dispatcher = setup
    journey = await new_journey(db, account_id)
    await journey.step(db, 5)
    async with db.write() as conn:
        assert (
            await journey.outbox.drop_pending(
                conn,
                tracker_id=journey.tracker_id,
                reason="unsubscribed",
                now=dt.datetime.now(dt.UTC),
            )
            == 5
        )
    assert await dispatcher.dispatch_due_once() == 0
    assert receiver.requests == []


async def test_an_outcome_never_overwrites_a_resend_made_during_the_attempt(db, receiver, setup):
    account_id, dispatcher = setup
    journey = await new_journey(db, account_id)
    await journey.step(db, 1)
    started = asyncio.Event()

    def behaviour(r, req, n):
        started.set()
        return 200, {}, b"", 0.3

    receiver.behaviour = behaviour
    sending = asyncio.create_task(dispatcher.dispatch_due_once())
    await started.wait()
    async with db.write() as conn:  # a resend while the first attempt is in flight
        assert await repository.requeue(
            conn, account_id, dt.datetime.now(dt.UTC), tracker_id=journey.tracker_id
        )
    await sending
    (row,) = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert (row.status, row.attempts) == ("pending", 0)  # the resend stands
    receiver.behaviour = lambda r, req, n: (200, {}, b"", 0.0)
    await dispatcher.dispatch_due_once()
    (row,) = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert (row.status, row.attempts) == ("delivered", 1)
    assert receiver.ids() == [row.id, row.id]


async def test_the_delivery_log_keeps_what_the_receiver_answered(db, receiver, setup):
    account_id, dispatcher = setup
    await (await new_journey(db, account_id)).step(db, 1)
    receiver.behaviour = lambda r, req, n: (202, {"X-Receipt": "r-1"}, b'{"queued":1}', 0.0)
    await dispatcher.dispatch_due_once()
    (row,) = await _rows(db, webhook_messages, webhook_messages.c.id)
    assert orjson.loads(row.last_response_headers)["x-receipt"] == "r-1"
    assert row.last_response_body == '{"queued":1}'
    (attempt,) = await _rows(db, webhook_attempts, webhook_attempts.c.id)
    assert (attempt.attempt, attempt.status_code, attempt.outcome) == (1, 202, "success")
    assert attempt.duration_ms >= 0
    async with db.read() as conn:
        (endpoint,) = list(await conn.execute(select(webhook_endpoints)))
    assert endpoint.last_success_at == row.delivered_at
    async with db.read() as conn:
        body = (
            await conn.execute(
                select(webhook_payloads.c.body).where(webhook_payloads.c.message_id == row.id)
            )
        ).scalar_one()
    assert orjson.loads(body)["trackings"][0]["metadata"]["messageId"] == row.id
    assert body == receiver.received[0].body


async def test_wake_sends_new_messages_at_once(db, receiver, session):
    settings = fast_settings(poll_interval_seconds=30)
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    dispatcher = WebhookDispatcher(db, session, settings)
    task = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(0.1)
    journey = await new_journey(db, account_id)
    stored = time.monotonic()
    await journey.step(db, 1)
    dispatcher.wake()
    await receiver.wait_for(1, timeout=5)
    assert time.monotonic() - stored < 1.0
    await dispatcher.stop()
    await task


async def test_stop_without_run_and_closed_session_are_harmless(db):
    async with aiohttp.ClientSession() as session:
        dispatcher = WebhookDispatcher(db, session, fast_settings())
        assert await dispatcher.dispatch_due_once() == 0
        await dispatcher.stop()


async def test_a_slow_account_does_not_hold_up_another(db, session):
    from webhook_helpers import Receiver

    settings = fast_settings(
        max_in_flight_per_endpoint=2, max_in_flight=20, batch_size=10, claim_window=100
    )
    slow, quick = await Receiver().start(), await Receiver().start()
    try:
        slow_account, quick_account = await new_account(db), await new_account(db)
        for receiver, account in ((slow, slow_account), (quick, quick_account)):
            secret = await set_endpoint(db, account, receiver.url, settings)
            receiver.secrets, receiver.bearers = [secret], [secret]
        slow.behaviour = lambda r, req, n: (200, {}, b"", 0.5)
        for _ in range(60):  # a backlog: 60 trackers, older than the quick account's messages
            await (await new_journey(db, slow_account)).step(db, 1)
        quick_journeys = [await new_journey(db, quick_account) for _ in range(5)]
        for journey in quick_journeys:
            await journey.step(db, 1)
        dispatcher = WebhookDispatcher(db, session, settings)
        task = asyncio.create_task(dispatcher.run())
        started = time.monotonic()
        await quick.wait_for(5, timeout=10)
        quick_done = time.monotonic() - started
        await dispatcher.stop()
        await task
        # The slow account has 2 requests in flight and 8 in hand at most; the quick
        # account's messages go out at once instead of waiting behind its backlog (15 s).
        assert quick_done < 3.0, quick_done
        assert len(slow.requests) < 60
    finally:
        await slow.stop()
        await quick.stop()


async def test_a_message_woken_for_after_commit_goes_out_at_once_without_second_looks(
    db, receiver, session
):
    """The contract of ``wake()``: called once the messages are committed (as the sink's
    ``after_commit`` and the API do), it sends them at once — one look, no timers left behind;
    only the poll (30 s here) would have found them otherwise."""
    from shiptrack.clock import utcnow
    from shiptrack.webhooks.delivery.hooks import OutboxSink
    from shiptrack.webhooks.delivery.outbox import Outbox

    settings = fast_settings(poll_interval_seconds=30)
    account_id = await new_account(db)
    secret = await set_endpoint(db, account_id, receiver.url, settings)
    receiver.secrets, receiver.bearers = [secret], [secret]
    journey = await new_journey(db, account_id)
    outbox = Outbox(settings)
    dispatcher = WebhookDispatcher(db, session, settings, outbox=outbox)
    sink = OutboxSink(outbox, dispatcher)
    task = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(0.1)
    stored = time.monotonic()
    async with db.write() as conn:  # as the engine's refresh does
        update = TrackingUpdate(
            account_id=account_id,
            tracker_id=journey.tracker_id,
            now=utcnow(),
            render=lambda: (journey.tracking(1), journey.events[:1]),
        )
        assert await sink.write(conn, [update]) == 1
        await asyncio.sleep(0.03)  # the rest of the engine's batch
    sink.after_commit()
    assert dispatcher._look_at == []  # no second look scheduled
    await receiver.wait_for(1, timeout=5)
    assert time.monotonic() - stored < 1.0
    await dispatcher.stop()
    await task


def _sample(name, **labels):
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_attempts_delays_and_disabling_are_counted_in_the_metrics(
    db, receiver, session, setup
):
    account_id, dispatcher = setup
    before = {
        "delivered": _sample("shiptrack_webhook_attempts_total", outcome="delivered"),
        "rejected": _sample("shiptrack_webhook_attempts_total", outcome="rejected"),
        "delays": _sample("shiptrack_webhook_delivery_delay_seconds_count"),
        "gone": _sample("shiptrack_webhook_endpoints_disabled_total", reason="gone"),
    }
    journey = await new_journey(db, account_id)
    await journey.step(db, 3)
    receiver.behaviour = lambda r, req, n: (503, {}, b"busy", 0.0) if n == 1 else (200, {}, b"", 0)
    task = asyncio.create_task(dispatcher.run())
    await receiver.wait_for(3)
    await dispatcher.stop()
    await task
    assert _sample("shiptrack_webhook_attempts_total", outcome="delivered") - before[
        "delivered"
    ] == pytest.approx(3)
    assert _sample("shiptrack_webhook_attempts_total", outcome="rejected") - before[
        "rejected"
    ] == pytest.approx(1)
    assert _sample("shiptrack_webhook_delivery_delay_seconds_count") - before[
        "delays"
    ] == pytest.approx(3)
    # The retried message waited for its retry: some delay was observed above 0.
    assert _sample("shiptrack_webhook_delivery_delay_seconds_sum") > 0

    receiver.behaviour = lambda r, req, n: (410, {}, b"gone", 0.0)
    await journey.step(db, 4)
    second = WebhookDispatcher(db, session, fast_settings())
    try:
        assert await second.dispatch_due_once() == 1
    finally:
        await second.stop()
    assert _sample("shiptrack_webhook_endpoints_disabled_total", reason="gone") - before[
        "gone"
    ] == pytest.approx(1)
