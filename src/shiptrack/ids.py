"""Random UUID strings, many at a time (one ``os.urandom`` call instead of one per id).

``new_ids``: UUID4, wholly random (CSV imports). ``new_time_ordered_ids``: UUID7 (RFC 9562:
the first 48 bits are the Unix time in milliseconds, the rest random, 74 bits), for trackers,
shipments and events: rows made together land next to each other in the indexes keyed by
these ids (the primary keys; ``events`` by shipment) instead of at random places in them,
which on a large table is most of an insert's cost (decision 25).
"""

from __future__ import annotations

import os
import time


def _format(raw: bytearray, count: int) -> list[str]:
    ids = []
    for start in range(0, 16 * count, 16):
        h = raw[start : start + 16].hex()
        ids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return ids


def new_ids(count: int) -> list[str]:
    raw = bytearray(os.urandom(16 * count))
    for start in range(0, 16 * count, 16):
        raw[start + 6] = (raw[start + 6] & 0x0F) | 0x40  # version 4
        raw[start + 8] = (raw[start + 8] & 0x3F) | 0x80  # RFC 4122 variant
    return _format(raw, count)


def new_time_ordered_ids(count: int, *, now_ms: int | None = None) -> list[str]:
    """``count`` UUID7 strings of the current millisecond (``now_ms`` for tests)."""
    stamp = (time.time_ns() // 1_000_000 if now_ms is None else now_ms).to_bytes(6, "big")
    raw = bytearray(os.urandom(16 * count))
    for start in range(0, 16 * count, 16):
        raw[start : start + 6] = stamp
        raw[start + 6] = (raw[start + 6] & 0x0F) | 0x70  # version 7
        raw[start + 8] = (raw[start + 8] & 0x3F) | 0x80  # RFC 9562 variant
    return _format(raw, count)
