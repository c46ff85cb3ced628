"""What a batch of delivery attempts changes: pure, so the rules read (and test) as a table.

For each attempt: delivered (2xx), retry later (the schedule's wait from the end of the
attempt, never shorter than ``Retry-After``), or given up (the schedule is spent). For each
account: the endpoint's health — the latest success, and the first failure since it (the
clock for disabling an endpoint that fails continuously) — and whether it answered 410.
The dispatcher writes the plan in one transaction (``queue.record_outcomes`` and friends).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import orjson

from shiptrack.config.webhooks import WebhookSettings
from shiptrack.webhooks.delivery.http import AttemptResult
from shiptrack.webhooks.delivery.schedule import parse_retry_after, retry_delay
from shiptrack.webhooks.repository import DELIVERED, FAILED, PENDING


@dataclass(slots=True)
class Outcome:
    """One claimed message's fate: an attempt's result, or None when released unsent."""

    message_id: str
    account_id: str
    token: str
    attempts_before: int
    at: dt.datetime
    result: AttemptResult | None


@dataclass(slots=True)
class Health:
    """An account's endpoint over a batch: latest success, first failure after it, latest
    failure, and whether it answered 410 Gone."""

    success_at: dt.datetime | None = None
    failing_since: dt.datetime | None = None
    failure_at: dt.datetime | None = None
    gone: bool = False


@dataclass(slots=True)
class Plan:
    #: ``queue.record_outcomes`` rows.
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    #: ``queue.release`` rows: claims given back unsent.
    releases: list[dict[str, Any]] = field(default_factory=list)
    #: ``queue.insert_attempts`` rows.
    attempts: list[tuple[Any, ...]] = field(default_factory=list)
    health: dict[str, Health] = field(default_factory=dict)
    #: When the retries fall due.
    retries: list[dt.datetime] = field(default_factory=list)
    #: (message id, account id, attempts, error) of messages given up.
    given_up: list[tuple[str, str, int, str | None]] = field(default_factory=list)
    delivered: int = 0
    failed: int = 0

    def endpoint_succeeded(self) -> list[dict[str, Any]]:
        """``queue.endpoint_succeeded`` rows (accounts with a success in the batch)."""
        return [
            {
                "b_account_id": account,
                "b_success_at": h.success_at,
                "b_failing_since": h.failing_since,
                "b_failure_at": h.failure_at,
            }
            for account, h in self.health.items()
            if h.success_at is not None
        ]

    def endpoint_failed(self) -> list[dict[str, Any]]:
        """``queue.endpoint_failed`` rows (accounts whose every attempt failed)."""
        return [
            {
                "b_account_id": account,
                "b_failing_since": h.failing_since,
                "b_failure_at": h.failure_at,
            }
            for account, h in self.health.items()
            if h.success_at is None and h.failure_at is not None
        ]


def plan(
    outcomes: list[Outcome], settings: WebhookSettings, *, owner: str, rng: random.Random
) -> Plan:
    result_plan = Plan()
    for outcome in sorted(outcomes, key=lambda o: o.at):
        result = outcome.result
        if result is None:
            result_plan.releases.append({"b_id": outcome.message_id, "b_token": outcome.token})
            continue
        number = outcome.attempts_before + 1
        health = result_plan.health.setdefault(outcome.account_id, Health())
        error = result.error[:300] if result.error else None
        if result.ok:
            result_plan.delivered += 1
            health.success_at, health.failing_since = outcome.at, None
            status, next_at, finished = DELIVERED, outcome.at, outcome.at
        else:
            result_plan.failed += 1
            health.failing_since = health.failing_since or outcome.at
            health.failure_at = outcome.at
            health.gone = health.gone or result.gone
            retry_after = parse_retry_after(
                result.retry_after_header, outcome.at, cap=settings.max_retry_after_seconds
            )
            delay = retry_delay(
                number,
                settings.retry_schedule,
                jitter=settings.retry_jitter,
                retry_after=retry_after,
                rng=rng,
            )
            if delay is None:
                result_plan.given_up.append((outcome.message_id, outcome.account_id, number, error))
                status, next_at, finished = FAILED, outcome.at, outcome.at
            else:
                # The wait runs from the end of the failed attempt.
                ended = outcome.at + dt.timedelta(milliseconds=result.duration_ms)
                next_at = ended + dt.timedelta(seconds=delay)
                status, finished = PENDING, None
                result_plan.retries.append(next_at)
        headers = (
            orjson.dumps(result.response_headers).decode()
            if result.response_headers is not None
            else None
        )
        result_plan.updates.append(
            (
                status,
                next_at,
                outcome.at,
                result.ok,
                result.status_code,
                error,
                result.response_body,
                headers,
                outcome.at if result.ok else None,
                None if result.ok else outcome.at,
                finished,
                outcome.message_id,
                outcome.token,
            )
        )
        result_plan.attempts.append(
            (
                outcome.message_id,
                outcome.account_id,
                number,
                outcome.at,
                result.duration_ms,
                "success" if result.ok else "failed",
                result.status_code,
                error,
                result.response_body,
                owner,
            )
        )
    return result_plan
