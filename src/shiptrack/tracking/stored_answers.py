"""What this process last stored for each tracker, so that a re-check whose answers did not
change is not merged again (decision 34).

An upstream connector hands back the very result objects it read last time when a
provider's answer for a number is byte for byte the same (``AnswerCache``): most re-checks,
since nothing happened. Merging such an answer again would read the shipment's stored
fingerprints, fingerprint every event of the answer and find nothing new. The refresher
asks ``unchanged`` first: when each result of a tracker's fetch *is* (the same object as)
what this process stored for that tracker, in the same order, and that store committed, the
merge would find nothing, and it is skipped; the check is still recorded (schedule, the
sources' outcomes).

The memory is per tracker, not per number: two trackers of one number (two accounts) share
the connector's cached answer, but each must have stored it once. It holds weak references
only (an answer the connector's cache let go of is gone here too and is merged again), at
most ``size`` trackers, the least recently stored going first. Another process storing for
the same tracker in between does not make a skip wrong: the events of an answer this
process stored are in the shipment, and merging them again adds nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from shiptrack.couriers.connectors.protocol import TrackingResult

#: Trackers remembered (~0.2 KB each: an id and a weak reference per result).
DEFAULT_SIZE = 20_000


class StoredAnswers:
    """Per tracker id: weak references to the results this process last stored for it."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._stored: dict[str, tuple[weakref.ref[TrackingResult], ...]] = {}
        #: Re-checks found unchanged (tests, the bench's profiles).
        self.skipped = 0

    def unchanged(self, tracker_id: str, results: Sequence[TrackingResult]) -> bool:
        """Whether ``results`` are, one for one, the objects last stored for the tracker."""
        if not results:
            return False
        known = self._stored.get(tracker_id)
        if known is None or len(known) != len(results):
            return False
        for ref, result in zip(known, results, strict=True):
            if ref() is not result:
                return False
        self.skipped += 1
        return True

    def remember(self, tracker_id: str, results: Sequence[TrackingResult]) -> None:
        """``results`` were stored for the tracker (call once the transaction committed)."""
        self._stored.pop(tracker_id, None)
        if not results:
            return
        self._stored[tracker_id] = tuple(weakref.ref(r) for r in results)
        if len(self._stored) > self.size:
            del self._stored[next(iter(self._stored))]

    def __len__(self) -> int:
        return len(self._stored)
