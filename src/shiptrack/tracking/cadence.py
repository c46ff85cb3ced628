"""When to check a tracker next, and when to stop tracking it. Pure functions.

The cadence adapts: often while a shipment is new or about to be delivered, rarely once it
has been quiet for days, with exponential backoff after courier errors. Tracking stops after
delivery (plus a grace period for late scans), a final exception, a long silence, or old age.
Every period is a setting (``config.py``); ``time_scale`` divides them for sandbox trackers
whose journeys run faster than real time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shiptrack.config import Settings

_NEAR_DELIVERY = frozenset({"out_for_delivery", "failed_attempt", "available_for_pickup"})
_DAY = 86400.0
_FIRST_BACKOFF = 60.0


@dataclass(frozen=True, slots=True)
class TrackerClock:
    """The times a decision depends on (aware UTC)."""

    now: dt.datetime
    created_at: dt.datetime
    #: When the newest event was discovered (None: no event yet).
    last_event_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Decision:
    next_check_at: dt.datetime | None
    stop_reason: str | None = None

    @property
    def stops(self) -> bool:
        return self.stop_reason is not None


def stop_reason(
    settings: Settings, clock: TrackerClock, milestone: str, *, time_scale: float = 1.0
) -> str | None:
    """Why tracking should stop now, or None to keep going."""
    since_event = (clock.now - (clock.last_event_at or clock.created_at)).total_seconds()
    age = (clock.now - clock.created_at).total_seconds()
    if (
        milestone == "delivered"
        and since_event >= settings.stop_after_delivered_hours * 3600 / time_scale
    ):
        return "delivered"
    if (
        milestone == "exception"
        and since_event >= settings.stop_after_exception_days * _DAY / time_scale
    ):
        return "exception"
    if since_event >= settings.stop_after_inactive_days * _DAY / time_scale:
        return "inactive"
    if age >= settings.stop_after_age_days * _DAY / time_scale:
        return "expired"
    return None


def interval(
    settings: Settings, clock: TrackerClock, milestone: str, *, time_scale: float = 1.0
) -> float:
    """Seconds until the next check of a tracker that answered normally."""
    since_event = (clock.now - (clock.last_event_at or clock.created_at)).total_seconds()
    if milestone in _NEAR_DELIVERY:
        seconds = settings.check_interval_near_delivery_seconds
    elif since_event < _DAY:
        seconds = settings.check_interval_new_seconds
    elif since_event < settings.idle_after_days * _DAY:
        seconds = settings.check_interval_active_seconds
    else:
        seconds = settings.check_interval_idle_seconds
    if milestone == "delivered":
        # Only late scans are left to catch: no need to look more than twice in the grace.
        seconds = max(seconds, settings.stop_after_delivered_hours * 3600 / 2)
    return seconds / time_scale


def backoff(
    settings: Settings, errors: int, retry_after: float | None, time_scale: float = 1.0
) -> float:
    """Seconds to wait after ``errors`` consecutive failed checks (1 → 60 s, doubling), on
    the tracker's time scale; a courier's ``retry_after`` is real seconds, never scaled."""
    wait = min(_FIRST_BACKOFF * 2 ** max(0, errors - 1), settings.error_backoff_max_seconds)
    return max(wait / time_scale, retry_after or 0.0)


def decide(
    settings: Settings,
    clock: TrackerClock,
    milestone: str,
    *,
    errors: int = 0,
    retry_after: float | None = None,
    time_scale: float = 1.0,
    min_interval: float = 0.0,
    next_reveal_in: float | None = None,
) -> Decision:
    """The next check (or the stop) of a tracker after a refresh."""
    reason = stop_reason(settings, clock, milestone, time_scale=time_scale)
    if reason is not None:
        return Decision(None, reason)
    if errors:
        # Sandbox journeys run on scaled time: so does their error backoff (SBX_FLAKY at a
        # scale of 4320 retries after 60 / 4320 s, not a real minute).
        seconds = backoff(settings, errors, retry_after, time_scale)
    else:
        seconds = interval(settings, clock, milestone, time_scale=time_scale)
        if next_reveal_in is not None:
            seconds = min(seconds, next_reveal_in)
    # Never later than the moment the tracker must stop, so it stops on time.
    if milestone in ("delivered", "exception"):
        grace = (
            settings.stop_after_delivered_hours * 3600
            if milestone == "delivered"
            else settings.stop_after_exception_days * _DAY
        ) / time_scale
        since_event = (clock.now - (clock.last_event_at or clock.created_at)).total_seconds()
        seconds = min(seconds, max(0.0, grace - since_event) + 0.001)
    return Decision(clock.now + dt.timedelta(seconds=max(seconds, min_interval)))
