"""The outcome rules as a table: delivered, retried (schedule, Retry-After), given up, released."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from webhook_helpers import fast_settings

from shiptrack.webhooks.delivery.http import AttemptResult
from shiptrack.webhooks.delivery.outcomes import Outcome, plan

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
SETTINGS = fast_settings(retry_schedule=[5, 300], retry_jitter=0.0)


def _outcome(result, attempts_before=0, account="a", at=T0, message="m1"):
    return Outcome(message, account, "tok", attempts_before, at, result)


def _ok(status=200):
    return AttemptResult(True, status, 12, response_body="ok", response_headers={"x": "1"})


def _fail(status=500, retry_after=None, duration_ms=1000, error=None):
    return AttemptResult(
        False,
        status,
        duration_ms,
        error=error or (f"HTTP {status}" if status else "timeout"),
        retry_after_header=retry_after,
    )


def _plan(*outcomes):
    return plan(list(outcomes), SETTINGS, owner="me", rng=random.Random(1))


@pytest.mark.parametrize(
    ("result", "attempts_before", "status", "next_at", "finished"),
    [
        (_ok(), 0, "delivered", T0, T0),
        (_ok(204), 2, "delivered", T0, T0),
        # wait counted from the end of the attempt (1 s long)
        (_fail(500), 0, "pending", T0 + dt.timedelta(seconds=6), None),
        (_fail(None, duration_ms=15000), 0, "pending", T0 + dt.timedelta(seconds=20), None),
        (_fail(503), 1, "pending", T0 + dt.timedelta(seconds=301), None),
        (_fail(429, retry_after="60"), 0, "pending", T0 + dt.timedelta(seconds=61), None),
        (_fail(429, retry_after="1"), 0, "pending", T0 + dt.timedelta(seconds=6), None),
        (_fail(500), 2, "failed", T0, T0),
    ],
)
def test_each_outcome(result, attempts_before, status, next_at, finished):
    todo = _plan(_outcome(result, attempts_before))
    (update,) = todo.updates
    assert update[0] == status
    assert update[1] == next_at
    assert update[10] == finished
    assert update[11:] == ("m1", "tok")
    (attempt,) = todo.attempts
    assert attempt[2] == attempts_before + 1
    assert attempt[5] == ("success" if result.ok else "failed")
    assert attempt[9] == "me"
    assert len(todo.given_up) == (1 if status == "failed" else 0)
    assert todo.retries == ([next_at] if status == "pending" else [])


def test_released_claims_are_not_attempts():
    todo = _plan(_outcome(None))
    assert todo.releases == [{"b_id": "m1", "b_token": "tok"}]
    assert todo.updates == []
    assert todo.attempts == []
    assert todo.health == {}


def test_health_tracks_the_first_failure_since_the_last_success():
    later = [T0 + dt.timedelta(seconds=s) for s in range(4)]
    todo = _plan(
        _outcome(_fail(500), at=later[0], message="m1"),
        _outcome(_ok(), at=later[1], message="m2"),
        _outcome(_fail(500), at=later[2], message="m3"),
        _outcome(_fail(410), at=later[3], message="m4"),
        _outcome(_fail(500), account="b", at=later[1], message="m5"),
    )
    a, b = todo.health["a"], todo.health["b"]
    assert (a.success_at, a.failing_since, a.failure_at, a.gone) == (
        later[1],
        later[2],
        later[3],
        True,
    )
    assert todo.endpoint_succeeded() == [
        {
            "b_account_id": "a",
            "b_success_at": later[1],
            "b_failing_since": later[2],
            "b_failure_at": later[3],
        }
    ]
    assert todo.endpoint_failed() == [
        {"b_account_id": "b", "b_failing_since": later[1], "b_failure_at": later[1]}
    ]
    assert (b.gone, todo.delivered, todo.failed) == (False, 1, 4)
