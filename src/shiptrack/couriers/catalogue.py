"""The couriers shiptrack knows, with Ship24's courier codes.

The catalogue is data (``data/couriers.json``, Ship24's wire shape plus shiptrack's
``trackingUrl``) built by ``scripts/couriers/build.py`` and loaded once per process. It holds
every courier of Ship24's catalogue, every postal operator that issues UPU S10 item numbers
(code ``<iso2>-post``), every courier the detector can name, and shiptrack's ``sandbox``
courier; ``data/PROVENANCE.md`` says where each part comes from. ``GET /couriers`` serves
:func:`couriers_response_body` as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

import orjson

_DATA_FILE = "couriers.json"
#: The keys of Ship24's courier object, in Ship24's order (§4.9 of the API spec).
SHIP24_KEYS = (
    "courierCode",
    "courierName",
    "website",
    "isPost",
    "countryCode",
    "requiredFields",
    "isDeprecated",
)
#: Where the tracking number goes in a ``trackingUrl`` template.
TRACKING_NUMBER_PLACEHOLDER = "{trackingNumber}"


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
    #: The carrier's public tracking page for one number, ``{trackingNumber}`` standing for
    #: the number (shiptrack's addition; see :func:`tracking_page_url`).
    tracking_url: str | None = None


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
        tracking_url=item["trackingUrl"],
    )


@cache
def _load() -> tuple[tuple[Courier, ...], dict[str, Courier]]:
    raw = resources.files("shiptrack.couriers").joinpath("data", _DATA_FILE).read_bytes()
    couriers = tuple(_from_json(item) for item in orjson.loads(raw)["couriers"])
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


def tracking_page_url(courier_code: str, tracking_number: str) -> str | None:
    """The carrier's own tracking page for ``tracking_number``, or ``None`` when the courier
    publishes no page pattern we know. The number is percent-encoded as one URL component
    (``/``, ``#``, ``?``, ``&``, spaces... cannot change the page or add parameters)."""
    courier = get_courier(courier_code)
    if courier is None or courier.tracking_url is None:
        return None
    return courier.tracking_url.replace(
        TRACKING_NUMBER_PLACEHOLDER, quote(tracking_number.strip(), safe="")
    )
