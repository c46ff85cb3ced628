"""The outbox: what ``record_tracking_update`` writes, in Ship24's exact payload shape."""

from __future__ import annotations

import copy
import datetime as dt

import aiohttp
import orjson
import pytest
from sqlalchemy import select
from webhook_helpers import fast_settings, fresh_outbox, new_account, new_journey, set_endpoint

from shiptrack.db.webhook_tables import webhook_messages, webhook_payloads
from shiptrack.tracking.updates import TrackingUpdate
from shiptrack.webhooks.delivery import queue
from shiptrack.webhooks.delivery.hooks import OutboxSink
from shiptrack.webhooks.delivery.outbox import Outbox
from shiptrack.webhooks.delivery.payload import deprecated_time_fields
from shiptrack.webhooks.endpoints import service
from shiptrack.webhooks.endpoints.schemas import WebhookBody

NOW = dt.datetime(2025, 3, 4, 17, 13, 35, tzinfo=dt.UTC)

#: Part B §7's webhook body (Ship24's official example), plus shiptrack's additive sequence.
SHIP24_EXAMPLE = {
    "trackings": [
        {
            "metadata": {
                "generatedAt": "2025-03-04T17:13:35.000Z",
                "messageId": "356a7f93-3ce5-4b49-b560-156537283df9",
                "topic": "tracking/events",
            },
            "tracker": {
                "trackerId": "26148317-7502-d3ac-44a9-546d240ac0dd",
                "trackingNumber": "9400115901047177598206",
                "shipmentReference": "c6e4fef4-a816-b68f-4024-3b7e4c5a9f81",
                "clientTrackerId": "3fa99515-3ca0-4901-85bb-056ee016799b",
                "isSubscribed": True,
                "createdAt": "2025-03-01T03:16:22.000Z",
            },
            "shipment": {
                "shipmentId": "f4f888d7-d140-423f-9a48-e0689d27e098",
                "statusCode": "delivery_delivered",
                "statusCategory": "delivery",
                "statusMilestone": "delivered",
                "originCountryCode": "US",
                "destinationCountryCode": "CN",
                "delivery": {
                    "estimatedDeliveryDate": "2025-03-04T18:00:00",
                    "courierEstimatedDeliveryDate": {
                        "from": "2025-03-04T17:00:00",
                        "to": "2025-03-04T18:00:00",
                    },
                    "service": None,
                    "signedBy": None,
                },
                "trackingNumbers": [
                    {"tn": "9400115901047177598206"},
                    {"tn": "9400111202544843610364"},
                ],
                "recipient": {
                    "name": None,
                    "address": None,
                    "postCode": "94901",
                    "city": None,
                    "subdivision": None,
                },
            },
            "events": [
                {
                    "eventId": "ee8ebe96-4eae-4a91-9a99-8f3afa6a0f46",
                    "trackingNumber": "9400111202544843610364",
                    "eventTrackingNumber": "9400111202544843610364",
                    "status": "Delivered to the addressee",
                    "occurrenceDatetime": "2025-03-04T17:12:57",
                    "order": 9,
                    "location": "SAN RAFAEL, CA 94901",
                    "sourceCode": "usps-tracking",
                    "courierCode": "us-post",
                    "statusCode": "delivery_delivered",
                    "statusCategory": "delivery",
                    "statusMilestone": "delivered",
                    "hasNoTime": False,
                    "utcOffset": None,
                    "datetime": "2025-03-04T17:12:57.000Z",
                    "sequence": 9,
                }
            ],
            "statistics": {
                "timestamps": {
                    "infoReceivedDatetime": "2025-03-02T15:38:57",
                    "inTransitDatetime": "2025-03-02T15:38:57",
                    "outForDeliveryDatetime": "2025-03-04T10:12:57",
                    "failedAttemptDatetime": None,
                    "availableForPickupDatetime": None,
                    "exceptionDatetime": None,
                    "deliveredDatetime": "2025-03-04T17:12:57",
                }
            },
        }
    ]
}

