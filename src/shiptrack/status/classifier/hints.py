"""What a caller knows besides the text, as language priors.

* ``country_language(country_code)``: the language a country's carriers write in (a courier's
  country, as the caller knows it from Ship24's courier list).
* ``location_language(location, scripts)``: the language a location's trailing ISO country
  code or its script suggests.

Both are *priors*: they break ties between languages whose rules share the text's words and
name the language of a text no vocabulary recognises; the text's own words still outvote
them. Courier knowledge (which courier, its status tables) lives with the couriers
(``shiptrack.couriers.event_status``), which pass the country in.
"""

from __future__ import annotations

from typing import Final

#: ISO 3166 country → the language its carriers write in (countries with several official
#: languages and no dominant one in tracking texts, such as Belgium, are left out).
COUNTRY_LANGUAGE: Final = {
    "US": "en", "GB": "en", "IE": "en", "AU": "en", "NZ": "en", "CA": "en", "IN": "en",
    "SG": "en", "ZA": "en", "FR": "fr", "DE": "de", "AT": "de", "CH": "de", "ES": "es",
    "MX": "es", "AR": "es", "CL": "es", "CO": "es", "PE": "es", "UY": "es", "IT": "it",
    "NL": "nl", "PT": "pt", "BR": "pt", "PL": "pl", "RU": "ru", "BY": "ru", "KZ": "ru",
    "UA": "uk", "CN": "zh", "TW": "zh", "HK": "zh", "MO": "zh", "JP": "ja", "KR": "ko",
    "SE": "sv", "FI": "fi", "DK": "da", "NO": "nb", "CZ": "cs", "TR": "tr", "AD": "ca",
    "RO": "ro", "MD": "ro", "HU": "hu", "GR": "el", "CY": "el", "SA": "ar", "AE": "ar",
    "EG": "ar", "QA": "ar", "KW": "ar", "BH": "ar", "OM": "ar", "JO": "ar", "MA": "ar",
    "DZ": "ar", "TN": "ar",
}  # fmt: skip

#: Scripts that name their language when the text's own words do not.
_SCRIPT_LANGUAGE: Final = {
    "greek": "el", "arabic": "ar", "hangul": "ko", "kana": "ja", "han": "zh", "cyrillic": "ru",
}  # fmt: skip


def country_language(country_code: str | None) -> str | None:
    """The language a country's carriers write in, if one dominates."""
    return COUNTRY_LANGUAGE.get(country_code.strip().upper()) if country_code else None


def location_language(location: str | None, scripts: tuple[str, ...]) -> str | None:
    """The language a location suggests: a trailing ISO country code ("Utrecht, NL") or the
    script its words are written in (``scripts``: the scripts of its tokens)."""
    if not location:
        return None
    last = location.replace(",", " ").split()[-1:] or [""]
    if len(last[0]) == 2 and last[0].isalpha() and last[0].isupper():
        found = COUNTRY_LANGUAGE.get(last[0])
        if found:
            return found
    for script in scripts:
        if script in _SCRIPT_LANGUAGE:
            return _SCRIPT_LANGUAGE[script]
    return None
