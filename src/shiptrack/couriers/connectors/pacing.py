"""Pacing an upstream's calls to the provider's documented per-endpoint rate limits.

AfterShip (2025-01: create 20 req/s, list 6, get one 5 per organisation), Ship24 (create
10 req/s, bulk 3, results 10 per key), TrackingMore (batch create, get 10 req/s per key) and
17TRACK (3 req/s per key, every endpoint together) document their limits and answer ``429``
past them. Each provider's settings class names them (``documented_limits``; the operator's
``…_RATE_LIMITS`` replace them, ``UpstreamSettings.endpoint_limits``) and
``UpstreamConnector.call`` goes through ``paced``:

- each call to a limited endpoint takes the next slot of that endpoint's ``Pacer`` — slots
  evenly spaced at the limit, a little wider (``MARGIN``) so that the provider's one-second
  windows never see one call too many — so the calls of a batch sent concurrently stay
  within the limit however many there are;
- a call whose slot is further away than ``max_wait`` (the answer could not come within the
  engine's timeout of its ``track``) is not sent: it answers
  ``BudgetExhausted`` (budget ``rate_limit``, not a failure) with the moment a slot will be
  free, and the engine checks the tracker again then (``tracking/after_check.py``);
- a ``429`` all the same (another client of the same key, several shiptrack processes)
  holds every call to the endpoint for the ``Retry-After`` (or ``X-RateLimit-Reset``) the
  provider gave, else its documented back-off (TrackingMore: 120 s), then sends the refused
  call again, ``RETRIES`` times at most, or defers it as above when that is past its
  deadline: a 429 loses nothing.

The pace is per process: several processes sharing one key share the provider's limit, and
their 429s are answered as above.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, TypeVar

from shiptrack.couriers.connectors.protocol import (
    RATE_LIMIT_BUDGET,
    BudgetExhausted,
    CourierRateLimited,
)

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.couriers.connectors.keepalive import Answer

T = TypeVar("T")

#: When the ``track`` this call belongs to must have sent its last call (``time.monotonic``;
#: None outside one): later, its answer could not come within the engine's timeout.
DEADLINE: ContextVar[float | None] = ContextVar("shiptrack_upstream_deadline", default=None)

#: Slots are spaced this much wider than the documented limit (5%): calls that leave
#: evenly spaced can arrive a little bunched (a 429 all the same is waited out).
MARGIN = 1.05
#: How many times a call refused with 429 is sent again (after the provider's wait).
RETRIES = 3
#: The wait after a 429 that says nothing about when to come back.
DEFAULT_HOLD = 1.0


class Pacer:
    """One endpoint's slots: at most ``rate`` calls a second, evenly spaced."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.interval = MARGIN / rate
        #: At most ``capacity`` calls leave within any ``window`` seconds, counted when they
        #: really leave: after a stall of the event loop, slots that passed meanwhile do not
        #: all go at once.
        self.capacity = max(1, int(rate))
        self.window = self.capacity * self.interval
        self.sent: deque[float] = deque()
        self.next_slot = 0.0
        #: No call leaves before this (a 429's wait), even one whose slot was taken before.
        self.held_until = 0.0
        #: Where the calls refused for want of a slot were told to come back (each a slot
        #: apart, so that they do not all come back at once).
        self.promised = 0.0

    def reserve(self, max_wait: float) -> float | None:
        """Seconds until this call's slot (taken), or None when it is further than
        ``max_wait`` away (nothing taken; ``come_back_in`` says when to try again)."""
        now = time.monotonic()
        slot = max(self.next_slot, now)
        if slot - now > max_wait:
            return None
        self.next_slot = slot + self.interval
        return slot - now

    def come_back_in(self) -> float:
        """Seconds until a refused call should try again: its own turn after the calls
        already holding slots and those refused before it."""
        now = time.monotonic()
        when = max(self.promised, self.next_slot, now)
        self.promised = when + self.interval
        return when - now

    def hold(self, seconds: float) -> None:
        """No call before ``seconds`` from now (a 429's wait)."""
        self.held_until = max(self.held_until, time.monotonic() + seconds)
        self.next_slot = max(self.next_slot, self.held_until)

    async def take(self, max_wait: float) -> bool:
        """Wait for this call's slot; False (nothing taken) when none is free within
        ``max_wait``. A call whose slot came while a 429's hold began, or that woke late with
        ``capacity`` calls already sent within the ``window``, waits for a new one."""
        while True:
            wait = self.reserve(max_wait)
            if wait is None:
                return False
            if wait > 0:
                await asyncio.sleep(wait)
            now = time.monotonic()
            if self.held_until > now:
                continue
            while self.sent and self.sent[0] <= now - self.window:
                self.sent.popleft()
            if len(self.sent) >= self.capacity:  # the loop stalled past this slot
                self.next_slot = max(self.next_slot, self.sent[0] + self.window)
                continue
            self.sent.append(now)
            return True


