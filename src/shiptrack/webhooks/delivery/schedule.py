"""When to retry a failed delivery: the explicit schedule, jitter, and ``Retry-After``.

Pure functions: the dispatcher passes the clock and the random source.

``schedule[n - 1]`` is the wait after the n-th failed attempt; a message has
``len(schedule) + 1`` attempts in all, then it is given up. Each wait is spread by ±``jitter``
(a fraction), and is never shorter than the receiver's ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from email.utils import parsedate_to_datetime


def retry_delay(
    failed_attempts: int,
    schedule: Sequence[float],
    *,
    jitter: float = 0.0,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds to wait after ``failed_attempts`` failures, or None when the schedule is spent."""
    if failed_attempts < 1 or failed_attempts > len(schedule):
        return None
    base = schedule[failed_attempts - 1]
    if jitter:
        base *= 1 + (rng or random).uniform(-jitter, jitter)
    if retry_after is not None:
        base = max(base, retry_after)
    return max(0.0, base)


def total_span(schedule: Sequence[float]) -> float:
    """Seconds from the first attempt to the last, without jitter."""
    return float(sum(schedule))


def parse_retry_after(value: str | None, now: dt.datetime, *, cap: float) -> float | None:
    """A ``Retry-After`` header (delta-seconds or an HTTP date) as seconds from ``now``,
    capped at ``cap``; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - now).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(0.0, seconds), cap)
