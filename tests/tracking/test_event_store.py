"""Storing a batch's new events (``repository.insert_events``): one statement per batch on
PostgreSQL, an ``executemany`` on SQLite; either way an event already stored — by
fingerprint or by sequence, within the batch or before it — is stored once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from shiptrack.db.tables import events
from shiptrack.ids import new_time_ordered_ids
from shiptrack.tracking import repository


def _row(event_id: str, shipment: str, sequence: int, fingerprint: str, **kw: object) -> tuple:
    values = {
        "id": event_id,
        "shipment_id": shipment,
        "sequence": sequence,
        "event_tracking_number": "SHIP24_SAMPLE_DELIVERED_001",
        "courier_code": "sandbox",
        "source_code": "sandbox",
        "status": "Delivered",
        "carrier_status_code": None,
        "location": "Lyon, FR",
        "occurrence_datetime": "2026-12-01T10:20:00+01:00",
        "courier_order": None,
        "status_code": "delivery_delivered",
        "rule_id": "unmatched",
        "fingerprint": fingerprint,
        **kw,
    }
    assert list(values) == list(repository.EVENT_COLUMNS)
    return tuple(values.values())


async def test_a_batch_stores_each_event_once_with_its_values(db):
    now = dt.datetime(2026, 12, 7, 2, 30, 15, 123456, tzinfo=dt.UTC)
    a, b, c, d, e, f = new_time_ordered_ids(6)
    batch = [
        _row(a, "s1", 1, "f1", courier_order=3),
        _row(b, "s1", 2, "f2", status=None, status_code=None, rule_id=None),
        _row(c, "s1", 3, "f1"),  # the same scan again in the same answer
        _row(d, "s2", 1, "f1"),  # the same fingerprint on another shipment is another event
    ]
    async with db.write() as conn:
        await repository.insert_events(conn, batch, now, postgres=db.is_postgres)
    async with db.write() as conn:
        # Stored before: by fingerprint (f2), by sequence (s2, 1).
        again = [_row(e, "s1", 4, "f2"), _row(e, "s2", 1, "f9")]
        await repository.insert_events(conn, again, now, postgres=db.is_postgres)
        await repository.insert_events(conn, [], now, postgres=db.is_postgres)
        # The transaction goes on after a batch that met stored events (PostgreSQL: the plain
        # insert failed and was rolled back to its savepoint).
        await repository.insert_events(conn, [_row(f, "s3", 1, "f1")], now, postgres=db.is_postgres)
    async with db.read() as conn:
        rows = (await conn.execute(select(events).order_by(events.c.id))).all()
        per_fingerprint = (
            await conn.execute(
                select(events.c.shipment_id, events.c.fingerprint, func.count()).group_by(
                    events.c.shipment_id, events.c.fingerprint
                )
            )
        ).all()
    assert [r.id for r in rows] == sorted([a, b, d, f])
    assert all(count == 1 for *_, count in per_fingerprint)
    first = next(r for r in rows if r.id == a)
    assert (first.shipment_id, first.sequence, first.courier_order) == ("s1", 1, 3)
    assert first.occurrence_datetime == "2026-12-01T10:20:00+01:00"
    assert first.location == "Lyon, FR"
    assert first.rule_id == "unmatched"
    assert first.discovered_at == now
    second = next(r for r in rows if r.id == b)
    assert (second.status, second.status_code, second.rule_id) == (None, None, None)
