"""Pure helpers the carriers' ``parse`` modules share (no I/O, no clock, no settings).

JSON values → text, objects and lists (with ``CourierResponseInvalid`` naming the carrier's
field when the documented format is broken), tracking numbers and countries compared
loosely, UTC offsets, and ISO timestamps reduced to logistics date-times. Everything
carrier-specific (which field means what, status tables) stays in the carrier's module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from shiptrack.couriers.connectors.protocol import CourierResponseInvalid

#: Offsets beyond ±14 h do not exist; anything else is a data error, not a zone.
MAX_OFFSET = dt.timedelta(hours=14)

_LOGISTICS = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hm>\d{2}:\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def string_value(value: object) -> str | None:
    """A JSON string, stripped; None for an empty string or anything that is not a string."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def text_value(value: object) -> str | None:
    """A JSON string (as ``string_value``) or a number written as text; None otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return string_value(value)


def json_object(value: object, what: str) -> dict[str, Any]:
    """``value`` when it is a JSON object, else ``CourierResponseInvalid`` naming ``what``."""
    if not isinstance(value, dict):
        raise CourierResponseInvalid(f"{what} is not an object")
    return value


def json_list(value: object, what: str) -> list[Any]:
    """``value`` when it is a JSON list (a missing one is empty), else
    ``CourierResponseInvalid`` naming ``what``."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise CourierResponseInvalid(f"{what} is not a list")
    return value


def unique_objects(values: Iterable[object], keys: tuple[str, ...], what: str) -> list[Any]:
    """JSON objects in order, each once (equal on ``keys``): the events of several packages of
    one shipment, which carriers repeat per package. ``CourierResponseInvalid`` naming
    ``what`` for an item that is not an object."""
    seen: set[tuple[Any, ...]] = set()
    unique: list[Any] = []
    for value in values:
        item = json_object(value, what)
        key = tuple(repr(item.get(name)) for name in keys)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def normalised_number(value: object) -> str:
    """A tracking number for comparisons: no spaces, upper case (``""`` for no text)."""
    text = text_value(value)
    return text.replace(" ", "").upper() if text else ""


def country_code(value: object) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper case, or None."""
    text = (text_value(value) or "").upper()
    return text if _COUNTRY.match(text) else None


def format_offset(offset: dt.timedelta) -> str:
    """``-5 h`` → ``-05:00``."""
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def offset_from_gmt(local: dt.datetime, gmt: dt.datetime) -> dt.timedelta | None:
    """The UTC offset of a local scan time, from the same scan's GMT time; None beyond ±14 h.

    Rounded to a quarter hour: carriers keep the scan's seconds in the GMT time while the
    local one is rounded to the minute (13:58:00 local vs 18:58:40Z is -05:00, not -05:00:40).
    """
    quarters = round((local - gmt).total_seconds() / 900)
    offset = dt.timedelta(minutes=15 * quarters)
    return offset if abs(offset) <= MAX_OFFSET else None


def _canonical(value: str) -> bool:
    """Whether ``value`` is already a valid logistics date-time as ``logistics_datetime``
    writes one — ``YYYY-MM-DDTHH:MM:SS`` then nothing, ``Z`` or ``±HH:MM`` (what most
    providers send) — so that it is its own answer, checked by one C call instead of the
    pattern and two parses."""
    size = len(value)
    if size == 19:
        pass
    elif size == 20:
        if value[19] != "Z":
            return False
    elif size == 25:
        if value[19] not in "+-" or value[22] != ":":
            return False
    else:
        return False
    if (
        value[4] != "-"
        or value[7] != "-"
        or value[10] != "T"
        or value[13] != ":"
        or value[16] != ":"
        or not value.isascii()
    ):
        return False
    digits = value[:4] + value[5:7] + value[8:10] + value[11:13] + value[14:16] + value[17:19]
    if size == 25:
        digits += value[20:22] + value[23:25]
    if not digits.isdigit():
        return False
    try:
        dt.datetime.fromisoformat(value[:19])  # the date and the time exist
    except ValueError:
        return False
    return True


def logistics_datetime(value: object) -> str | None:
    """An ISO timestamp as a logistics date-time, offset kept as given; None if unreadable.

    Fractional seconds are dropped, a missing ``:`` in the offset is added, a ``Z`` stays a
    ``Z`` and a time without offset stays local: nothing is ever converted to UTC.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if _canonical(value) else _parsed(value)


def _parsed(value: str) -> str | None:
    """``logistics_datetime`` of a stripped string, by the pattern."""
    match = _LOGISTICS.match(value)
    if match is None:
        return None
    date, hm, seconds, tz = match.group("date", "hm", "s", "tz")
    try:
        dt.date.fromisoformat(date)
        if hm is not None:
            dt.time.fromisoformat(f"{hm}:{seconds or '00'}")
    except ValueError:
        return None
    if hm is None:
        return date
    text = f"{date}T{hm}:{seconds or '00'}"
    if tz is None:
        return text
    return text + ("Z" if tz == "Z" else f"{tz[:3]}:{tz[-2:]}")
