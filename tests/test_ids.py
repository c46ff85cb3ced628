"""Ids: UUID4 for imports, time-ordered UUID7 for trackers, shipments and events."""

from __future__ import annotations

import uuid

from shiptrack.ids import new_ids, new_time_ordered_ids


def test_random_ids_are_uuid4_and_distinct():
    ids = new_ids(500)
    assert len(set(ids)) == 500
    assert {uuid.UUID(i).version for i in ids} == {4}
    assert {uuid.UUID(i).variant for i in ids} == {uuid.RFC_4122}


def test_time_ordered_ids_are_uuid7_with_the_millisecond_first():
    ids = new_time_ordered_ids(500, now_ms=1_796_000_000_123)
    assert len(set(ids)) == 500
    parsed = [uuid.UUID(i) for i in ids]
    assert {p.version for p in parsed} == {7}
    assert {p.variant for p in parsed} == {uuid.RFC_4122}
    assert {p.int >> 80 for p in parsed} == {1_796_000_000_123}
    assert all(str(p) == i for p, i in zip(parsed, ids, strict=True))


def test_later_ids_sort_after_earlier_ones_as_text():
    earlier = new_time_ordered_ids(50, now_ms=1_796_000_000_123)
    later = new_time_ordered_ids(50, now_ms=1_796_000_000_124)
    assert max(earlier) < min(later)
    assert max(new_time_ordered_ids(5)) > max(later)
