"""The retry schedule: defaults, delays per attempt, jitter, Retry-After, the setting's format."""

from __future__ import annotations

import datetime as dt
import random
from email.utils import format_datetime

import pytest

from shiptrack.config.webhooks import WebhookSettings
from shiptrack.webhooks.delivery.schedule import parse_retry_after, retry_delay, total_span

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_default_schedule_spans_more_than_three_days():
    settings = WebhookSettings(_env_file=None)
    assert settings.retry_schedule == [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    assert total_span(settings.retry_schedule) >= 3 * 86400
    assert settings.timeout_seconds == 15
    assert settings.disable_after_days == 5


def test_schedule_from_the_environment(monkeypatch):
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_RETRY_SCHEDULE", "1, 2.5,60")
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_ALLOWED_NETWORKS", "10.20.0.0/16,fd00::/8")
    settings = WebhookSettings(_env_file=None)
    assert settings.retry_schedule == [1.0, 2.5, 60.0]
    assert settings.allowed_networks == ["10.20.0.0/16", "fd00::/8"]


def test_negative_delays_are_refused(monkeypatch):
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_RETRY_SCHEDULE", "5,-1")
    with pytest.raises(ValueError, match="zero or more"):
        WebhookSettings(_env_file=None)


@pytest.mark.parametrize(
    ("failed", "expected"),
    [(0, None), (1, 5.0), (2, 300.0), (3, 1800.0), (4, None)],
)
def test_delay_after_each_failure(failed, expected):
    assert retry_delay(failed, [5, 300, 1800]) == expected


def test_jitter_stays_within_its_fraction():
    rng = random.Random(7)
    delays = [retry_delay(1, [100], jitter=0.1, rng=rng) for _ in range(500)]
    assert all(90 <= d <= 110 for d in delays)
    assert max(delays) - min(delays) > 10


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [(None, 5.0), (2.0, 5.0), (60.0, 60.0)],
)
def test_retry_after_is_never_undercut(retry_after, expected):
    assert retry_delay(1, [5], retry_after=retry_after) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("120", 120.0),
        (" 1.5 ", 1.5),
        ("-4", 0.0),
        ("999999", 3600.0),
        ("soon", None),
        (format_datetime(NOW + dt.timedelta(seconds=90), usegmt=True), 90.0),
        (format_datetime(NOW - dt.timedelta(seconds=90), usegmt=True), 0.0),
    ],
)
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header, NOW, cap=3600) == expected


class _Extreme(random.Random):
    """A random source that always draws the top of the range."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_jitter_spreads_around_the_scheduled_wait():
    # The top of the ±10 % range is 10 % later, never earlier, and the given source is used.
    assert retry_delay(1, [100], jitter=0.1, rng=_Extreme()) == pytest.approx(110.0)
    assert retry_delay(2, [100, 40], jitter=0.5, rng=_Extreme()) == pytest.approx(60.0)


def test_a_zero_wait_stays_zero():
    assert retry_delay(1, [0.0, 5]) == 0.0
    assert retry_delay(1, [0.0], jitter=0.1, rng=_Extreme()) == 0.0


def test_an_http_date_without_zone_is_read_as_utc():
    # RFC 5322 "-0000": the zone is unknown; Retry-After dates are GMT, so it is read as UTC.
    assert parse_retry_after("Sun, 01 Mar 2026 12:01:30 -0000", NOW, cap=3600) == 90.0
