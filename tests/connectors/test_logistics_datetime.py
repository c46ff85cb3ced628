"""``logistics_datetime``: its quick path for a date-time already written as it writes one
answers exactly what the pattern does, for valid and broken inputs alike."""

from __future__ import annotations

import random

import pytest

from shiptrack.couriers.connectors.parsing import _canonical, _parsed, logistics_datetime


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2026-12-07T15:12:51", "2026-12-07T15:12:51"),
        ("2026-12-07T15:12:51Z", "2026-12-07T15:12:51Z"),
        ("2026-12-07T15:12:51+05:30", "2026-12-07T15:12:51+05:30"),
        ("2026-12-07T15:12:51-0400", "2026-12-07T15:12:51-04:00"),
        ("2026-12-07T15:12:51.123Z", "2026-12-07T15:12:51Z"),
        ("2026-12-07 15:12", "2026-12-07T15:12:00"),
        ("2026-12-07", "2026-12-07"),
        (" 2026-12-07T15:12:51Z ", "2026-12-07T15:12:51Z"),
        ("2026-02-30T15:12:51", None),
        ("2026-12-07T24:00:00", None),
        ("2026-12-07T23:59:60", None),
        ("2026-W49-1T15:12:51", None),  # an ISO week date: Python reads it, the pattern not
        ("2026-12-07T15:12:51+5:300", None),
        ("２０２６-12-07T15:12:51", None),
        ("2026-12-07T15:12:51 ", "2026-12-07T15:12:51"),
        (20261207, None),
    ],
)
def test_answers(given, expected):
    assert logistics_datetime(given) == expected


def _mutations(rng: random.Random, count: int) -> list[str]:
    bases = ["2026-12-07T15:12:51", "2026-12-07T15:12:51Z", "2024-02-29T23:59:59+14:00"]
    alphabet = "0123456789-:+TZ .W/x٣"
    out = []
    for _ in range(count):
        text = list(rng.choice(bases))
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(text))
            text[position] = rng.choice(alphabet)
        out.append("".join(text))
    return out


def test_the_quick_path_answers_what_the_pattern_does():
    rng = random.Random(7)
    inputs = _mutations(rng, 20_000)
    quick = [v for v in inputs if _canonical(v)]
    assert len(quick) > 1_000, "the mutations reach the quick path"
    for value in inputs:
        if _canonical(value):
            assert _parsed(value) == value, value
        assert logistics_datetime(value) == _parsed(value.strip()), value
