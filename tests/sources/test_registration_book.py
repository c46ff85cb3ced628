"""The registration book on each database: what one ``ensure`` claims, registers and records
(time-ordered row ids, the provider's answer per row), and what it leaves to another worker."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Mapping

from sqlalchemy import insert, select

from shiptrack.couriers.connectors.aggregator import Unlimited
from shiptrack.couriers.connectors.protocol import CourierUnavailable, TrackingHints
from shiptrack.couriers.connectors.upstream_terms import Registration
from shiptrack.db.source_tables import upstream_registrations as regs
from shiptrack.sources.registrations import DatabaseBook


class Provider:
    """Registers every number it is asked about (``t-<number>``), refusing those in
    ``refuse``; remembers what it was asked."""

    name = "ship24"

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.budget = Unlimited()
        self.refuse = refuse
        self.asked: list[str] = []

    async def register(
        self, wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, object]:
        self.asked += list(wanted)
        return {n: CourierUnavailable("refused") if n in self.refuse else f"t-{n}" for n in wanted}


async def _rows(db) -> dict[str, object]:  # type: ignore[no-untyped-def]
    async with db.read() as conn:
        found = (await conn.execute(select(regs).order_by(regs.c.id))).all()
    return {r.tracking_number: r for r in found}


async def test_a_batch_is_claimed_registered_and_recorded_under_time_ordered_ids(db):
    book, provider = DatabaseBook(db), Provider(refuse=frozenset({"N3"}))
    wanted = {f"N{i}": "us-post" for i in range(1, 6)}
    before = time.time_ns() // 1_000_000
    out = await book.ensure(provider, wanted, {})  # type: ignore[arg-type]
    after = time.time_ns() // 1_000_000

    assert provider.asked == list(wanted)
    assert out["N1"] == Registration("N1", "us-post", "t-N1")
    assert isinstance(out["N3"], CourierUnavailable)
    rows = await _rows(db)
    ids = [uuid.UUID(r.id) for r in rows.values()]
    assert [i.version for i in ids] == [7] * 5
    assert all(before <= i.int >> 80 <= after for i in ids), "stamped with their creation"
    assert rows["N1"].state == "registered"
    assert rows["N1"].upstream_id == "t-N1"
    assert rows["N3"].state == "failed"
    assert rows["N3"].last_error == "refused"
    assert all(r.claim is None and r.attempts == 1 for r in rows.values())


async def test_what_another_worker_holds_is_left_to_it_and_a_failure_is_taken_back(db):
    book, now = DatabaseBook(db), dt.datetime.now(dt.UTC)
    held = {"id": "a", "tracking_number": "HELD", "claim": "another", "upstream_id": None}
    failed = {"id": "b", "tracking_number": "FAILED", "claim": None, "upstream_id": "old"}
    async with db.write() as conn:
        for row, state in ((held, "registering"), (failed, "failed")):
            await conn.execute(
                insert(regs).values(
                    **row,
                    source="ship24",
                    courier_code="",
                    state=state,
                    created_at=now,
                    updated_at=now,
                )
            )
    provider = Provider(refuse=frozenset({"FAILED"}))
    out = await book.ensure(provider, {"HELD": "", "FAILED": "", "NEW": ""}, {})  # type: ignore[arg-type]

    assert sorted(provider.asked) == ["FAILED", "NEW"], "the held one is not registered twice"
    assert str(out["HELD"]) == "ship24 registration in progress"
    rows = await _rows(db)
    assert rows["HELD"].claim == "another"
    assert rows["HELD"].state == "registering"
    assert rows["FAILED"].state == "failed"
    assert rows["FAILED"].upstream_id == "old", "a refusal keeps the earlier registration's id"
    assert rows["NEW"].state == "registered"
    assert rows["NEW"].upstream_id == "t-NEW"

    provider.refuse = frozenset()
    again = await book.ensure(provider, {"FAILED": ""}, {})  # type: ignore[arg-type]
    assert again["FAILED"] == Registration("FAILED", "", "t-FAILED")
    assert (await _rows(db))["FAILED"].attempts == 2
