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


#: The variant's hex digit (RFC 9562: binary 10xx) for each random hex digit.
_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}


def new_time_ordered_ids(count: int, *, now_ms: int | None = None) -> list[str]:
    """``count`` UUID7 strings of the current millisecond (``now_ms`` for tests): the stamp
    (12 hex digits), the version ``7``, 12 random bits, the variant with 2 random bits, 60
    random bits — written straight from one hex string of random bytes (an event's id is
    made on every first check's hot path)."""
    stamp = f"{time.time_ns() // 1_000_000 if now_ms is None else now_ms:012x}"
    head = f"{stamp[:8]}-{stamp[8:]}-7"
    noise = os.urandom(10 * count).hex()
    variant = _VARIANT
    return [
        f"{head}{noise[i : i + 3]}-{variant[noise[i + 3]]}{noise[i + 4 : i + 7]}-"
        f"{noise[i + 7 : i + 19]}"
        for i in range(0, 20 * count, 20)
    ]
