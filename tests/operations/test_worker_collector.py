"""``shiptrack worker`` settles the garbage collector once started (decision 26)."""

from __future__ import annotations

import gc

from shiptrack.cli.worker import GC_FIRST_THRESHOLD, settle_collector


def test_settling_freezes_start_up_objects_and_raises_the_first_threshold():
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        kept = [object() for _ in range(10)], {"a": [1, 2]}  # a container start-up made
        settle_collector()
        assert gc.get_freeze_count() > 0
        threshold = gc.get_threshold()
        assert threshold == (GC_FIRST_THRESHOLD, before[1], before[2])
        # Out of the collector's sight: no collection walks it any more.
        assert not any(o is kept for o in gc.get_objects())
        # Garbage made afterwards is still collected.
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
