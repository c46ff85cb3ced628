from __future__ import annotations

import datetime as dt

import pytest

from shiptrack.status import logistics_time as lt

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "kind", "wall", "instant"),
    [
        ("2022-10-23T15:13:37", "local", dt.datetime(2022, 10, 23, 15, 13, 37), None),
        (
            "2022-12-21T17:01:12+02:00",
            "offset",
            dt.datetime(2022, 12, 21, 17, 1, 12),
            dt.datetime(2022, 12, 21, 15, 1, 12, tzinfo=UTC),
        ),
        (
            "2022-09-03T23:58:12Z",
            "utc",
            dt.datetime(2022, 9, 3, 23, 58, 12),
            dt.datetime(2022, 9, 3, 23, 58, 12, tzinfo=UTC),
        ),
        (
            "2022-09-03T23:58:12.000Z",
            "utc",
            dt.datetime(2022, 9, 3, 23, 58, 12),
            dt.datetime(2022, 9, 3, 23, 58, 12, tzinfo=UTC),
        ),
        (
            "2022-09-03T10:00:00+00:00",
            "offset",
            dt.datetime(2022, 9, 3, 10),
            dt.datetime(2022, 9, 3, 10, tzinfo=UTC),
        ),
        ("2022-08-14", "date", dt.datetime(2022, 8, 14), None),
        (" 2022-08-14 ", "date", dt.datetime(2022, 8, 14), None),
    ],
)
def test_parse_the_four_forms(
    value: str, kind: str, wall: dt.datetime, instant: dt.datetime | None
) -> None:
    parsed = lt.parse(value)
    assert (parsed.kind, parsed.wall, parsed.instant) == (kind, wall, instant)
    assert lt.is_logistics_time(value)


@pytest.mark.parametrize("value", ["", "yesterday", "2022-13-01", "2022-10-23T25:00:00", "14:05"])
def test_parse_rejects_other_text(value: str) -> None:
    with pytest.raises(ValueError, match="not a logistics date-time"):
        lt.parse(value)
    assert not lt.is_logistics_time(value)


def test_is_logistics_time_rejects_non_strings() -> None:
    assert not lt.is_logistics_time(None)
    assert not lt.is_logistics_time(20221023)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-10-23T15:13:37", dt.datetime(2022, 10, 23, 15, 13, 37, tzinfo=UTC)),
        ("2022-10-23T15:13:37+02:00", dt.datetime(2022, 10, 23, 13, 13, 37, tzinfo=UTC)),
        ("2022-10-23T15:13:37-05:00", dt.datetime(2022, 10, 23, 20, 13, 37, tzinfo=UTC)),
        ("2022-10-23T15:13:37Z", dt.datetime(2022, 10, 23, 15, 13, 37, tzinfo=UTC)),
        ("2022-10-23", dt.datetime(2022, 10, 23, 23, 59, 59, 999_999, tzinfo=UTC)),
        ("garbage", dt.datetime.min.replace(tzinfo=UTC)),
    ],
)
def test_sort_instant(value: str, expected: dt.datetime) -> None:
    assert lt.sort_instant(value) == expected


def test_a_date_sorts_after_the_timed_events_of_its_day_and_before_the_next_day() -> None:
    ordered = sorted(
        ["2022-10-24T00:00:00", "2022-10-23", "2022-10-23T23:59:00", "2022-10-23T08:00:00"],
        key=lt.sort_instant,
    )
    assert ordered == [
        "2022-10-23T08:00:00",
        "2022-10-23T23:59:00",
        "2022-10-23",
        "2022-10-24T00:00:00",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-10-23T15:13:37", "2022-10-23T15:13"),
        ("2022-10-23T15:13:02+02:00", "2022-10-23T15:13"),
        ("2022-10-23T15:13:59Z", "2022-10-23T15:13"),
        ("2022-10-23", "2022-10-23"),
        (" not a date ", "not a date"),
    ],
)
def test_wall_minute(value: str, expected: str) -> None:
    assert lt.wall_minute(value) == expected


INSTANT = dt.datetime(2026, 11, 20, 22, 5, 30, 123_456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "hours", "expected"),
    [
        ("local", -5, "2026-11-20T17:05:30"),
        ("local", 8, "2026-11-21T06:05:30"),
        ("offset", -5, "2026-11-20T17:05:30-05:00"),
        ("offset", 0, "2026-11-20T22:05:30+00:00"),
        ("utc", 8, "2026-11-20T22:05:30Z"),
        ("date", 8, "2026-11-21"),
    ],
)
def test_format_as(kind: lt.Kind, hours: int, expected: str) -> None:
    written = lt.format_as(kind, INSTANT, dt.timedelta(hours=hours))
    assert written == expected
    assert lt.parse(written).kind == kind
