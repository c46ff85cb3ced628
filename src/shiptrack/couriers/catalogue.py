"""The couriers shiptrack knows, with Ship24's courier codes.

The catalogue is data (``data/couriers.json``, already in Ship24's wire shape) loaded once per
process. It holds every postal operator that issues UPU S10 item numbers (code
``<iso2>-post``), every courier the detector can name, and shiptrack's ``sandbox`` courier.
``GET /couriers`` serves :func:`couriers_response_body` as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import orjson

_DATA_FILE = "couriers.json"


@dataclass(frozen=True, slots=True)
class Courier:
    """One courier as Ship24 describes it (§4.9 of the API spec)."""

    code: str
    name: str
    website: str | None
    is_post: bool
    country_code: str | None
    required_fields: tuple[str, ...] | None
    is_deprecated: bool = False


def _from_json(item: dict[str, Any]) -> Courier:
    required = item["requiredFields"]
    return Courier(
        code=item["courierCode"],
        name=item["courierName"],
        website=item["website"],
        is_post=item["isPost"],
        country_code=item["countryCode"],
        required_fields=None if required is None else tuple(required),
        is_deprecated=item["isDeprecated"],
    )


@cache
def _load() -> tuple[tuple[Courier, ...], dict[str, Courier]]:
    raw = resources.files("shiptrack.couriers").joinpath("data", _DATA_FILE).read_bytes()
    couriers = tuple(_from_json(item) for item in json.loads(raw)["couriers"])
    by_code = {c.code: c for c in couriers}
    if len(by_code) != len(couriers):
        raise ValueError(f"{_DATA_FILE} has duplicate courier codes")
    # Ship24 serves its list roughly by name; sort so the response is stable and readable.
    ordered = tuple(sorted(couriers, key=lambda c: (c.name.casefold(), c.code)))
    return ordered, by_code


def all_couriers() -> tuple[Courier, ...]:
    """Every courier, ordered by name (then code)."""
    return _load()[0]


def get_courier(code: str) -> Courier | None:
    """The courier with this exact (lower-case) code, or ``None``."""
    return _load()[1].get(code)


def is_known(code: str) -> bool:
    return code in _load()[1]


def courier_json(c: Courier) -> dict[str, Any]:
    """Ship24's courier object, keys in Ship24's order."""
    return {
        "courierCode": c.code,
        "courierName": c.name,
        "website": c.website,
        "isPost": c.is_post,
        "countryCode": c.country_code,
        "requiredFields": None if c.required_fields is None else list(c.required_fields),
        "isDeprecated": c.is_deprecated,
    }


@cache
def couriers_response_body() -> bytes:
    """The body of ``GET /couriers``: ``{"data":{"couriers":[...]}}`` as JSON bytes."""
    return orjson.dumps({"data": {"couriers": [courier_json(c) for c in all_couriers()]}})


def postal_operator_for_country(iso2: str) -> Courier | None:
    """The designated postal operator of a country (``GB`` → Royal Mail, code ``gb-post``)."""
    if len(iso2) != 2:
        return None
    courier = _load()[1].get(f"{iso2.lower()}-post")
    return courier if courier is not None and courier.is_post else None
