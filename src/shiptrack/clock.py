"""Time in one place, so tests can control it and formats stay consistent."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_timestamp(value: dt.datetime) -> str:
    """Ship24's ``…At`` format: UTC with milliseconds and ``Z`` (``2021-03-10T05:13:00.000Z``)."""
    value = value.astimezone(dt.UTC)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:"
        f"{value.minute:02d}:{value.second:02d}.{value.microsecond // 1000:03d}Z"
    )
