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


def format_stored_timestamp(value: dt.datetime | str) -> str:
    """:func:`format_timestamp` of a timestamp as a driver reads it: a ``datetime``
    (PostgreSQL), or SQLite's text of a naive UTC one (``2021-03-10 05:13:00.123456``, as
    SQLAlchemy stores them), which is re-cut without building a ``datetime``."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:23]}Z"
        return format_timestamp(dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC))
    return format_timestamp(value)
