"""Ship24's *logistics date-time*: the four forms of ``occurrenceDatetime``, and how to sort them.

=============================  ==========  ===============================================
value                          kind        meaning
=============================  ==========  ===============================================
``2022-10-23T15:13:37``        ``local``   wall clock of the event's place, offset unknown
``2022-12-21T17:01:12+02:00``  ``offset``  wall clock with its offset (an exact instant)
``2022-09-03T23:58:12Z``       ``utc``     an exact instant; the local zone is unknown
``2022-08-14``                 ``date``    the day only
=============================  ==========  ===============================================

Values stay strings everywhere (converting loses what the courier knew). To sort, each value
gets an approximate UTC instant (:func:`sort_instant`):

* ``offset`` and ``utc`` values are exact;
* a ``local`` wall clock is read as if it were UTC — the error is the place's offset (at most
  ±14 h), the best one can do without knowing the place's zone;
* a ``date`` sorts at the very end of its day (23:59:59.999999): the events that come with a
  date only are usually late data (a delivery confirmed "on the 14th"), and placing them after
  the timed scans of the same day never moves a shipment's milestone backwards, whereas the
  start of the day would put "delivered" before that morning's "out for delivery".

Ties (same approximate instant, e.g. two events of the same day) are broken by the courier's
``order`` — see :mod:`shiptrack.tracking.timeline`.

:func:`parse`, :func:`sort_instant`, :func:`wall_minute` and :func:`format_as` are pure and
memoised per distinct argument (bounded, least recently used first out): a refresh reads each
event's time four or five times (fingerprint, order of discovery, timeline order, webhook
fields), and a courier's journeys repeat their times across trackers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Kind = Literal["local", "offset", "utc", "date"]

_END_OF_DAY = dt.time(23, 59, 59, 999_999)
#: Distinct values remembered by each memoised function (a few MB at most).
CACHE_SIZE = 16_384
#: Where unparseable values sort (oldest): a bad row must not break a whole timeline.
_UNPARSEABLE = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class LogisticsTime:
    """A parsed logistics date-time."""

    kind: Kind
    #: The wall clock as written (naive; midnight for a ``date``).
    wall: dt.datetime
    #: The exact UTC instant, when the value says it (``offset`` and ``utc`` kinds).
    instant: dt.datetime | None


@lru_cache(maxsize=CACHE_SIZE)
def parse(value: str) -> LogisticsTime:
    """Parse one of the four forms; raises ``ValueError`` saying what is wrong."""
    text = value.strip()
    if "T" not in text:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a logistics date-time: {value!r}") from None
        return LogisticsTime("date", dt.datetime.combine(day, dt.time()), None)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a logistics date-time: {value!r}") from None
    if parsed.tzinfo is None:
        return LogisticsTime("local", parsed, None)
    kind: Kind = "utc" if text.endswith(("Z", "z")) else "offset"
    return LogisticsTime(kind, parsed.replace(tzinfo=None), parsed.astimezone(dt.UTC))


def is_logistics_time(value: object) -> bool:
    """True for a string in one of the four forms."""
    if not isinstance(value, str):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=CACHE_SIZE)
def sort_instant(value: str) -> dt.datetime:
    """The approximate UTC instant a value sorts at (see the module docstring).

    Never raises: an unparseable value sorts as the oldest possible instant.
    """
    try:
        parsed = parse(value)
    except ValueError:
        return _UNPARSEABLE
    if parsed.instant is not None:
        return parsed.instant
    if parsed.kind == "date":
        return dt.datetime.combine(parsed.wall.date(), _END_OF_DAY, tzinfo=dt.UTC)
    return parsed.wall.replace(tzinfo=dt.UTC)


@lru_cache(maxsize=CACHE_SIZE)
def wall_minute(value: str) -> str:
    """The wall clock as written, to the minute (``2024-05-01T10:20``), or the day for a date.

    Offsets and ``Z`` are dropped: two sources reporting the same scan agree on the wall clock
    far more often than on how they label it. An unparseable value is returned stripped.
    """
    try:
        parsed = parse(value)
    except ValueError:
        return value.strip()
    if parsed.kind == "date":
        return parsed.wall.date().isoformat()
    return parsed.wall.strftime("%Y-%m-%dT%H:%M")


@lru_cache(maxsize=CACHE_SIZE)
def format_as(kind: Kind, instant: dt.datetime, utc_offset: dt.timedelta) -> str:
    """Write an aware ``instant`` in one of the four forms, for a place ``utc_offset`` from UTC."""
    instant = instant.astimezone(dt.UTC).replace(microsecond=0)
    local = (instant + utc_offset).replace(tzinfo=None)
    if kind == "local":
        return local.isoformat()
    if kind == "date":
        return local.date().isoformat()
    if kind == "utc":
        return instant.replace(tzinfo=None).isoformat() + "Z"
    return local.replace(tzinfo=dt.timezone(utc_offset)).isoformat()
