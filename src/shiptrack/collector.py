"""The garbage collector of a process that runs the tracking engine (decision 26).

A batch of checks allocates hundreds of thousands of short-lived objects, nearly all freed
by reference counting; with Python's default first threshold (700 allocations) the
collector runs young collections over them all the time, and the survivors it promotes
make the full collections come sooner and walk more. ``shiptrack worker`` and a ``serve``
worker that embeds the engine raise that threshold; what start-up built is frozen
(``settle_collector`` for the worker, the app's lifespan for ``serve``).
"""

from __future__ import annotations

import gc

#: The collector's first threshold in a process running the engine (Python's default: 700
#: allocations): collecting every 700 of them spent ~10% of a worker's CPU.
GC_FIRST_THRESHOLD = 10_000


def raise_first_threshold() -> None:
    """Young collections every ``GC_FIRST_THRESHOLD`` allocations; cyclic garbage is still
    collected, a little later."""
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_FIRST_THRESHOLD, second, third)


def settle_collector() -> None:
    """Tune the garbage collector for the engine's steady state, once start-up is done:
    what start-up built (modules, the courier catalogue, the status rules, pools) lives as
    long as the process, so it moves out of the collector's sight (``gc.freeze``) instead of
    being walked by every full collection (a full collection of a started worker took
    ~65 ms and ran every few seconds under load); and young collections run less often."""
    gc.collect()
    gc.freeze()
    raise_first_threshold()
