"""The tracking cadence (``tracking/cadence.py``) against its documented rules.

docs/configuration.md and the settings' descriptions state the rules: 15 min while new or near
delivery, hourly while active, 6 h once idle for 3 days; after courier errors 60 s doubling up
to an hour (never sooner than a ``Retry-After``); stop 24 h after delivery, 7 days after a
final exception, 30 days without events, 180 days after creation. Numbers below are those
defaults, or distinct values so that a swapped setting shows.
"""

from __future__ import annotations

import datetime as dt

import pytest

from shiptrack.config import Settings
from shiptrack.tracking.cadence import (
    Decision,
    TrackerClock,
    backoff,
    decide,
    interval,
    stop_reason,
)

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
HOUR, DAY = 3600.0, 86400.0


def settings(**values: float) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


#: Every cadence period different, so a rule that reads the wrong setting is caught.
DISTINCT = settings(
    check_interval_new_seconds=900,
    check_interval_near_delivery_seconds=600,
    check_interval_active_seconds=3600,
    check_interval_idle_seconds=21600,
    idle_after_days=3,
    error_backoff_max_seconds=3600,
    stop_after_delivered_hours=24,
    stop_after_exception_days=7,
    stop_after_inactive_days=30,
    stop_after_age_days=180,
)


def clock(*, age: float, quiet: float | None = None) -> TrackerClock:
    """A tracker created ``age`` seconds ago whose last event was ``quiet`` seconds ago."""
    last = None if quiet is None else NOW - dt.timedelta(seconds=quiet)
    return TrackerClock(now=NOW, created_at=NOW - dt.timedelta(seconds=age), last_event_at=last)


# --- error backoff ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("errors", "seconds"),
    [(0, 60), (1, 60), (2, 120), (3, 240), (4, 480), (5, 960), (6, 1920), (7, 3600), (30, 3600)],
)
def test_error_backoff_doubles_from_a_minute_up_to_the_cap(errors: int, seconds: float) -> None:
    assert backoff(DISTINCT, errors, None) == seconds


def test_error_backoff_never_comes_before_retry_after() -> None:
    assert backoff(DISTINCT, 1, 300.0) == 300.0  # the courier asked for longer
    assert backoff(DISTINCT, 3, 30.0) == 240.0  # the backoff is already longer
    assert backoff(DISTINCT, 9, 7200.0) == 7200.0  # even beyond the cap
    assert backoff(settings(error_backoff_max_seconds=100), 5, None) == 100


def test_decide_after_errors_backs_off_instead_of_the_normal_interval() -> None:
    young = clock(age=HOUR, quiet=HOUR)
    assert decide(DISTINCT, young, "in_transit").next_check_at == NOW + dt.timedelta(seconds=900)
    for errors, wait in ((1, 60), (2, 120), (3, 240)):
        decision = decide(DISTINCT, young, "in_transit", errors=errors)
        assert decision == Decision(NOW + dt.timedelta(seconds=wait))
    held = decide(DISTINCT, young, "in_transit", errors=1, retry_after=1800.0)
    assert held.next_check_at == NOW + dt.timedelta(seconds=1800)


# --- the normal interval ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("milestone", "quiet", "seconds"),
    [
        ("in_transit", None, 900),  # new tracker, no event yet (created an hour ago)
        ("in_transit", 0, 900),
        ("in_transit", DAY - 1, 900),
        ("in_transit", DAY, 3600),  # active: an event in the last idle_after_days
        ("in_transit", 3 * DAY - 1, 3600),
        ("in_transit", 3 * DAY, 21600),  # idle
        ("pending", 10 * DAY, 21600),
        ("out_for_delivery", 10 * DAY, 600),  # near delivery, however quiet
        ("failed_attempt", 2 * DAY, 600),
        ("available_for_pickup", 0, 600),
        ("info_received", 2 * DAY, 3600),
        ("exception", 2 * DAY, 3600),
        # Delivered: only late scans to catch, so at most twice in the 24 h grace.
        ("delivered", 0, 12 * HOUR),
        ("delivered", 5 * DAY, 12 * HOUR),
    ],
)
def test_interval_follows_the_shipments_state(milestone: str, quiet: float | None, seconds: float):
    assert interval(DISTINCT, clock(age=HOUR, quiet=quiet), milestone) == seconds


def test_interval_uses_the_idle_setting_and_the_time_scale() -> None:
    quiet = clock(age=HOUR, quiet=2 * DAY)
    assert interval(settings(idle_after_days=1), quiet, "in_transit") == 21600
    assert interval(settings(idle_after_days=5), quiet, "in_transit") == 3600
    assert interval(DISTINCT, clock(age=HOUR, quiet=0), "in_transit", time_scale=10) == 90
    # A long delivered grace makes the delivered cadence half of it.
    assert interval(settings(stop_after_delivered_hours=48), quiet, "delivered") == DAY
    # ... but never shorter than the normal cadence.
    slow = settings(stop_after_delivered_hours=1, check_interval_active_seconds=7200)
    assert interval(slow, quiet, "delivered") == 7200


def test_quiet_time_counts_from_creation_without_events() -> None:
    assert interval(DISTINCT, clock(age=2 * DAY), "in_transit") == 3600
    assert interval(DISTINCT, clock(age=4 * DAY), "in_transit") == 21600
    assert interval(DISTINCT, clock(age=4 * DAY, quiet=HOUR), "in_transit") == 900