def max_wait(timeout: float) -> float:
    """How long a call may wait for its slot: until its ``track``'s ``DEADLINE``, or half the
    call's ``timeout`` outside one."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout / 2
    return max(0.0, deadline - time.monotonic())


def rate_refusal(provider: str, endpoint: str, pacer: Pacer) -> BudgetExhausted:
    """What a call that found no slot within its wait answers."""
    wait = pacer.come_back_in()
    return BudgetExhausted(
        f"{provider} allows {pacer.rate:g} {endpoint} calls a second (its documented limit): "
        f"this one waits its turn, in {wait:.1f} s",
        budget=RATE_LIMIT_BUDGET,
        retry_after=wait,
    )


async def paced(
    pacer: Pacer | None,
    send: Callable[[], Awaitable[T]],
    *,
    max_wait: float,
    refuse: Callable[[], BudgetExhausted],
    on_429: Callable[[], None] = lambda: None,
    default_hold: float = DEFAULT_HOLD,
) -> T:
    """``send()`` in its endpoint's next slot (``pacer`` None: at once), sent again after
    a 429's wait (the provider's ``Retry-After``, else ``default_hold``: its documented
    back-off) up to ``RETRIES`` times; ``refuse()`` is raised when no slot is free within
    ``max_wait`` (after a long back-off: the engine checks the numbers again when it ends)."""
    for attempt in range(RETRIES + 1):
        if pacer is not None and not await pacer.take(max_wait):
            raise refuse()
        try:
            return await send()
        except CourierRateLimited as exc:
            if pacer is None or attempt == RETRIES or isinstance(exc, BudgetExhausted):
                raise
            on_429()
            pacer.hold(exc.retry_after if exc.retry_after is not None else default_hold)
    raise AssertionError("unreachable")  # pragma: no cover


def retry_after(response: aiohttp.ClientResponse | Answer) -> str | None:
    """A 429's wait: ``Retry-After``, else ``X-RateLimit-Reset`` (AfterShip's: a Unix time)
    as seconds from now."""
    given = response.headers.get("Retry-After")
    reset = response.headers.get("X-RateLimit-Reset")
    if given or not reset:
        return given
    try:
        return str(max(0.0, min(60.0, float(reset) - time.time())))
    except ValueError:
        return None


class InFlight:
    """At most ``limit`` calls to one provider waiting for their answer at once
    (``…_MAX_IN_FLIGHT``): ``async with gate:`` around a call.

    A counter and a queue of waiting futures, first come first served. ``asyncio.Semaphore``
    does the same, but in Python 3.11 its ``acquire`` and ``release`` walk the queue of
    waiters (``locked()``, ``_wake_up_next``, ``deque.remove``), and a batch of calls to a
    provider that answers one number a call (Ship24's results, AfterShip's create) queues
    hundreds of them behind the limit. Here a call that finds a free place takes it without
    awaiting, and a release hands its place straight to the first waiter still waiting.
    """

    __slots__ = ("count", "limit", "waiters")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self.waiters: deque[asyncio.Future[None]] = deque()

    async def __aenter__(self) -> None:
        if self.count < self.limit:  # then nobody waits: a release hands over, or counts down
            self.count += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await waiter  # its place is handed over: ``count`` already counts it
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a place while being cancelled: pass it on
            raise

    async def __aexit__(self, *_: object) -> None:
        self.release()

    def release(self) -> None:
        waiters = self.waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():  # a cancelled waiter is skipped
                waiter.set_result(None)
                return
        self.count -= 1
