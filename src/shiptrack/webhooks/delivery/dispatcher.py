"""The dispatcher: leases due outbox messages, delivers them, records every outcome.

One round = one write transaction that records the outcomes gathered since the previous round
and claims new due messages (a lease: ``lease_until``, ``lease_owner`` and a random
``lease_token``; on PostgreSQL with ``FOR UPDATE SKIP LOCKED`` so dispatchers in several
processes take disjoint rows; on SQLite the write lock does the same). Deliveries then run
outside any transaction, on the shared aiohttp session, at most ``max_in_flight_per_endpoint``
at a time per account. An outcome is applied only where the lease token still matches, so a
message resent or re-claimed meanwhile is never overwritten by a stale attempt.

Order: a message is claimed only when its tracker has no pending message with a lower
``sequence`` — a tracker's messages go out one at a time, each after its predecessors were
delivered, given up or dropped.

Crash safety: a dispatcher killed mid-delivery leaves leases that expire after
``lease_seconds``; any dispatcher then claims the messages again (at-least-once delivery —
receivers dedupe on ``webhook-id``/``metadata.messageId``). A message still waiting for a
slot close to its lease expiry is released unsent rather than risk two senders.

One module on purpose: the round loop, its leases and its outcome recording share one state;
the pure parts live in ``schedule.py``, ``signing.py``, ``outcomes.py`` and ``delivery.py``.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import heapq
import itertools
import logging
import os
import random
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row

from shiptrack.clock import utcnow
from shiptrack.config import webhook_settings
from shiptrack.config.webhooks import LEASE_MARGIN_SECONDS
from shiptrack.db.engine import Connection, Database
from shiptrack.webhooks.delivery import metrics, queue
from shiptrack.webhooks.delivery.http import AttemptResult, deliver
from shiptrack.webhooks.delivery.outbox import Outbox
from shiptrack.webhooks.delivery.outcomes import Outcome, plan
from shiptrack.webhooks.safety import AddressPolicy, Resolver
from shiptrack.webhooks.signing import active_secrets, secret_key

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger("shiptrack.webhooks")

_instances = itertools.count(1)
_PRUNE_EVERY_SECONDS = 600.0


@dataclass(slots=True)
class _Job:
    """A claimed message, waiting for one of its account's workers."""

    row: Any
    body: bytes
    endpoint: Any
    token: str
    #: Monotonic time after which it is released unsent (its lease would end mid-attempt).
    deadline: float


