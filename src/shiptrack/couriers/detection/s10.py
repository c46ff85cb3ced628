"""UPU S10 item numbers: ``RR123456785GB``.

Source: UPU standard S10-12 "Identification of postal items – 13-character identifier": two
letters (service indicator), eight digits (serial), one check digit (weights 8,6,4,2,3,5,9,7;
11 − sum mod 11; 10 → 0, 11 → 5), and the ISO 3166-1 alpha-2 code of the country whose
designated postal operator issued the number. Service indicator ranges per S10-12 §5: some are
international services, some are reserved for domestic/bilateral use, the rest unassigned
(still seen on domestic items, so they lower the confidence instead of rejecting).
"""

from __future__ import annotations

from shiptrack.couriers.catalogue import all_couriers, get_courier
from shiptrack.couriers.detection.checkdigits import s10_check
from shiptrack.couriers.detection.model import Match, base_confidence

#: First letter → international service (S10-12 §5). Q is only QA–QM.
_INTERNATIONAL = {
    "C": "parcel post",
    "E": "EMS",
    "H": "e-commerce parcel",
    "L": "letter post express",
    "M": "M-bag",
    "Q": "international business reply",
    "R": "registered letter post",
    "U": "letter post under customs control",
    "V": "insured letter post",
}
_DOMESTIC_FIRST = frozenset("BDNPZ")
_DOMESTIC_PAIRS = frozenset({"GA", "GD", "AV", "AW", "AX", "AY", "AZ"})

_CONF_INTERNATIONAL = base_confidence(distinctive=True, verified=True)
_CONF_DOMESTIC = base_confidence(distinctive=True, verified=True, adjust=-0.07)
_CONF_UNASSIGNED = base_confidence(distinctive=True, verified=True, adjust=-0.22)
#: Parcelforce carries Royal Mail's international parcels and EMS: a second reading.
_CONF_PARCELFORCE = base_confidence(distinctive=True, verified=True, adjust=-0.3)


def service_indicator(si: str) -> tuple[str, str]:
    """``(kind, meaning)`` of an S10 service indicator (international, domestic, unassigned)."""
    first = si[0]
    meaning = _INTERNATIONAL.get(first)
    if meaning is not None and not (first == "Q" and si[1] > "M"):
        return "international", meaning
    if first in _DOMESTIC_FIRST or si in _DOMESTIC_PAIRS:
        return "domestic", "domestic or bilateral service"
    return "unassigned", "service indicator unassigned by S10"


_operators: dict[str, tuple[str, str]] = {}


def postal_operators() -> dict[str, tuple[str, str]]:
    """ISO country → (courier code, name) of its designated postal operator."""
    if not _operators:
        _operators.update(
            (c.country_code, (c.code, c.name))
            for c in all_couriers()
            if c.is_post and c.country_code and c.code == f"{c.country_code.lower()}-post"
        )
    return _operators


#: Countries whose designated operator Ship24 lists under another code than ``<iso2>-post``
#: (Bosnia and Herzegovina: BH Pošta), or not at all (Congo, DPR Korea): their items are
#: tracked through UPU's Global Track and Trace, Ship24's ``upu`` courier.
_SHIP24_OPERATORS = {
    "BA": ("ba-post-bh-posta", "BH Posta"),
    "CG": ("upu", "UPU"),
    "KP": ("upu", "UPU"),
}


def operator(country: str) -> tuple[str, str] | None:
    """(Ship24 courier code, name) of the operator that issues S10 numbers with this ISO
    3166-1 alpha-2 suffix, or ``None`` when no operator issues it (``XX``, ``GS``)."""
    special = _SHIP24_OPERATORS.get(country)
    if special is not None:
        courier = get_courier(special[0])
        return special if courier is None else (courier.code, courier.name)
    return (_operators or postal_operators()).get(country)


#: Answers by service indicator + check digit + country ("RR5GB"): the reason is all they vary
#: by, and formatting it is most of the rule's cost. Bounded: cleared past 4,096 entries.
_ANSWERS: dict[str, tuple[Match, ...]] = {}


def s10(n: str) -> tuple[Match, ...]:
    if not (n[:2].isalpha() and n[2:11].isdigit() and n[11:].isalpha()):
        return ()
    if s10_check(n[2:10]) != ord(n[10]) - 48:
        return ()
    key = n[:2] + n[10:]
    found = _ANSWERS.get(key)
    if found is None:
        if len(_ANSWERS) >= 4096:
            _ANSWERS.clear()
        found = _ANSWERS[key] = _answers(n[:2], n[10], n[11:])
    return found


def _answers(si: str, check: str, country: str) -> tuple[Match, ...]:
    issuer = operator(country)
    if issuer is None:
        return ()
    kind, meaning = service_indicator(si)
    code, name = issuer
    reason = (
        f"UPU S10 item number ({si}: {meaning}), check digit {check} verified, "
        f"country suffix {country} ({name})"
    )
    confidence = (
        _CONF_INTERNATIONAL
        if kind == "international"
        else _CONF_DOMESTIC
        if kind == "domestic"
        else _CONF_UNASSIGNED
    )
    first = Match(code, "UPU S10", True, confidence, reason, country)
    if country == "GB" and si[0] in "CE":
        return (
            first,
            Match(
                "parcel-force",
                "UPU S10 (Parcelforce Worldwide)",
                True,
                _CONF_PARCELFORCE,
                f"UPU S10 {meaning} number from GB, check digit {check} verified; "
                "Parcelforce carries Royal Mail's international parcels and EMS",
                country,
            ),
        )
    return (first,)
