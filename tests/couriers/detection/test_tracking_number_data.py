"""Every test vector of jkeen/tracking_number_data, read from the copy in ``vectors/``.

* A **valid** number: detection names the format's courier among its candidates, with the
  format's check digit verified where the format has one; where the format is unambiguous
  (letters or a prefix only that courier uses) that courier is the top candidate.
* An **invalid** number: no rule of that format family answers it at all (checked over every
  rule the dispatcher runs, so a weaker reading hidden behind a stronger one still counts).

``vectors/tracking_number_data.json`` is a transcription of the upstream test numbers (MIT
licence, notice kept in the file); ``scripts/tracking_number_data_vectors.py`` regenerates it
from a checkout of the upstream repository.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest

from shiptrack.couriers.detection import detect
from shiptrack.couriers.detection.checkdigits import crc4_ccitt_check
from shiptrack.couriers.detection.normalise import normalise
from shiptrack.couriers.detection.registry import rules_for

VECTORS = json.loads((Path(__file__).parent / "vectors" / "tracking_number_data.json").read_text())


class Family(NamedTuple):
    """What shiptrack answers for one upstream format."""

    courier: str | None  # Ship24 courier code; None: S10, named by the country suffix
    formats: frozenset[str]  # shiptrack format names of the family
    top: bool  # the format is unambiguous: its courier must come first
    checked: bool  # shiptrack verifies the format's check digit


def _family(courier: str | None, *formats: str, top: bool = True, checked: bool = False) -> Family:
    return Family(courier, frozenset(formats), top, checked)


_FEDEX_12 = _family("fedex", "FedEx Express (12)", top=False, checked=True)
_DHL_EXPRESS = _family("dhl-express", "DHL Express waybill (10)", "DHL Express (11)", checked=True)

#: (upstream file, upstream format name) → shiptrack's family for it.
FAMILIES: dict[tuple[str, str], Family] = {
    ("couriers/amazon.json", "Amazon Logistics"): _family("amazon", "Amazon Logistics"),
    ("couriers/canadapost.json", "Canada Post (16)"): _family(
        "ca-post", "Canada Post (16)", checked=True
    ),
    ("couriers/canpar.json", "Canpar (22)"): _family("canpar", "Canpar (22)"),
    ("couriers/deutschepost.json", "Deutsche Post"): _family(
        "de-post", "Deutsche Post Frankier-ID (20)", checked=True
    ),
    ("couriers/dhl.json", "DHL Express"): _DHL_EXPRESS,
    ("couriers/dhl.json", "DHL Express Air"): _DHL_EXPRESS,
    ("couriers/dhl.json", "DHL Express (Piece ID)"): _family(
        "dhl-express", "DHL Express piece ID (JJD)", "DHL Express piece ID (JVGL)"
    ),
    ("couriers/dhl.json", "DHL E-Commerce"): _family(
        "dhl-global-mail", "DHL eCommerce (GM)", "DHL eCommerce"
    ),
    ("couriers/dpd.json", "DPD (28)"): _family("dpd", "DPD parcel label (28)", checked=True),
    ("couriers/fedex.json", "FedEx Express (12)"): _FEDEX_12,
    ("couriers/fedex.json", "FedEx Express (34)"): _family(
        "fedex", "FedEx Express (34)", checked=True
    ),
    # A SmartPost number with its 92 prefix is a USPS IMpb first (USPS delivers it).
    ("couriers/fedex.json", "FedEx SmartPost"): _family(
        "fedex", "FedEx SmartPost (20)", "FedEx SmartPost (IMpb)", top=False, checked=True
    ),
    ("couriers/fedex.json", "FedEx Ground"): _family("fedex", "FedEx Ground (15)", checked=True),
    ("couriers/fedex.json", "FedEx Ground (SSCC-18)"): _family(
        "fedex", "FedEx Ground (SSCC-18)", checked=True
    ),
    ("couriers/fedex.json", "FedEx Ground 96 (22)"): _family(
        "fedex", "FedEx Ground 96 (22)", checked=True
    ),
    ("couriers/fedex.json", "FedEx Ground GSN"): _family(
        "fedex", "FedEx Ground GSN (34)", checked=True
    ),
    ("couriers/landmark.json", "Landmark Global LTN"): _family(
        "landmark-global", "Landmark Global LTN"
    ),
    ("couriers/lasership.json", "LaserShip LX"): _family("lasership", "LaserShip LX"),
    ("couriers/lasership.json", "LaserShip 1LS7 (15)"): _family("lasership", "LaserShip 1LS7 (15)"),
    ("couriers/lasership.json", "LaserShip 1LS7 (18)"): _family("lasership", "LaserShip 1LS7 (18)"),
    ("couriers/old_dominion.json", "Old Dominion"): _family(
        "old-dominion", "Old Dominion PRO (11)", checked=True
    ),
    ("couriers/old_dominion.json", "Old Dominion Guaranteed Shipment"): _family(
        "old-dominion", "Old Dominion guaranteed (11)", checked=True
    ),
    ("couriers/ontrac.json", "OnTrac"): _family("ontrac", "OnTrac (C)", checked=True),
    ("couriers/ontrac.json", "OnTrac D"): _family("ontrac", "OnTrac (D)", checked=True),
    # 12 plain digits: FedEx Express, DHL Paket and GLS numbers share the length.
    ("couriers/purolator.json", "Purolator (12)"): _family(
        "purolator", "Purolator (12)", top=False, checked=True
    ),
    ("couriers/purolator.json", "Purolator (alpha + 9)"): _family("purolator", "Purolator (alpha)"),
    ("couriers/s10.json", "S10"): _family(
        None, "UPU S10", "UPU S10 (Parcelforce Worldwide)", checked=True
    ),
    ("couriers/speedee.json", "Spee-Dee (20)"): _family("speedee", "Spee-Dee (20)"),
    ("couriers/ups.json", "UPS"): _family("ups", "UPS 1Z", checked=True),
    ("couriers/usps.json", "USPS 20"): _family("us-post", "USPS (20)", checked=True),
    ("couriers/usps.json", "USPS 34v2"): _family(
        "us-post", "USPS IMpb with 420 routing", checked=True
    ),
    ("couriers/usps.json", "USPS 91"): _family(
        "us-post",
        "USPS IMpb (22)",
        "USPS IMpb (26)",
        "USPS IMpb (30)",
        "USPS IMpb with 420 routing",
        "USPS IMpb (20, 91 implied)",
        checked=True,
    ),
    ("couriers/yodel.json", "Yodel"): _family("yodel", "Yodel"),
    ("couriers/yunexpress.json", "YunExpress"): _family("yun-express", "YunExpress"),
    # Ship24's catalogue has no GOFO code: ``gofo`` is one of shiptrack's own entries.
    ("couriers/gofo.json", "GOFO Express (US)"): _family("gofo", "GOFO Express (US)"),
}

#: Upstream formats shiptrack does not answer, with the reason (listed, never silently skipped).
NOT_DETECTED: dict[tuple[str, str], str] = {}
#: Invalid vectors a family cannot reject, with the reason (none).
UNVERIFIABLE: dict[str, str] = {}
#: Upstream "valid" vectors that fail their own format's published check, with the evidence.
#: Deutsche Post's check character is a CRC-4 (x^4 + x + 1) over the ASCII codes of the first
#: 19 characters: two Frankier-IDs printed on real letters pass it (test below), no CRC-4 of
#: any generator, start value, final xor or bit order passes all three, and the upstream's
#: pair differs only in its last character, so its "valid" example was most likely made up.
CONTESTED_VALID = {
    "01 030E 0928 06 011E 001E": "fails Deutsche Post's CRC-4 (expects check character 4)",
}

_KEYS = [(f["file"], f["name"]) for f in VECTORS["formats"]]
VALID = [
    pytest.param(f["file"], f["name"], n, id=f"{f['name']}:{n.strip()}")
    for f in VECTORS["formats"]
    for n in f["valid"]
    if n not in CONTESTED_VALID and (f["file"], f["name"]) not in NOT_DETECTED
]
INVALID = [
    pytest.param(f["file"], f["name"], n, id=f"{f['name']}:{n.strip()}")
    for f in VECTORS["formats"]
    for n in f["invalid"]
    if n not in UNVERIFIABLE and (f["file"], f["name"]) not in NOT_DETECTED
]


def test_every_upstream_format_is_mapped_or_listed() -> None:
    assert len(_KEYS) >= 35
    unmapped = [key for key in _KEYS if key not in FAMILIES and key not in NOT_DETECTED]
    assert unmapped == []
    assert sum(len(f["valid"]) + len(f["invalid"]) for f in VECTORS["formats"]) >= 200


def test_the_copy_keeps_its_source_and_licence() -> None:
    source = VECTORS["source"]
    assert source["repository"] == "https://github.com/jkeen/tracking_number_data"
    assert "Copyright (c) 2017 Jeff Keen" in source["license"]
    assert all(len(f["commit"]) == 40 for f in VECTORS["formats"])


def _expected_courier(family: Family, number: str) -> str:
    if family.courier is not None:
        return family.courier
    return f"{normalise(number)[-2:].lower()}-post"  # type: ignore[index]


@pytest.mark.parametrize(("file", "name", "number"), VALID)
def test_valid_vector_names_the_courier(file: str, name: str, number: str) -> None:
    family = FAMILIES[file, name]
    courier = _expected_courier(family, number)
    candidates = detect(number)
    found = [c for c in candidates if c.courier_code == courier]
    assert found, (courier, candidates)
    assert found[0].format_name in family.formats
    assert found[0].check_digit == ("verified" if family.checked else "none")
    assert 0 < found[0].confidence <= 1
    assert found[0].reason
    if family.top:
        assert candidates[0].courier_code == courier, candidates


@pytest.mark.parametrize(("file", "name", "number"), INVALID)
def test_invalid_vector_gets_no_answer_from_its_family(file: str, name: str, number: str) -> None:
    family = FAMILIES[file, name]
    n = normalise(number)
    if n is None:  # not even a tracking number's characters or length
        assert detect(number) == []
        return
    answered = {m.format_name for rule in rules_for(n) for m in rule(n)}
    assert answered.isdisjoint(family.formats), answered


def test_not_detected_formats_really_are_not_detected() -> None:
    """The exception list stays honest: a format listed as undetected is not detected."""
    for f in VECTORS["formats"]:
        if (f["file"], f["name"]) in NOT_DETECTED:
            assert all(detect(n) == [] for n in f["valid"]), f["name"]


#: Frankier-IDs printed on real letters: paketda.de/wissen/zahlencodes-auf-briefen.html
#: (``01 31F7 70C0 11 4017 0998``) and philaseiten.de/beitrag/184125, an Amazon receipt
#: (``42 305D A0F2 70 F07F 2E3C``, letters in the 4-character posting-receipt group too).
REAL_FRANKIER_IDS = ("01 31F7 70C0 11 4017 0998", "42 305D A0F2 70 F07F 2E3C")


@pytest.mark.parametrize("number", REAL_FRANKIER_IDS)
def test_real_deutsche_post_frankier_ids_verify_and_a_changed_digit_or_letter_is_caught(
    number: str,
) -> None:
    """A digit changed into another digit (or a letter into a letter) flips only the low four
    bits of its ASCII code, a burst the CRC-4 always catches; a digit swapped for a letter
    may slip through (docs/detection.md)."""
    (found,) = [c for c in detect(number) if c.courier_code == "de-post"]
    assert found.check_digit == "verified"
    n = normalise(number)
    assert n is not None
    for i in range(20):
        alphabet = "0123456789" if n[i].isdigit() else "ABCDEF"
        for ch in alphabet.replace(n[i], ""):
            changed = n[:i] + ch + n[i + 1 :]
            assert all(c.courier_code != "de-post" for c in detect(changed)), changed


@pytest.mark.parametrize("number", sorted(CONTESTED_VALID))
def test_contested_upstream_vectors_really_fail_the_published_check(number: str) -> None:
    n = normalise(number)
    assert n is not None
    assert crc4_ccitt_check(n[:19]) != n[19]
    assert f"expects check character {crc4_ccitt_check(n[:19])}" in CONTESTED_VALID[number]
    assert all(c.courier_code != "de-post" for c in detect(number))