# --- stopping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("milestone", "age", "quiet", "reason"),
    [
        ("delivered", DAY, 24 * HOUR - 1, None),
        ("delivered", DAY, 24 * HOUR, "delivered"),
        ("exception", 8 * DAY, 7 * DAY - 1, None),
        ("exception", 8 * DAY, 7 * DAY, "exception"),
        ("delivered", 8 * DAY, 7 * DAY, "delivered"),
        ("in_transit", 8 * DAY, 7 * DAY, None),  # not final: only inactivity or age stop it
        ("in_transit", 31 * DAY, 30 * DAY - 1, None),
        ("in_transit", 31 * DAY, 30 * DAY, "inactive"),
        ("in_transit", None, 30 * DAY, "inactive"),  # no event since creation
        ("in_transit", 180 * DAY - 1, 0, None),
        ("in_transit", 180 * DAY, 0, "expired"),
        ("out_for_delivery", 200 * DAY, HOUR, "expired"),
    ],
)
def test_stop_reasons(milestone: str, age: float | None, quiet: float, reason: str | None) -> None:
    moment = clock(age=quiet, quiet=None) if age is None else clock(age=age, quiet=quiet)
    assert stop_reason(DISTINCT, moment, milestone) == reason
    decision = decide(DISTINCT, moment, milestone)
    assert decision.stop_reason == reason
    assert decision.stops is (reason is not None)
    assert (decision.next_check_at is None) is (reason is not None)


def test_stop_periods_shrink_with_the_time_scale() -> None:
    moment = clock(age=DAY, quiet=3 * HOUR)
    assert stop_reason(DISTINCT, moment, "delivered", time_scale=8) == "delivered"
    assert stop_reason(DISTINCT, moment, "delivered", time_scale=7) is None
    moment = clock(age=DAY, quiet=DAY)
    assert stop_reason(DISTINCT, moment, "exception", time_scale=7) == "exception"
    assert stop_reason(DISTINCT, moment, "exception", time_scale=6) is None
    assert stop_reason(DISTINCT, moment, "in_transit", time_scale=30) == "inactive"
    assert stop_reason(DISTINCT, moment, "in_transit", time_scale=29) is None
    young = clock(age=DAY, quiet=0)
    assert stop_reason(DISTINCT, young, "in_transit", time_scale=180) == "expired"
    assert stop_reason(DISTINCT, young, "in_transit", time_scale=179) is None


def test_a_final_shipment_is_checked_again_when_its_grace_ends() -> None:
    # Delivered 23 h ago: the next check is at the end of the grace (1 h), not 12 h later.
    decision = decide(DISTINCT, clock(age=2 * DAY, quiet=23 * HOUR), "delivered")
    assert decision.next_check_at == NOW + dt.timedelta(seconds=HOUR + 0.001)
    # Exception 7 days minus 10 min ago, after errors: the grace end comes before the backoff.
    late = clock(age=8 * DAY, quiet=7 * DAY - 600)
    decision = decide(DISTINCT, late, "exception", errors=9)
    assert decision.next_check_at == NOW + dt.timedelta(seconds=600.001)
    # Far from the grace end, the normal interval holds.
    early = decide(DISTINCT, clock(age=DAY, quiet=HOUR), "delivered")
    assert early.next_check_at == NOW + dt.timedelta(seconds=12 * HOUR)
    # A sandbox-scaled grace: 24 h / 12 = 2 h, 1.5 h of it gone.
    scaled = decide(DISTINCT, clock(age=DAY, quiet=1.5 * HOUR), "delivered", time_scale=12)
    assert scaled.next_check_at == NOW + dt.timedelta(seconds=1800.001)


def test_next_reveal_and_min_interval() -> None:
    young = clock(age=HOUR, quiet=0)
    soon = decide(DISTINCT, young, "in_transit", next_reveal_in=120.0)
    assert soon.next_check_at == NOW + dt.timedelta(seconds=120)
    late = decide(DISTINCT, young, "in_transit", next_reveal_in=5000.0)
    assert late.next_check_at == NOW + dt.timedelta(seconds=900)
    # A courier's shortest interval between two checks of a number wins over everything.
    floor = decide(DISTINCT, young, "in_transit", next_reveal_in=120.0, min_interval=3600.0)
    assert floor.next_check_at == NOW + dt.timedelta(seconds=3600)
    erred = decide(DISTINCT, young, "in_transit", errors=1, min_interval=3600.0)
    assert erred.next_check_at == NOW + dt.timedelta(seconds=3600)
    # Errors ignore the reveal hint (the courier failed; back off).
    backing = decide(DISTINCT, young, "in_transit", errors=3, next_reveal_in=10.0)
    assert backing.next_check_at == NOW + dt.timedelta(seconds=240)


def test_decide_passes_the_time_scale_on() -> None:
    # A sandbox journey 100× faster: the 900 s cadence is 9 s, and 30 days idle is 7.2 hours.
    assert decide(DISTINCT, clock(age=HOUR, quiet=0), "in_transit", time_scale=100) == Decision(
        NOW + dt.timedelta(seconds=9)
    )
    idle = clock(age=8 * HOUR, quiet=8 * HOUR)
    assert decide(DISTINCT, idle, "in_transit", time_scale=100) == Decision(None, "inactive")


def test_no_floor_without_min_interval_and_grace_ends_to_the_millisecond() -> None:
    soon = decide(DISTINCT, clock(age=HOUR, quiet=0), "in_transit", next_reveal_in=0.25)
    assert soon.next_check_at == NOW + dt.timedelta(seconds=0.25)
    # Half a second of the delivered grace left: checked again just after it ends.
    ending = decide(DISTINCT, clock(age=2 * DAY, quiet=24 * HOUR - 0.5), "delivered")
    assert ending.next_check_at == NOW + dt.timedelta(seconds=0.501)
    # No retry_after and a sub-second cap: the cap holds.
    assert backoff(settings(error_backoff_max_seconds=0.5), 1, None) == 0.5