_DEPRECATED = ("hasNoTime", "utcOffset", "datetime")


async def _messages(db, **where):
    query = (
        select(webhook_messages, webhook_payloads.c.body.label("payload"))
        .join(webhook_payloads, webhook_payloads.c.message_id == webhook_messages.c.id)
        .order_by(webhook_messages.c.sequence)
    )
    for key, value in where.items():
        query = query.where(webhook_messages.c[key] == value)
    async with db.read() as conn:
        return list(await conn.execute(query))


@pytest.mark.parametrize(
    ("occurrence", "expected"),
    [
        ("2025-03-04T17:12:57", (False, None, "2025-03-04T17:12:57.000Z")),
        ("2022-12-21T17:01:12+02:00", (False, "+02:00", "2022-12-21T15:01:12.000Z")),
        ("2022-12-21T07:01:12-05:30", (False, "-05:30", "2022-12-21T12:31:12.000Z")),
        ("2022-09-03T23:58:12Z", (False, None, "2022-09-03T23:58:12.000Z")),
        # A known zero offset is "+00:00" (ISO 8601 has no "-00:00" for a known offset).
        ("2022-12-21T07:01:12+00:00", (False, "+00:00", "2022-12-21T07:01:12.000Z")),
        ("2022-12-21T07:01:12-00:30", (False, "-00:30", "2022-12-21T07:31:12.000Z")),
        ("2022-08-14", (True, None, "2022-08-14T00:00:00.000Z")),
        ("garbage", (False, None, None)),
    ],
)
def test_deprecated_time_fields(occurrence, expected):
    assert deprecated_time_fields(occurrence) == expected


async def test_the_message_body_is_ship24s_example_exactly(db):
    account_id = await new_account(db)
    await set_endpoint(db, account_id, "https://example.com/hooks", fast_settings())
    item = SHIP24_EXAMPLE["trackings"][0]
    event = {k: v for k, v in item["events"][0].items() if k not in _DEPRECATED}
    tracking = {k: item[k] for k in ("tracker", "shipment", "statistics")}
    tracker_id = item["tracker"]["trackerId"]
    async with db.write() as conn:
        written = await Outbox(fast_settings()).record_tracking_update(
            conn,
            account_id=account_id,
            tracker_id=tracker_id,
            tracking=tracking,
            new_events=[event],
            now=NOW,
        )
    assert written == 1
    (row,) = await _messages(db)
    body = orjson.loads(row.payload)
    expected = copy.deepcopy(SHIP24_EXAMPLE)
    expected["trackings"][0]["metadata"]["messageId"] = row.id
    assert body == expected
    # Same key order as Ship24's example, all the way down.
    assert list(body["trackings"][0]) == ["metadata", "tracker", "shipment", "events", "statistics"]
    assert list(body["trackings"][0]["events"][0]) == list(expected["trackings"][0]["events"][0])
    WebhookBody.model_validate(body)
    assert (row.status, row.sequence, row.event_count, row.attempts) == ("pending", 9, 1, 0)
    assert row.next_attempt_at == NOW


async def test_one_message_per_new_event_by_default(db):
    account_id = await new_account(db)
    await set_endpoint(db, account_id, "https://example.com/hooks", fast_settings())
    journey = await new_journey(db, account_id)
    assert await journey.step(db, 3) == 3
    assert await journey.step(db, 4) == 1
    rows = await _messages(db, tracker_id=journey.tracker_id)
    assert [r.sequence for r in rows] == [1, 2, 3, 4]
    assert len({r.id for r in rows}) == 4
    for row in rows:
        (item,) = orjson.loads(row.payload)["trackings"]
        assert item["metadata"]["messageId"] == row.id
        assert [e["sequence"] for e in item["events"]] == [row.sequence]
        assert item["events"][0]["eventId"] == journey.events[row.sequence - 1]["eventId"]
        assert "isTracked" not in item["tracker"]
        assert "courierCode" not in item["tracker"]