class WebhookDispatcher:
    """Delivers the outbox. ``run()`` loops until ``stop()``; ``wake()`` after committing
    messages in this process makes it look at once; ``dispatch_due_once()`` runs one
    claim-send-record cycle (tests). ``outbox`` is this process's ``Outbox`` (if it writes
    messages): an endpoint the dispatcher disables is forgotten by its cache at once."""

    def __init__(
        self,
        db: Database,
        session: aiohttp.ClientSession,
        settings: object | None = None,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        rng: random.Random | None = None,
        owner: str | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self.db = db
        self.session = session
        self.settings = webhook_settings(settings)
        self.outbox = outbox
        self.clock = clock
        self.rng = rng or random.Random()
        self.owner = (owner or f"{socket.gethostname()}:{os.getpid()}:{next(_instances)}")[:80]
        self.resolver = Resolver(
            AddressPolicy.from_settings(self.settings.allow_private, self.settings.allowed_networks)
        )
        self._wake = asyncio.Event()
        self._outcomes: list[Outcome] = []
        #: Claimed messages not yet recorded, per account (queued + being sent).
        self._outstanding: dict[str, int] = {}
        #: Per account: claimed messages waiting for a worker, and how many workers run.
        self._queues: dict[str, collections.deque[_Job]] = {}
        self._workers: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._keys: dict[str, bytes] = {}
        #: Monotonic times to look again (a heap): retries this dispatcher scheduled falling
        #: due.
        self._look_at: list[float] = []
        #: Whether the next round should claim: new messages (wake), a poll or retry timer,
        #: a finished message (its tracker's next one may now go), a full previous claim.
        self._claim_wanted = True
        #: The skipped (saturated) accounts of the last claim that found nothing: claiming
        #: again with the same ones finds nothing either, until new messages (wake) or a poll.
        self._fruitless: frozenset[str] | None = None
        self._last_round = 0.0
        self._last_claim = 0.0
        self._stopping = False
        self._running = False
        self._stopped = asyncio.Event()
        self._last_prune = -_PRUNE_EVERY_SECONDS  # the first round prunes, even just after boot
        #: Counters since start, for logs, the CLI and the benchmark.
        self.stats = {"attempts": 0, "delivered": 0, "failed": 0, "given_up": 0}

    @property
    def enabled(self) -> bool:
        return self.settings.dispatcher_enabled

    @property
    def timeout(self) -> aiohttp.ClientTimeout:
        """Each delivery's timeout (built when sending: aiohttp is imported on the outbound
        session's first use, ``shiptrack.outbound``)."""
        import aiohttp

        return aiohttp.ClientTimeout(total=self.settings.timeout_seconds)

    def wake(self) -> None:
        """Look for due messages now: call it once messages written in this process are
        committed — never from inside the writing transaction (the look would not see them).

        The engine calls it through ``UpdateSink.after_commit`` (``webhooks/delivery/hooks.py``),
        the API after the transaction of a resend, a replay or a saved webhook. Messages
        nobody woke it for (another process's, a crash between commit and wake) are found by
        the next poll, ``poll_interval_seconds`` at most later.
        """
        self._claim_wanted = True
        self._fruitless = None
        self._wake.set()

    # --- the loop -------------------------------------------------------------------------

    async def run(self) -> None:
        self._running = True
        self._stopped.clear()
        log.info("webhook dispatcher started", extra={"owner": self.owner})
        try:
            while not self._stopping:
                try:
                    await self._maybe_prune()
                    await self._round()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("webhook dispatcher round failed; retrying in 1 s")
                    await asyncio.sleep(1.0)
                if not self._stopping:
                    await self._wait()
        finally:
            await self._shutdown()
            self._running = False
            self._stopped.set()

    async def stop(self) -> None:
        """Stop gracefully: finish (or release) in-flight deliveries, record their outcomes,
        release every claim of this dispatcher."""
        self._stopping = True
        self._wake.set()
        if self._running:
            await self._stopped.wait()
        else:
            await self._shutdown()

    async def dispatch_due_once(self) -> int:
        """Claim what is due, deliver it, record the outcomes; returns how many were claimed."""
        self._claim_wanted = True
        claimed = await self._round()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._flush()
        return claimed

    async def _wait(self) -> None:
        """Until there is something to do: outcomes to record, a wake, a timer. Rounds are
        at least ``round_interval_seconds`` apart so that each one records and claims a batch
        (at 1,000 deliveries/s, ~20 per round instead of one transaction per delivery)."""
        settings = self.settings
        now = time.monotonic()
        if not self._outcomes and not self._claim_wanted:
            deadline = self._last_claim + settings.poll_interval_seconds
            if self._look_at:
                deadline = min(deadline, self._look_at[0])
            if deadline > now and not self._wake.is_set():
                try:
                    await asyncio.wait_for(self._wake.wait(), deadline - now)
                except TimeoutError:
                    pass
            now = time.monotonic()
            if now >= self._last_claim + settings.poll_interval_seconds:
                self._claim_wanted = True
            while self._look_at and self._look_at[0] <= now:
                heapq.heappop(self._look_at)
                self._claim_wanted = True
        self._wake.clear()
        pause = self._last_round + settings.round_interval_seconds - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)

    async def _shutdown(self) -> None:
        if self._tasks:
            _done, pending = await asyncio.wait(
                list(self._tasks), timeout=self.settings.timeout_seconds + 1
            )
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        await self._flush()
        async with self.db.write() as conn:
            released = await queue.release_owner(conn, self.owner)
        log.info("webhook dispatcher stopped", extra={"owner": self.owner, "released": released})

    # --- one round ------------------------------------------------------------------------

    def _saturated(self) -> list[str]:
        limit = 4 * self.settings.max_in_flight_per_endpoint
        return [a for a, n in self._outstanding.items() if n >= limit]

    async def _round(self) -> int:
        self._last_round = time.monotonic()
        outcomes, self._outcomes = self._outcomes, []
        now = self.clock()
        outstanding = sum(self._outstanding.values())
        free = 0 if self._stopping else self.settings.max_in_flight - outstanding
        free = min(free, self.settings.batch_size)
        # Recorded outcomes may make messages claimable: the next one of a delivered or
        # given-up message's tracker, or a released message itself.
        saturated = self._saturated()
        claim = free > 0 and (self._claim_wanted or bool(outcomes))
        fruitless = self._fruitless
        if (
            claim
            and not self._claim_wanted
            and fruitless == frozenset(saturated)
            and all(o.account_id in fruitless for o in outcomes)
        ):
            claim = False  # only still-saturated accounts moved: nothing new to find
        if not outcomes:
            if not claim:
                return 0
            # A read first: an idle dispatcher must not take SQLite's write lock every poll.
            self._claim_wanted = False
            self._last_claim = time.monotonic()
            async with self.db.read() as conn:
                if not await queue.due_exists(conn, now):
                    return 0
        claimed: list[Row[Any]] = []
        endpoints: dict[str, Row[Any]] = {}
        token = secrets.token_hex(16)
        lease_until = now + dt.timedelta(seconds=self.settings.lease_seconds)
        async with self.db.write() as conn:
            if outcomes:
                await self._record(conn, outcomes, now)
            if claim:
                self._claim_wanted = False
                self._last_claim = time.monotonic()
                claimed = await queue.claim(
                    conn,
                    postgres=self.db.is_postgres,
                    now=now,
                    lease_until=lease_until,
                    owner=self.owner,
                    token=token,
                    limit=free,
                    saturated=saturated,
                    window=self.settings.claim_window,
                )
                self._fruitless = frozenset(saturated) if saturated and not claimed else None
                if claimed:
                    endpoints = await queue.endpoints_for_send(
                        conn, sorted({r.account_id for r in claimed})
                    )
        if len(claimed) == free:
            self._claim_wanted = True  # there may be more due
        deadline = (
            time.monotonic()
            + self.settings.lease_seconds
            - self.settings.timeout_seconds
            - LEASE_MARGIN_SECONDS
        )
        for row in claimed:
            account = row.account_id
            self._outstanding[account] = self._outstanding.get(account, 0) + 1
            waiting = self._queues.get(account)
            if waiting is None:
                waiting = self._queues[account] = collections.deque()
            body = bytes(row.body) if row.body is not None else b""
            waiting.append(_Job(row, body, endpoints.get(account), token, deadline))
            # One worker per queued message, up to the per-endpoint limit: a worker sends its
            # account's messages one after the other until the queue is empty.
            if self._workers.get(account, 0) < min(
                len(waiting), self.settings.max_in_flight_per_endpoint
            ):
                self._workers[account] = self._workers.get(account, 0) + 1
                task = asyncio.create_task(self._worker(account, waiting))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        return len(claimed)

    async def _flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        if outcomes:
            async with self.db.write() as conn:
                await self._record(conn, outcomes, self.clock())

    # --- one delivery ---------------------------------------------------------------------

    def _key(self, secret: str) -> bytes:
        key = self._keys.get(secret)
        if key is None:
            if len(self._keys) > 10_000:
                self._keys.clear()
            key = self._keys[secret] = secret_key(secret)
        return key

    async def _worker(self, account: str, waiting: collections.deque[_Job]) -> None:
        """Send the account's queued messages one after the other until none is left."""
        try:
            while waiting:
                job = waiting.popleft()
                result: AttemptResult | None = None
                at = self.clock()
                try:
                    result, at = await self._send(job)
                finally:
                    self._done(job, result, at)  # cancelled: released unsent
        finally:
            left = self._workers.get(account, 1) - 1
            if left > 0:
                self._workers[account] = left
            else:
                self._workers.pop(account, None)
                self._queues.pop(account, None)
                while waiting:  # only when cancelled mid-queue: give the rest back
                    self._done(waiting.popleft(), None, self.clock())

    def _done(self, job: _Job, result: AttemptResult | None, at: dt.datetime) -> None:
        row = job.row
        if result is not None:
            metrics.observe_attempt(result, at, row.created_at)
        self._outcomes.append(
            Outcome(row.id, row.account_id, job.token, int(row.attempts), at, result)
        )
        left = self._outstanding.get(row.account_id, 1) - 1
        if left > 0:
            self._outstanding[row.account_id] = left
        else:
            self._outstanding.pop(row.account_id, None)
        self._wake.set()

    async def _send(self, job: _Job) -> tuple[AttemptResult | None, dt.datetime]:
        """One attempt, or None (released unsent) when stopping, when the endpoint went
        away, or when the lease is too close to its end."""
        at = self.clock()
        endpoint = job.endpoint
        if (
            endpoint is None
            or not endpoint.enabled
            or self._stopping
            or time.monotonic() >= job.deadline
        ):
            return None, at
        if not job.body:  # cannot happen: bodies are written with their message
            log.error("webhook message has no body", extra={"message_id": job.row.id})
            return AttemptResult(False, None, 0, error="internal error: no message body"), at
        bearer, signing = active_secrets(endpoint, at)
        try:
            result = await deliver(
                self.session,
                self.resolver,
                url=endpoint.url,
                message_id=job.row.id,
                body=job.body,
                bearer=bearer,
                keys=[self._key(s) for s in signing],
                timeout=self.timeout,
                body_limit=self.settings.response_body_limit,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("webhook delivery crashed", extra={"message_id": job.row.id})
            result = AttemptResult(False, None, 0, error=f"internal error: {exc!r}"[:300])
        return result, at

    # --- recording outcomes -----------------------------------------------------------------

    async def _record(self, conn: Connection, outcomes: list[Outcome], now: dt.datetime) -> None:
        todo = plan(outcomes, self.settings, owner=self.owner, rng=self.rng)
        await queue.record_outcomes(conn, todo.updates)
        await queue.release(conn, todo.releases)
        await queue.insert_attempts(conn, todo.attempts)
        await queue.endpoint_succeeded(conn, todo.endpoint_succeeded())
        failing = todo.endpoint_failed()
        await queue.endpoint_failed(conn, failing)
        stats = self.stats
        stats["attempts"] += len(todo.attempts)
        stats["delivered"] += todo.delivered
        stats["failed"] += todo.failed
        stats["given_up"] += len(todo.given_up)
        metrics.GIVEN_UP.inc(len(todo.given_up))
        for message_id, account_id, attempts, error in todo.given_up:
            log.warning(
                "webhook message given up after its last retry",
                extra={
                    "message_id": message_id,
                    "account_id": account_id,
                    "attempts": attempts,
                    "error": error,
                },
            )
        clock_now, mono_now = self.clock(), time.monotonic()
        for retry_at in todo.retries:
            if len(self._look_at) < 10_000:
                wait = max(0.0, (retry_at - clock_now).total_seconds())
                heapq.heappush(self._look_at, mono_now + wait)
        for account, health in sorted(todo.health.items()):
            if health.gone and await queue.disable_endpoint(conn, account, reason="gone", now=now):
                metrics.ENDPOINTS_DISABLED.labels("gone").inc()
                self._forget(account)
                log.warning(
                    "webhook endpoint disabled: it answered 410 Gone",
                    extra={"account_id": account},
                )
        cutoff = now - dt.timedelta(days=self.settings.disable_after_days)
        for row in failing:
            account = row["b_account_id"]
            if todo.health[account].gone:
                continue
            if await queue.disable_endpoint(
                conn, account, reason="failing", now=now, failing_before=cutoff
            ):
                metrics.ENDPOINTS_DISABLED.labels("failing").inc()
                self._forget(account)
                log.warning(
                    "webhook endpoint disabled: every delivery failed for %g days",
                    self.settings.disable_after_days,
                    extra={"account_id": account},
                )

    def _forget(self, account: str) -> None:
        """This process's outbox stops queueing for an endpoint disabled just now."""
        if self.outbox is not None:
            self.outbox.invalidate(account)

    async def _maybe_prune(self) -> None:
        if time.monotonic() - self._last_prune < _PRUNE_EVERY_SECONDS:
            return
        self._last_prune = time.monotonic()
        before = self.clock() - dt.timedelta(days=self.settings.retention_days)
        async with self.db.write() as conn:
            removed = await queue.prune(conn, before, 5000)
        if removed:
            log.info("pruned finished webhook messages", extra={"removed": removed})
