"""Parcel numbers of Bring / Posten Norge, PostNord and Australia Post (beyond their S10 items).

* **Nordic SSCC**: Bring and PostNord label parcels with the GS1 Serial Shipping Container Code
  (Bring's label specification, "Specification regarding transport-label for Parcels, Express
  and Cargo", field K "licence plate number": the SSCC barcode with application identifier
  ``00``; PostNord's Track & Trace takes the same item id). An SSCC is an extension digit, the
  shipper's GS1 company prefix, a serial reference and a GS1 mod 10 check digit (GS1 General
  Specifications §2.2.1, §7.9.1). The company prefix starts with the GS1 member organisation's
  prefix: Norway 70, Sweden 73, Denmark 57, Finland 64 (GS1 prefix list). That is the shipper's
  country, not the carrier's, so the candidate stays below a verified distinctive format.
* **Australia Post eParcel article id** (16 characters): a 3-character merchant location id,
  a 7-digit consignment suffix, the 2-digit article position (01–20), a 2-digit service code,
  the last-article indicator (1 or 2) and a check digit whose algorithm Australia Post does not
  publish (Australia Post Domestic eParcel barcode specification, as summarised by barcode
  vendors; example ``7XX1000634011427`` from Australia Post's tracking reference).
"""

from __future__ import annotations

from shiptrack.couriers.detection.checkdigits import gs1_mod10_check
from shiptrack.couriers.detection.model import Match, base_confidence, checked

#: A verified check digit, but only the shipper's GS1 country narrows it to a carrier.
_NORDIC_SSCC = base_confidence(distinctive=False, verified=True, adjust=-0.05)
#: A narrow structure, but a check digit nobody can verify.
_EPARCEL = base_confidence(distinctive=True, verified=False, adjust=-0.25)

#: GS1 member organisation prefix (2 digits) → (courier, format name, country).
_NORDIC_PREFIXES: dict[str, tuple[str, str, str]] = {
    "70": ("bring", "Bring package number (SSCC)", "Norway"),
    "73": ("postnord", "PostNord item id (SSCC)", "Sweden"),
    "57": ("postnord", "PostNord item id (SSCC)", "Denmark"),
    "64": ("postnord", "PostNord item id (SSCC)", "Finland"),
}


def _nordic_answers(prefix: str, ai: bool) -> tuple[tuple[Match, ...], ...]:
    courier, name, country = _NORDIC_PREFIXES[prefix]
    label = "SSCC with application identifier 00" if ai else "SSCC (GS1 container code)"
    return checked(
        courier,
        name,
        _NORDIC_SSCC,
        f"{label}, GS1 company prefix of {country} ({prefix}…), check digit {{d}} verified",
    )


_NORDIC = {
    (prefix, ai): _nordic_answers(prefix, ai) for prefix in _NORDIC_PREFIXES for ai in (False, True)
}


def nordic_sscc(n: str) -> tuple[Match, ...]:
    """An 18-digit SSCC (or ``00`` + SSCC) whose company prefix is Norwegian, Swedish, Danish
    or Finnish."""
    ai = len(n) == 20
    if ai and not n.startswith("00"):
        return ()
    s = n[2:] if ai else n
    prefix = s[1:3]
    if prefix not in _NORDIC_PREFIXES:
        return ()
    c = gs1_mod10_check(s[:17])
    if ord(s[17]) - 48 != c:
        return ()
    return _NORDIC[prefix, ai][c]


def auspost_eparcel(n: str) -> tuple[Match, ...]:
    """A 16-character eParcel article id (letters only in the merchant location id)."""
    location, rest = n[:3], n[3:]
    if location.isdigit() or not rest.isdigit():
        return ()
    if not ("01" <= rest[7:9] <= "20") or rest[11] not in "12":
        return ()
    reason = (
        f"Australia Post eParcel article id: merchant location {location}, consignment "
        f"{rest[:7]}, article {rest[7:9]}, service code {rest[9:11]}; its check digit "
        "algorithm is unpublished"
    )
    return (Match("au-post", "Australia Post eParcel article", False, _EPARCEL, reason),)
