"""Order the formats a number fits, using what the tracker says about the shipment.

Without hints, candidates are ordered by confidence (ties keep rule order) and each courier
appears once, with its strongest format. Hints then rerank:

* a courier code the tracker named: +0.20 and sorted above every courier it did not name;
* a country hint (origin or destination): +0.15 for couriers delivering in that country
  (``markets``), and for an S10 number the postal operator of the country that issued it;
  the destination's postal operator joins as a candidate, 0.15 below the issuer before its own
  country boost (it tracks the item after the international hand-over);
* a destination post code equal to the one inside the number (USPS ``420`` routing ZIP, DPD
  label postcode): +0.05.

Confidences stay within 0–1; reasons gain a clause for each hint that counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from shiptrack.couriers.detection.markets import markets
from shiptrack.couriers.detection.model import Match
from shiptrack.couriers.detection.s10 import operator as s10_operator

NAMED_BOOST = 0.20
COUNTRY_BOOST = 0.15
POST_CODE_BOOST = 0.05
#: How far below the issuing operator the destination's postal operator is placed.
DESTINATION_POST_OFFSET = 0.15

#: Post code shapes that name one country alone (whitespace removed, upper case).
_POST_CODE_COUNTRIES = (
    (re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}"), "GB"),
    (re.compile(r"[A-Z]\d[A-Z]\d[A-Z]\d"), "CA"),
    (re.compile(r"[1-9]\d{3}[A-Z]{2}"), "NL"),
)


@cache
def _alpha3_to_alpha2() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


def country_alpha2(code: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for an alpha-2 or alpha-3 code, ``None`` if it is neither."""
    if not code:
        return None
    code = code.strip().upper()
    if len(code) == 2 and code.isalpha():
        return code
    if len(code) == 3:
        return _alpha3_to_alpha2().get(code)
    return None


def _clean_post_code(post_code: str | None) -> str | None:
    if not post_code:
        return None
    cleaned = "".join(post_code.split()).replace("-", "").upper()
    return cleaned or None


def country_from_post_code(post_code: str | None) -> str | None:
    cleaned = _clean_post_code(post_code)
    if cleaned is None:
        return None
    for pattern, country in _POST_CODE_COUNTRIES:
        if pattern.fullmatch(cleaned):
            return country
    return None


def _same_post_code(inside: str, given: str) -> bool:
    if inside.isdigit() and given[:5].isdigit() and len(inside) in (5, 9):
        return inside[:5] == given[:5]  # USPS: ZIP or ZIP+4
    return inside.lstrip("0") == given.lstrip("0")  # DPD pads postcodes to 7 characters


def strongest_per_courier(matches: Iterable[Match]) -> list[Match]:
    best: dict[str, Match] = {}
    for m in matches:
        current = best.get(m.courier_code)
        if current is None or m.confidence > current.confidence:
            best[m.courier_code] = m
    return list(best.values())


def _destination_posts(matches: list[Match], destination: str) -> list[Match]:
    present = {m.courier_code for m in matches}
    added: list[Match] = []
    for m in matches:
        if m.s10_country is None or m.s10_country == destination:
            continue
        operator = s10_operator(destination)
        if operator is None or operator[0] in present:
            continue
        code, name = operator
        present.add(code)
        added.append(
            Match(
                code,
                "UPU S10 (destination operator)",
                True,
                round(max(0.05, m.confidence - DESTINATION_POST_OFFSET), 2),
                f"UPU S10 item issued in {m.s10_country}; {name}, the destination's "
                "postal operator, tracks it after the international hand-over",
                destination,
            )
        )
    return added


def apply_hints(
    matches: list[Match],
    courier_codes: Sequence[str],
    origin: str | None,
    destination: str | None,
    post_code: str | None,
) -> list[tuple[bool, Match]]:
    """Rerank ``matches`` (one per courier); answers ``(named, match)`` pairs, best first."""
    if destination is None:
        destination = country_from_post_code(post_code)
    if destination is not None:
        matches = matches + _destination_posts(matches, destination)
    if isinstance(courier_codes, str):
        courier_codes = (courier_codes,)
    named_codes = {code.strip().lower() for code in courier_codes}
    given_post_code = _clean_post_code(post_code)
    ranked: list[tuple[bool, Match]] = []
    for m in matches:
        confidence, reason = m.confidence, m.reason
        countries = {m.s10_country} if m.s10_country else markets(m.courier_code)
        if origin in countries or destination in countries:
            country, role = (
                (origin, "origin") if origin in countries else (destination, "destination")
            )
            confidence += COUNTRY_BOOST
            reason += f"; {country} is the {role} country"
        if (
            m.routing_post_code
            and given_post_code
            and _same_post_code(m.routing_post_code, given_post_code)
        ):
            confidence += POST_CODE_BOOST
            reason += "; post code in the number matches the destination post code"
        named = m.courier_code in named_codes
        if named:
            confidence += NAMED_BOOST
            reason += "; courier named by the tracker"
        ranked.append((named, m._replace(confidence=round(min(1.0, confidence), 2), reason=reason)))
    ranked.sort(key=lambda pair: (not pair[0], -pair[1].confidence))
    return ranked
