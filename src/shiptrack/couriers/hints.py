"""Validators of the courier hints a client may send: courier codes, countries, post code.

Shared by ``POST /trackers`` (``trackers/validation.py``) and ``POST /couriers/detect``
(``couriers/api.py``): each appends a message naming the field and the fix to ``errors``
and returns the normalised value (or None / ``()``).
"""

from __future__ import annotations

import re
from typing import Any

from shiptrack.couriers import catalogue
from shiptrack.couriers.countries import to_alpha2

_POST_CODE = re.compile(r"^[A-Za-z0-9\-_/. ]{1,32}$")

MAX_COURIER_CODES_PER_REQUEST = 3


def country(body: dict[str, Any], field: str, errors: list[str]) -> str | None:
    value = body.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not 2 <= len(value.strip()) <= 3:
        errors.append(
            f"Please make sure that {field} contains only 2 or 3 characters "
            "(an ISO 3166-1 alpha-2 or alpha-3 country code such as 'FR' or 'FRA')."
        )
        return None
    code = to_alpha2(value)
    if code is None:
        errors.append(
            f"Please make sure that {field} is a valid country code and is in "
            f"ISO 3166-1 alpha-2 or alpha-3 format ('{value}' is not one)."
        )
    return code


def post_code(body: dict[str, Any], errors: list[str]) -> str | None:
    value = body.get("destinationPostCode")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _POST_CODE.match(value.strip()):
        errors.append(
            "destinationPostCode must be 1 to 32 characters of letters, digits, "
            "spaces, hyphens, underscores, slashes or dots, e.g. '75001' or 'SW1A 1AA'."
        )
        return None
    return value.strip().upper()


def courier_codes(
    value: Any,
    errors: list[str],
    *,
    field: str = "courierCode",
) -> tuple[str, ...]:
    """Courier codes from a string or a list of at most 3; deprecated codes are dropped
    silently (as Ship24 does), unknown ones are an error naming them."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        errors.append(
            f"{field} must be a courier code string or an array of them, e.g. "
            "'us-post' or ['us-post', 'ups']. GET /couriers lists the codes."
        )
        return ()
    if len(items) > MAX_COURIER_CODES_PER_REQUEST:
        errors.append(
            f"{field} holds {len(items)} codes; send at most "
            f"{MAX_COURIER_CODES_PER_REQUEST} per request (add more later with PATCH)."
        )
        return ()
    codes: list[str] = []
    unknown: list[str] = []
    for item in items:
        code = item.strip().lower()
        courier = catalogue.get_courier(code)
        if courier is None:
            unknown.append(item)
        elif not courier.is_deprecated and code not in codes:
            codes.append(code)
    if unknown:
        errors.append(
            f"{field} contains unknown courier code(s) {', '.join(map(repr, unknown))}. "
            "GET /couriers lists the valid codes."
        )
    return tuple(codes)