async def test_nothing_is_written_without_an_enabled_webhook(db):
    account_id = await new_account(db)
    journey = await new_journey(db, account_id)
    assert await journey.step(db, 2) == 0
    await set_endpoint(db, account_id, "https://example.com/hooks", fast_settings(), enabled=False)
    assert await journey.step(db, 4) == 0
    assert await _messages(db) == []


async def test_grouping_collects_a_trackers_events_until_full_or_the_window_closes(db):
    account_id = await new_account(db)
    settings = fast_settings(group_window_seconds=600)
    await set_endpoint(
        db, account_id, "https://example.com/hooks", settings, maxUpdatesPerMessage=3
    )
    journey = await new_journey(db, account_id, outbox=fresh_outbox(settings))
    assert await journey.step(db, 1, NOW) == 1
    (first,) = await _messages(db)
    assert first.next_attempt_at == NOW + dt.timedelta(seconds=600)
    assert first.group_until == NOW + dt.timedelta(seconds=600)
    # Two more events within the window join the same message, which is then full: due now.
    later = NOW + dt.timedelta(seconds=60)
    assert await journey.step(db, 3, later) == 1
    (full,) = await _messages(db)
    assert full.id == first.id
    assert (full.event_count, full.sequence, full.group_until) == (3, 3, None)
    assert full.next_attempt_at == later
    item = orjson.loads(full.payload)["trackings"][0]
    assert [e["sequence"] for e in item["events"]] == [3, 2, 1]  # newest first
    assert item["shipment"]["statusMilestone"] == "in_transit"
    assert item["metadata"]["messageId"] == first.id
    # Five more: one full message of three, one open message of two.
    assert await journey.step(db, 8, later) == 2
    rows = await _messages(db)
    assert [(r.sequence, r.event_count) for r in rows] == [(3, 3), (6, 3), (8, 2)]
    assert rows[1].next_attempt_at == later
    assert rows[2].next_attempt_at == later + dt.timedelta(seconds=600)
    # The window is fixed from the group's first event.
    assert await journey.step(db, 9, later + dt.timedelta(seconds=30)) == 1
    rows = await _messages(db)
    assert [(r.sequence, r.event_count) for r in rows] == [(3, 3), (6, 3), (9, 3)]
    assert rows[2].next_attempt_at == later + dt.timedelta(seconds=30)


async def test_an_attempted_group_takes_no_more_events(db):
    account_id = await new_account(db)
    settings = fast_settings(group_window_seconds=600)
    await set_endpoint(
        db, account_id, "https://example.com/hooks", settings, maxUpdatesPerMessage=5
    )
    journey = await new_journey(db, account_id, outbox=fresh_outbox(settings))
    await journey.step(db, 1, NOW)
    (first,) = await _messages(db)
    async with db.write() as conn:
        claimed = await queue.claim(
            conn,
            postgres=db.is_postgres,
            now=NOW + dt.timedelta(seconds=601),
            lease_until=NOW + dt.timedelta(seconds=700),
            owner="test",
            token="t" * 32,
            limit=10,
        )
    assert [c.id for c in claimed] == [first.id]
    await journey.step(db, 2, NOW + dt.timedelta(seconds=30))
    rows = await _messages(db)
    assert [(r.sequence, r.event_count) for r in rows] == [(1, 1), (2, 1)]


async def test_drop_pending_records_why(db):
    account_id = await new_account(db)
    await set_endpoint(db, account_id, "https://example.com/hooks", fast_settings())
    journey = await new_journey(db, account_id)
    other = await new_journey(db, account_id)
    await journey.step(db, 3)
    await other.step(db, 1)
    async with db.write() as conn:
        dropped = await journey.outbox.drop_pending(
            conn, tracker_id=journey.tracker_id, reason="unsubscribed", now=NOW
        )
    assert dropped == 3
    rows = await _messages(db, tracker_id=journey.tracker_id)
    assert {(r.status, r.drop_reason, r.finished_at) for r in rows} == {
        ("dropped", "unsubscribed", NOW)
    }
    (kept,) = await _messages(db, tracker_id=other.tracker_id)
    assert kept.status == "pending"


