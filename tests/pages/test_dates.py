"""Carriers' local times in each language: the wall-clock time as given, the offset kept."""

from __future__ import annotations

import pytest

from shiptrack.pages import dates
from shiptrack.pages.i18n import LANGUAGES

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", f"Nov 20, 2026, 2:05{NNBSP}PM UTC+01:00"),
        ("fr", "20 nov. 2026, 14:05 UTC+01:00"),
        ("de", "20.11.2026, 14:05 UTC+01:00"),
        ("es", "20 nov 2026, 14:05 UTC+01:00"),
        ("it", "20 nov 2026, 14:05 UTC+01:00"),
        ("nl", "20 nov 2026, 14:05 UTC+01:00"),
        ("pt", "20 de nov. de 2026 14:05 UTC+01:00"),
        ("pl", "20 lis 2026, 14:05 UTC+01:00"),
    ],
)
def test_a_time_with_its_offset_in_every_language(lang, expected) -> None:
    assert dates.local("2026-11-20T14:05:00+01:00", lang) == expected


def test_every_language_is_covered() -> None:
    assert set(LANGUAGES) == {"en", "fr", "de", "es", "it", "nl", "pt", "pl"}


def test_the_wall_clock_time_is_never_converted() -> None:
    # Tokyo's afternoon stays the afternoon: no conversion to UTC or to the server's zone.
    assert dates.local("2026-11-20T15:30:00+09:00", "de") == "20.11.2026, 15:30 UTC+09:00"
    assert dates.local("2026-11-20T15:30:00-0500", "de") == "20.11.2026, 15:30 UTC-05:00"
    assert dates.local("2026-11-20T15:30:00Z", "de") == "20.11.2026, 15:30 UTC"
    assert dates.local("2026-11-20T15:30:00.250", "fr") == "20 nov. 2026, 15:30"


def test_dates_without_time_and_text_that_is_no_time() -> None:
    assert dates.local("2026-11-20", "pl") == "20 lis 2026"
    assert dates.local("yesterday", "en") == "yesterday"
    assert dates.local("2026-13-40T10:00:00", "en") == "2026-13-40T10:00:00"


def test_delivery_windows() -> None:
    assert dates.window("2026-11-20T09:00:00", "2026-11-20T13:00:00", "de") == (
        "20.11.2026, 09:00 – 13:00"
    )
    assert dates.window("2026-11-20", "2026-11-22", "fr") == "20 nov. 2026 – 22 nov. 2026"
    assert dates.window(None, "2026-11-22", "nl") == "22 nov 2026"
    assert dates.window(None, None, "en") is None
