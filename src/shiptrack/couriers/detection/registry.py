"""Which rules can apply to a number, found from cheap features before any rule runs.

All-digit numbers are dispatched on their length; the others on their first two characters
and on their length (for shapes without a fixed prefix: S10, DPD's label line, Colissimo…).
A typical number therefore runs one to four rules, never the whole list.
"""

from __future__ import annotations

from collections.abc import Callable
from string import digits

from shiptrack.couriers.detection import (
    asia,
    europe,
    north_america,
    postal_parcels,
    s10,
    us_regional,
)
from shiptrack.couriers.detection.model import Match

Rule = Callable[[str], tuple[Match, ...]]


def _chain(*rules: Rule) -> Rule:
    """One callable for a dispatch slot: a lone rule itself, or the rules' answers joined."""
    if len(rules) == 1:
        return rules[0]
    if len(rules) == 2:
        first, second = rules

        def chained(n: str) -> tuple[Match, ...]:
            return first(n) + second(n)

    else:

        def chained(n: str) -> tuple[Match, ...]:
            found: tuple[Match, ...] = ()
            for rule in rules:
                found += rule(n)
            return found

    chained.__qualname__ = "+".join(rule.__name__ for rule in rules)
    return chained


#: All-digit numbers: length → rules.
_NUMERIC: dict[int, tuple[Rule, ...]] = {
    10: (europe.dhl_express_10,),
    11: (europe.dhl_express_11, europe.gls_11, us_regional.old_dominion),
    12: (
        north_america.fedex_express_12,
        north_america.purolator_12,
        europe.dhl_paket_12,
        europe.gls_12,
    ),
    14: (europe.dpd_14,),
    15: (north_america.fedex_ground_15, europe.dpd_15, north_america.canada_post_dnc),
    16: (north_america.canada_post_16,),
    18: (
        north_america.sscc,
        postal_parcels.nordic_sscc,
        north_america.ups_mail_innovations_sequence,
    ),
    20: (
        north_america.usps_20,
        north_america.fedex_smartpost_20,
        north_america.sscc,
        postal_parcels.nordic_sscc,
    ),
    22: (north_america.usps_impb, north_america.fedex_ground_96),
    24: (europe.inpost_24,),
    26: (north_america.usps_impb,),
    28: (europe.dpd_28,),
    30: (north_america.usps_impb,),
    34: (north_america.usps_impb, north_america.fedex_34),
}


def _keys(first: str, seconds: str) -> list[str]:
    return [first + s for s in seconds]


def _build_prefixed() -> dict[str, tuple[Rule, ...]]:
    table: dict[str, list[Rule]] = {}

    def add(keys: list[str] | str, rule: Rule) -> None:
        for key in [keys] if isinstance(keys, str) else keys:
            table.setdefault(key, []).append(rule)

    add("1Z", north_america.ups_1z)
    add("MI", north_america.ups_mail_innovations)
    add("TB", north_america.amazon)
    add(_keys("C", digits) + _keys("D", digits), us_regional.ontrac)
    add(["LX", "1L"], us_regional.lasership)
    add("SP", us_regional.speedee)
    add("GF", us_regional.gofo)
    add("LT", europe.landmark)
    for letter in "CDKLSUXZ":
        add(_keys(letter, digits), north_america.canpar)
    add(["JD", "JJ"], europe.dhl_j_prefixed)
    add("JV", europe.dhl_parcel_nl)
    add(["GM", *europe.DHL_ECOMMERCE_PREFIXES], europe.dhl_ecommerce)
    add(_keys("H", digits), europe.hermes)
    add("3S", europe.postnl_3s)
    add("YT", asia.yunexpress)
    add("LP", asia.cainiao)
    add("SF", asia.sf_express)
    add("JT", asia.jt_express)
    add("4P", asia.fourpx)
    return {key: tuple(rules) for key, rules in table.items()}


#: Numbers with letters: first two characters → rules.
_PREFIXED: dict[str, tuple[Rule, ...]] = _build_prefixed()

#: Numbers with letters: length → rules for shapes without a fixed prefix.
_SHAPED: dict[int, tuple[Rule, ...]] = {
    9: (europe.parcelforce_9,),
    10: (us_regional.cdl,),
    12: (north_america.purolator_alpha,),
    13: (s10.s10, europe.colissimo),
    15: (europe.dpd_15,),
    16: (postal_parcels.auspost_eparcel,),
    20: (europe.deutsche_post_frankier_id,),
    21: (europe.royal_mail_2d,),
    28: (europe.dpd_28,),
}

#: The dispatch tables ``detect`` uses: each slot is one callable answering all its rules.
NUMERIC: dict[int, Rule] = {key: _chain(*rules) for key, rules in _NUMERIC.items()}
PREFIXED: dict[str, Rule] = {key: _chain(*rules) for key, rules in _PREFIXED.items()}
SHAPED: dict[int, Rule] = {key: _chain(*rules) for key, rules in _SHAPED.items()}
#: Every rule, for documentation and tests.
RULES: tuple[Rule, ...] = tuple(
    dict.fromkeys(
        rule
        for table in (_NUMERIC, _PREFIXED, _SHAPED)
        for rules in table.values()
        for rule in rules
    )
)


def rules_for(n: str) -> tuple[Rule, ...]:
    """The rules ``detect`` runs for a normalised number (for tests and explanations)."""
    if n.isdigit():
        return _NUMERIC.get(len(n), ())
    return _PREFIXED.get(n[:2], ()) + _SHAPED.get(len(n), ())
