"""Every courier code detection can answer is one of Ship24's courier codes.

The codes are read from the rule modules' source (every ``Match(``, ``checked(`` and
``unchecked(`` call names its courier first), from the S10 operator table (each country suffix
the catalogue knows) and from the markets table, then looked up in Ship24's published
catalogue (``shared/reference/ship24-couriers.json``).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import shiptrack.couriers.detection as detection
from shiptrack.couriers.detection import detect, markets, s10

SHIP24 = Path(__file__).parents[3] / "../shared/reference/ship24-couriers.json"
_NAMED = re.compile(r'\b(?:Match|checked|unchecked)\(\s*"([a-z0-9-]+)"')


def ship24_codes() -> set[str]:
    return {c["courierCode"] for c in json.loads(SHIP24.read_text())["data"]["couriers"]}


def rule_courier_codes() -> set[str]:
    codes: set[str] = set()
    for info in pkgutil.iter_modules(detection.__path__):
        module = importlib.import_module(f"{detection.__name__}.{info.name}")
        source = module.__loader__.get_source(module.__name__)  # type: ignore[union-attr]
        codes |= set(_NAMED.findall(source))
    return codes


def s10_operator_codes() -> set[str]:
    countries = set(s10.postal_operators()) | {"BA", "CG", "KP"}
    return {op[0] for op in map(s10.operator, countries) if op is not None}


def test_the_source_scan_finds_the_rules_couriers() -> None:
    codes = rule_courier_codes()
    assert {"ups", "fedex", "old-dominion", "landmark-global", "speedee", "parcel-force"} <= codes
    assert len(codes) > 30


#: Couriers detection names that Ship24's catalogue lacks: shiptrack's own catalogue entries
#: (``scripts/couriers/own-couriers.json``), each with why.
OWN_CODES = {"gofo": "GOFO Express: a format of jkeen/tracking_number_data, no Ship24 code"}


def test_every_code_detection_can_answer_is_a_ship24_code() -> None:
    from shiptrack.couriers.catalogue import get_courier

    codes = rule_courier_codes() | s10_operator_codes() | set(markets.MARKETS)
    missing = sorted(codes - ship24_codes() - set(OWN_CODES))
    assert missing == []
    assert set(OWN_CODES) <= codes  # the list holds no stale entry
    assert all(get_courier(code) is not None for code in OWN_CODES)
    assert not set(OWN_CODES) & ship24_codes()


def test_s10_operators_use_ship24_codes() -> None:
    assert s10.operator("GB") == ("gb-post", "Royal Mail")
    assert s10.operator("BA")[0] == "ba-post-bh-posta"  # type: ignore[index]
    assert s10.operator("KP")[0] == "upu"  # type: ignore[index]
    assert s10.operator("XX") is None
    assert s10.operator("GS") is None  # a territory without a postal operator of its own
    assert [c.courier_code for c in detect("RB123456785BA")] == ["ba-post-bh-posta"]
    assert detect("RB123456785GS") == []
