"""Carriers' local times, written the way each of the page's languages writes dates.

A carrier gives an event's time as its local wall-clock time, with an offset when it knows
one (``2026-11-20T14:05:00+01:00``), without (``2026-11-20T14:05:00``) or a date only. The
page shows that wall-clock time as given — never converted to the visitor's or the server's
zone — formatted by Babel's CLDR patterns for the language (``20 nov. 2026, 14:05`` in French,
``Nov 20, 2026, 2:05 PM`` in English), followed by the offset when there is one
(``UTC+01:00``; ``Z`` is ``UTC``). Text that is not such a time is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?"
)


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _offset(text: str | None) -> str:
    if not text:
        return ""
    if text == "Z":
        return "UTC"
    digits = text[1:].replace(":", "")
    return f"UTC{text[0]}{digits[:2]}:{digits[2:]}"


@functools.lru_cache(maxsize=8192)
def local(value: str, lang: str) -> str:
    """``value`` (a carrier's ISO 8601 local time) as people of ``lang`` write it."""
    match = _ISO.fullmatch(value.strip())
    if match is None:
        return value
    year, month, day, hour, minute, second, offset = match.groups()
    locale = _locale(lang)
    try:
        date = dt.date(int(year), int(month), int(day))
        if hour is None:
            return format_date(date, "medium", locale=locale)
        clock = dt.time(int(hour), int(minute), int(second or 0))
    except ValueError:
        return value
    shown = (
        get_datetime_format("medium", locale=locale)
        .replace("{1}", format_date(date, "medium", locale=locale))
        .replace("{0}", format_time(clock, "short", locale=locale))
    )
    zone = _offset(offset)
    return f"{shown} {zone}" if zone else shown


def window(start: str | None, end: str | None, lang: str) -> str | None:
    """An estimated delivery window (or single time) in ``lang``."""
    if start and end and start != end:
        if start[:10] == end[:10] and len(start) > 10 and len(end) > 10:
            ends = local(end, lang)
            match = _ISO.fullmatch(end.strip())
            if match is not None and match.group(4) is not None:
                clock = dt.time(int(match.group(4)), int(match.group(5)))
                ends = format_time(clock, "short", locale=_locale(lang))
                zone = _offset(match.group(7))
                ends = f"{ends} {zone}" if zone else ends
            return f"{local(start, lang)} – {ends}"
        return f"{local(start, lang)} – {local(end, lang)}"
    single = start or end
    return local(single, lang) if single else None