async def test_messages_are_written_in_the_callers_transaction(db):
    """A refresh that fails after queueing leaves no message behind (nor a message without
    its body), even when the outbox write is the transaction's first statement."""
    account_id = await new_account(db)
    await set_endpoint(db, account_id, "https://example.com/hooks", fast_settings())
    # One outbox for the journey and the failing refresh, caching the account's settings.
    journey = await new_journey(db, account_id, outbox=Outbox(fast_settings()))
    await journey.step(db, 1)  # the account's settings are now cached: no read first

    async def failing_refresh() -> None:
        async with db.write() as conn:
            await journey.outbox.record_tracking_update(
                conn,
                account_id=account_id,
                tracker_id=journey.tracker_id,
                tracking=journey.tracking(3),
                new_events=journey.events[1:3],
                now=NOW,
            )
            raise RuntimeError("engine failed")

    with pytest.raises(RuntimeError, match="engine failed"):
        await failing_refresh()
    async with db.read() as conn:
        messages = list(await conn.execute(select(webhook_messages.c.id)))
        bodies = list(await conn.execute(select(webhook_payloads.c.message_id)))
    assert len(messages) == len(bodies) == 1


async def test_changing_the_grouping_sends_open_groups_now(db):
    account_id = await new_account(db)
    settings = fast_settings(group_window_seconds=600)
    await set_endpoint(
        db, account_id, "https://example.com/hooks", settings, maxUpdatesPerMessage=5
    )
    journey = await new_journey(db, account_id, outbox=fresh_outbox(settings))
    await journey.step(db, 2)
    (open_group,) = await _messages(db)
    assert open_group.group_until is not None
    assert open_group.next_attempt_at > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=500)
    async with aiohttp.ClientSession() as session:
        await service.set_webhook(
            db,
            session,
            settings,
            account_id,
            {"url": "https://example.com/hooks", "maxUpdatesPerMessage": 1},
            probe_url=False,
        )
    (closed,) = await _messages(db)
    assert closed.group_until is None
    assert closed.next_attempt_at <= dt.datetime.now(dt.UTC)
    await journey.step(db, 4)
    assert [(r.sequence, r.event_count) for r in await _messages(db)] == [(2, 2), (3, 1), (4, 1)]


async def test_the_sink_renders_an_update_only_for_an_account_with_an_enabled_webhook(db):
    """The engine hands every tracker's new events to the sink; rendering their webhook
    parts is left to the sink, which does it only where a message will be written."""
    item = SHIP24_EXAMPLE["trackings"][0]
    event = {k: v for k, v in item["events"][0].items() if k not in _DEPRECATED}
    tracking = {k: item[k] for k in ("tracker", "shipment", "statistics")}
    renders: list[str] = []

    def update(account_id: str) -> TrackingUpdate:
        def parts():
            renders.append(account_id)
            return tracking, [event]

        return TrackingUpdate(
            account_id=account_id, tracker_id=item["tracker"]["trackerId"], now=NOW, render=parts
        )

    silent, disabled, listening = [await new_account(db) for _ in range(3)]
    await set_endpoint(db, disabled, "https://example.com/off", fast_settings(), enabled=False)
    await set_endpoint(db, listening, "https://example.com/hooks", fast_settings())
    sink = OutboxSink(Outbox(fast_settings()))
    async with db.write() as conn:
        written = await sink.write(conn, [update(silent), update(disabled), update(listening)])
    assert written == 1
    assert renders == [listening]
    (row,) = await _messages(db)
    assert row.account_id == listening
    assert orjson.loads(row.payload)["trackings"][0]["events"][0]["eventId"] == event["eventId"]
