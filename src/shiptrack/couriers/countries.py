"""ISO 3166-1 country codes: alpha-2 or alpha-3 in, alpha-2 out."""

from __future__ import annotations

from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        table[country.alpha_2] = country.alpha_2
        table[country.alpha_3] = country.alpha_2
    # "UK" is not ISO but is what many systems (and Ship24's own courier list) say for GB.
    table.setdefault("UK", "GB")
    return table


def to_alpha2(code: str) -> str | None:
    """The alpha-2 code for an alpha-2 or alpha-3 code (any case), or None if unknown."""
    return _table().get(code.strip().upper())
