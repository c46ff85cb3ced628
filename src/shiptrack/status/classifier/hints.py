"""What a caller knows besides the text: the courier and the event's location.

* ``carrier_table(courier_code, code)``: a courier with a connector has its own status table
  (USPS Publication 199 event codes, UPS activity codes, FedEx event types, La Poste event
  codes, DHL Express checkpoint codes and DHL's unified ``statusCode``, InPost status names,
  Bring event statuses, PostNord event codes, Royal Mail EV codes, PostNL event codes, Canada
  Post event identifiers, Purolator scan types). A code found there decides alone, as it does
  inside the connector (rule id ``table:<courier>:<code>``); a text rule never overrides it.
  Codes a connector reads the text for first (Bring's ``CUSTOMS``…, DHL's ``unknown``) are
  left to the text. The tables are the connectors' own modules, imported on first
  use (the connectors import the classifier, not the other way round at import time).
* ``language_prior(courier_code, location)``: the language a courier's country (Ship24's
  courier list) or a location's country code or script suggests. It is a *prior*: it breaks
  ties between languages whose rules share the text's words and names the language of a text
  no vocabulary recognises; the text's own words still outvote it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Final

from shiptrack.couriers.catalogue import get_courier

_CONNECTORS: Final = "shiptrack.couriers.connectors"
#: Longest rule id stored with an event (the events.rule_id column).
MAX_RULE_ID: Final = 80


@dataclass(frozen=True, slots=True)
class CarrierTable:
    """One connector's code table: which couriers use it and how codes are spelled."""

    couriers: frozenset[str]
    module: str
    attribute: str
    #: How the table spells codes: ``upper``, ``lower`` or ``exact`` (Purolator's ``OnDelivery``).
    case: str = "upper"
    #: Leading zeros are not part of the code (Canada Post's ``0100`` is ``100``).
    strip_zeros: bool = False
    #: Codes present in the table that do not decide anything (DHL's ``unknown``).
    undecided: frozenset[str] = frozenset()
    #: The module's set of codes whose text is read first (Bring's ``READ_TEXT_FIRST``).
    text_first: str | None = None
    #: Entries are tuples and the statusCode is this item of each (InPost's names).
    field: int | None = None


_DHL_COURIERS: Final = frozenset(
    {
        "dhl", "dhl-express", "dhl-packet", "dhl-global-mail", "dhl-global-mail-asia",
        "dhl-freight", "dhlparcel-nl", "dhlparcel-uk", "dhl-pl", "dhl-es", "dhl-be", "de-post",
    }
)  # fmt: skip

TABLES: Final = (
    CarrierTable(frozenset({"us-post"}), f"{_CONNECTORS}.usps.statuses", "STATUS_CODES"),
    CarrierTable(
        frozenset({"ups", "ups-mail-innovations"}), f"{_CONNECTORS}.ups.statuses", "STATUS_CODES"
    ),
    CarrierTable(frozenset({"fedex"}), f"{_CONNECTORS}.fedex.statuses", "EVENT_TYPES"),
    CarrierTable(
        frozenset({"fr-post", "colissimo", "chronopost"}),
        f"{_CONNECTORS}.laposte.statuses",
        "EVENT_CODES",
    ),
    CarrierTable(frozenset({"dhl-express"}), f"{_CONNECTORS}.dhl.statuses", "EXPRESS_EVENT_CODES"),
    CarrierTable(
        _DHL_COURIERS,
        f"{_CONNECTORS}.dhl.statuses",
        "STATUS_CODES",
        case="lower",
        undecided=frozenset({"unknown"}),
    ),
    CarrierTable(
        frozenset({"inpost-pl"}),
        f"{_CONNECTORS}.inpost.statuses",
        "STATUS_NAMES",
        case="lower",
        field=0,
    ),
    CarrierTable(
        frozenset({"bring", "bring-dk", "bring-fi", "bring-no", "bring-se", "no-post"}),
        f"{_CONNECTORS}.bring.statuses",
        "EVENT_STATUSES",
        text_first="READ_TEXT_FIRST",
    ),
    CarrierTable(
        frozenset({"postnord", "dk-post", "se-post", "postnord-fi", "postnord-no"}),
        f"{_CONNECTORS}.postnord.statuses",
        "EVENT_CODES",
        case="lower",
    ),
    CarrierTable(
        frozenset({"gb-post", "parcel-force"}), f"{_CONNECTORS}.royalmail.statuses", "EVENT_CODES"
    ),
    CarrierTable(frozenset({"nl-post"}), f"{_CONNECTORS}.postnl.statuses", "EVENT_CODES"),
    CarrierTable(
        frozenset({"ca-post"}),
        f"{_CONNECTORS}.canadapost.statuses",
        "EVENT_CODES",
        strip_zeros=True,
    ),
    CarrierTable(
        frozenset({"purolator"}), f"{_CONNECTORS}.purolator.statuses", "SCAN_TYPES", case="exact"
    ),
)

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


def table_rule(courier_code: str, carrier_code: str) -> str:
    """The rule id of a decision taken by a courier's own table."""
    return f"table:{courier_code}:{carrier_code}"[:MAX_RULE_ID]


@cache
def _table(table: CarrierTable) -> dict[str, str | None]:
    """The codes of ``table`` that decide alone, with their statusCode."""
    module = importlib.import_module(table.module)
    entries: dict[str, object] = getattr(module, table.attribute)
    skipped = set(table.undecided)
    if table.text_first:
        skipped |= set(getattr(module, table.text_first))
    return {
        code: value[table.field] if table.field is not None else value  # type: ignore[index,misc]
        for code, value in entries.items()
        if code not in skipped
    }


def carrier_table(courier_code: str | None, code: str | None) -> tuple[bool, str | None]:
    """``(known, statusCode)`` of ``code`` in the courier's own table (``known`` False when
    the courier has no table or the table does not know the code)."""
    if not courier_code or not code:
        return False, None
    courier = courier_code.strip().lower()
    for table in TABLES:
        if courier not in table.couriers:
            continue
        key = code.strip()
        key = {"upper": key.upper(), "lower": key.lower()}.get(table.case, key)
        if table.strip_zeros:
            key = key.lstrip("0") or "0"
        entries = _table(table)
        if key in entries:
            return True, entries[key]
    return False, None


def courier_language(courier_code: str | None) -> str | None:
    """The language of the courier's country in Ship24's courier list, if one dominates."""
    courier = get_courier(courier_code.strip().lower()) if courier_code else None
    if courier is None or not courier.country_code:
        return None
    return COUNTRY_LANGUAGE.get(courier.country_code.upper())


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
