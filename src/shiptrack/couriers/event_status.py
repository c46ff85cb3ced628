"""A carrier's event → Ship24 status with what the couriers know: their own status tables
and their country.

* ``carrier_table(courier_code, code)``: a courier with a connector has its own status table
  (USPS Publication 199 event codes, UPS activity codes, FedEx event types, La Poste event
  codes, DHL Express checkpoint codes and DHL's unified ``statusCode``, InPost status names,
  Bring event statuses, PostNord event codes, Royal Mail EV codes, PostNL event codes, Canada
  Post event identifiers, Purolator scan types). A code found there decides alone, as it does
  inside the connector (rule id ``table:<courier>:<code>``); a text rule never overrides it.
  Codes a connector reads the text for first (Bring's ``CUSTOMS``…, DHL's ``unknown``) are
  left to the text. The tables are the connectors' own modules, imported on first use (the
  connectors use this module, so it cannot import them when it is loaded).
* ``classify_event(text, courier_code=…, carrier_status_code=…, language=…, location=…)``:
  the table first, else the status normaliser with the courier (its own rules) and its
  country (Ship24's courier list) as a language prior. The endpoint, the CLI and every
  connector's fallback classify through it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Final

from shiptrack.couriers.catalogue import get_courier
from shiptrack.status.classifier import Classification, classify, implied_milestone

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


def table_rule(courier_code: str, carrier_code: str | None) -> str:
    """The rule id of a decision taken by a courier's own table."""
    return f"table:{courier_code}:{carrier_code or ''}"[:MAX_RULE_ID]


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


def courier_country(courier_code: str | None) -> str | None:
    """The courier's country in Ship24's courier list (None when unknown or worldwide)."""
    courier = get_courier(courier_code.strip().lower()) if courier_code else None
    return courier.country_code if courier is not None and courier.country_code else None


def classify_event(
    text: str | None,
    *,
    courier_code: str | None = None,
    carrier_status_code: str | None = None,
    language: str | None = None,
    location: str | None = None,
) -> Classification:
    """One event's status: the courier's own table decides a code it knows, else the
    normaliser reads the code (UPU) and the text, the courier's country a language prior."""
    result = classify(
        text,
        carrier_status_code=carrier_status_code,
        language=language,
        courier_country=courier_country(courier_code),
        location=location,
        courier_code=courier_code,
    )
    known, status = carrier_table(courier_code, carrier_status_code)
    if not known:
        return result
    rule_id = table_rule(courier_code.strip().lower(), carrier_status_code.strip())  # type: ignore[union-attr]
    return Classification(status, implied_milestone(status), rule_id, result.language, 1.0)
