"""The tracking page's languages: one data file per language in ``translations/``.

A language is chosen from ``?lang=xx`` (the page's switcher) or else from the
``Accept-Language`` header by q-value (RFC 9110 §12.5.4; ``fr-CH`` matches ``fr``), falling
back to English. Each file translates the page's own words, Ship24's eight milestones and its
twenty status codes; carriers' texts are never translated.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt", "pl")
DEFAULT = "en"


@functools.cache
def catalogue(code: str) -> dict[str, Any]:
    text = resources.files("shiptrack.pages").joinpath(f"translations/{code}.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def _preferences(header: str) -> list[tuple[float, int, str]]:
    ranked = []
    for position, item in enumerate(header.split(",")[:32]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and 0 < quality <= 1:
            ranked.append((-quality, position, tag.strip().lower()))
    return sorted(ranked)


def choose(query: str | None, accept_language: str | None) -> str:
    """The page's language code."""
    if query and query.lower() in LANGUAGES:
        return query.lower()
    for _, _, tag in _preferences(accept_language or ""):
        primary = tag.split("-", 1)[0]
        if primary in LANGUAGES:
            return primary
        if tag == "*":
            return DEFAULT
    return DEFAULT
