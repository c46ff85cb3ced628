"""Formats of UPS, FedEx, USPS, Amazon, Canada Post, Purolator and Canpar.

Sources: USPS Publication 199 (IMpb: ``9[1-5]`` application identifier, optional ``420`` +
ZIP routing prefix, GS1 mod 10 check digit); UPS tracking-number check digit (letters mapped
by (ord − 3) mod 10, weights 1,2); FedEx Express 12/34 (mod 11, weights 1,3,7), FedEx Ground
15/96 and SmartPost (GS1 mod 10); GS1 General Specifications §7.9 (SSCC-18); the formats and
published example numbers of jkeen/tracking_number_data (``couriers/*.json``).

Answers whose reason varies only by the check digit are built at import (``by_check_digit``):
a rule then allocates nothing on the hot path.
"""

from __future__ import annotations

from shiptrack.couriers.detection.checkdigits import (
    fedex_mod11_check,
    gs1_mod10_check,
    luhn_check,
    ups_check,
)
from shiptrack.couriers.detection.model import Match, base_confidence, checked, unchecked

_D_VER = base_confidence(distinctive=True, verified=True)
_D_VER_SHORT_PREFIX = base_confidence(distinctive=True, verified=True, adjust=-0.07)
_D_UNCH = base_confidence(distinctive=True, verified=False)
_D_UNCH_WEAK = base_confidence(distinctive=True, verified=False, adjust=-0.1)
_P_VER = base_confidence(distinctive=False, verified=True)
_P_VER_FIELD = base_confidence(distinctive=False, verified=True, adjust=0.2)
_P_VER_SHARED = base_confidence(distinctive=False, verified=True, adjust=-0.1)
_P_UNCH_PREFIX = base_confidence(distinctive=False, verified=False, adjust=0.1)
_SMARTPOST_CONF = base_confidence(distinctive=True, verified=True, adjust=-0.3)


# --- UPS ------------------------------------------------------------------------------------

_UPS_1Z = checked("ups", "UPS 1Z", _D_VER, "UPS 1Z number, mod 10 check digit {d} verified")


def ups_1z(n: str) -> tuple[Match, ...]:
    if len(n) != 18:
        return ()
    c = ord(n[17]) - 48
    return _UPS_1Z[c] if 0 <= c <= 9 and ups_check(n[2:17]) == c else ()


def ups_mail_innovations(n: str) -> tuple[Match, ...]:
    # "MI" + 6-digit mailer ID + up to 22 characters of package ID; no check digit.
    if 9 <= len(n) <= 30 and n[2:8].isdigit():
        reason = f"UPS Mail Innovations number (MI + mailer ID {n[2:8]}), no check digit"
        return (Match("ups-mail-innovations", "UPS Mail Innovations", False, _D_UNCH_WEAK, reason),)
    return ()


_UPS_MI_SEQUENCE = unchecked(
    "ups-mail-innovations",
    "UPS Mail Innovations sequence",
    _P_UNCH_PREFIX,
    "UPS Mail Innovations sequence number (80 + 16 digits), no check digit",
)


def ups_mail_innovations_sequence(n: str) -> tuple[Match, ...]:
    return _UPS_MI_SEQUENCE if n.startswith("80") else ()


# --- FedEx ----------------------------------------------------------------------------------

_FEDEX_12 = checked(
    "fedex",
    "FedEx Express (12)",
    _P_VER,
    "12-digit FedEx Express number, mod 11 check digit {d} verified",
)
_FEDEX_15 = checked(
    "fedex",
    "FedEx Ground (15)",
    _P_VER,
    "15-digit FedEx Ground number, mod 10 check digit {d} verified",
)
_FEDEX_96 = checked(
    "fedex",
    "FedEx Ground 96 (22)",
    _D_VER_SHORT_PREFIX,
    "FedEx Ground 96 barcode (22 digits), mod 10 check digit {d} verified",
)
_FEDEX_34_EXPRESS = checked(
    "fedex",
    "FedEx Express (34)",
    _D_VER_SHORT_PREFIX,
    "FedEx Express 34-digit barcode, mod 11 check digit {d} verified",
)
#: FDX1D barcodes with a first digit 0–8 other than "10" (FedEx extended the range in 2024,
#: per jkeen/tracking_number_data issues #51, #113 and pull request #117): the length and the
#: check digit are all that identify them.
_FEDEX_34_EXPRESS_WIDE = checked(
    "fedex",
    "FedEx Express (34)",
    _P_VER,
    "34-digit FedEx Express barcode, mod 11 check digit {d} verified",
)
_FEDEX_34_GSN = checked(
    "fedex",
    "FedEx Ground GSN (34)",
    _D_VER_SHORT_PREFIX,
    "FedEx Ground GSN 34-digit barcode, mod 11 check digit {d} verified",
)
_SMARTPOST_20 = checked(
    "fedex",
    "FedEx SmartPost (20)",
    _P_VER,
    "FedEx SmartPost number (IMpb without its 92 prefix), check digit {d} verified",
)


def fedex_express_12(n: str) -> tuple[Match, ...]:
    c = fedex_mod11_check(n[:11])
    return _FEDEX_12[c] if ord(n[11]) - 48 == c else ()


def fedex_ground_15(n: str) -> tuple[Match, ...]:
    c = gs1_mod10_check(n[:14])
    return _FEDEX_15[c] if ord(n[14]) - 48 == c else ()


def fedex_ground_96(n: str) -> tuple[Match, ...]:
    # 96 + SCNC (2) + service type (3) + shipper ID (7) + package ID (7) + check; the check
    # digit covers the 14-digit shipper + package serial only.
    if not n.startswith("96"):
        return ()
    c = gs1_mod10_check(n[7:21])
    return _FEDEX_96[c] if ord(n[21]) - 48 == c else ()


def fedex_34(n: str) -> tuple[Match, ...]:
    # The check digit covers the last 13 digits before it (the embedded tracking number).
    if n.startswith("10"):
        answers = _FEDEX_34_EXPRESS
    elif n.startswith("96"):
        answers = _FEDEX_34_GSN
    elif n[0] <= "8":
        answers = _FEDEX_34_EXPRESS_WIDE
    else:
        return ()
    c = fedex_mod11_check(n[20:33])
    return answers[c] if ord(n[33]) - 48 == c else ()


def fedex_smartpost_20(n: str) -> tuple[Match, ...]:
    # A SmartPost number printed without its "92" application identifier: the check digit
    # is computed as if "92" were present.
    c = gs1_mod10_check("92" + n[:19])
    return _SMARTPOST_20[c] if ord(n[19]) - 48 == c else ()


# --- USPS -----------------------------------------------------------------------------------

_USPS_20_SERVICE_TYPES = frozenset({"03", "71", "73", "77", "81"})
_IMPB_LENGTHS = frozenset({22, 26, 30})
_USPS_20 = checked(
    "us-post",
    "USPS (20)",
    _P_VER_FIELD,
    "20-digit USPS number with a USPS service type, mod 10 check digit {d} verified",
)
_USPS_20_91 = checked(
    "us-post",
    "USPS IMpb (20, 91 implied)",
    _P_VER,
    "USPS IMpb printed without its 91 prefix, check digit {d} verified",
)


def _impb_check(t: str) -> int:
    """The verified check digit of an IMpb tracking code, or -1."""
    if len(t) in _IMPB_LENGTHS and t[0] == "9" and "1" <= t[1] <= "5":
        c = gs1_mod10_check(t[:-1])
        if ord(t[-1]) - 48 == c:
            return c
    return -1


def _impb_matches(t: str, check: int, routing_zip: str | None) -> tuple[Match, ...]:
    if routing_zip is None:
        name = f"USPS IMpb ({len(t)})"
        reason = f"USPS Intelligent Mail package barcode, mod 10 check digit {check} verified"
    else:
        name = "USPS IMpb with 420 routing"
        reason = (
            f"USPS Intelligent Mail package barcode with 420 routing ZIP {routing_zip}, "
            f"mod 10 check digit {check} verified"
        )
    usps = Match("us-post", name, True, _D_VER, reason, None, routing_zip)
    if t[1] != "2":
        return (usps,)
    smartpost = Match(
        "fedex",
        "FedEx SmartPost (IMpb)",
        True,
        _SMARTPOST_CONF,
        "IMpb number with application identifier 92, as FedEx SmartPost prints, "
        f"check digit {check} verified; USPS delivers it",
        None,
        routing_zip,
    )
    return (usps, smartpost)


#: (length, application identifier is 92) → answers by check digit, without routing prefix.
_IMPB = {
    (length, ai92): tuple(
        _impb_matches(("92" if ai92 else "94") + "0" * (length - 2), d, None) for d in range(10)
    )
    for length in _IMPB_LENGTHS
    for ai92 in (False, True)
}


def usps_impb(n: str) -> tuple[Match, ...]:
    if n.startswith("420"):
        found: tuple[Match, ...] = ()
        for zip_length in (5, 9):
            t = n[3 + zip_length :]
            c = _impb_check(t)
            if c >= 0:
                found += _impb_matches(t, c, n[3 : 3 + zip_length])
        return found
    c = _impb_check(n)
    return _IMPB[len(n), n[1] == "2"][c] if c >= 0 else ()


def usps_20(n: str) -> tuple[Match, ...]:
    # The 91-implied reading adds 9×3 + 1 = 28 to the weighted sum, so the two readings never
    # verify on the same number: at most one answers.
    c = ord(n[19]) - 48
    if n[:2] in _USPS_20_SERVICE_TYPES and gs1_mod10_check(n[:19]) == c:
        return _USPS_20[c]
    if gs1_mod10_check("91" + n[:19]) == c:
        return _USPS_20_91[c]
    return ()


# --- GS1 SSCC-18 (FedEx Ground, DHL Paket) ---------------------------------------------------

#: GS1 company prefix of Deutsche Post DHL on DHL Paket SSCC labels ("00340434…").
_DHL_GS1_PREFIX = "340434"


def _sscc_answers(ai: bool, dhl: bool) -> tuple[tuple[Match, ...], ...]:
    label = "SSCC-18 with application identifier 00" if ai else "SSCC-18 (GS1 container code)"
    if dhl:
        return checked(
            "dhl",
            "DHL Paket SSCC",
            _D_VER_SHORT_PREFIX,
            label + f", GS1 company prefix {_DHL_GS1_PREFIX} (DHL), check digit {{d}} verified",
        )
    return checked(
        "fedex",
        "FedEx Ground (SSCC-18)",
        _P_VER_SHARED,
        label + ", mod 10 check digit {d} verified, as FedEx Ground labels use",
    )


_SSCC = {(ai, dhl): _sscc_answers(ai, dhl) for ai in (False, True) for dhl in (False, True)}


def sscc(n: str) -> tuple[Match, ...]:
    ai = len(n) == 20
    if ai and not n.startswith("00"):
        return ()
    s = n[2:] if ai else n
    c = gs1_mod10_check(s[:17])
    if ord(s[17]) - 48 != c:
        return ()
    return _SSCC[ai, s[1:7] == _DHL_GS1_PREFIX][c]


# --- Amazon ---------------------------------------------------------------------------------

_AMAZON = {
    prefix: unchecked(
        "amazon",
        "Amazon Logistics",
        _D_UNCH,
        f"Amazon Logistics number ({prefix} + 12 digits), no check digit",
    )
    for prefix in ("TBA", "TBC", "TBM")
}


def amazon(n: str) -> tuple[Match, ...]:
    if len(n) == 15 and n[3:].isdigit():
        return _AMAZON.get(n[:3], ())
    return ()


# --- Canada ---------------------------------------------------------------------------------

_CANADA_POST_16 = checked(
    "ca-post",
    "Canada Post (16)",
    _P_VER,
    "16-digit Canada Post PIN, mod 10 check digit {d} verified",
)
_PUROLATOR_12 = checked(
    "purolator",
    "Purolator (12)",
    _P_VER,
    "12-digit Purolator PIN, Luhn check digit {d} verified",
)
_PUROLATOR_ALPHA = unchecked(
    "purolator",
    "Purolator (alpha)",
    base_confidence(distinctive=True, verified=False, adjust=-0.4),
    "Purolator PIN (3 letters + 9 digits), no check digit",
)
_CANPAR = {
    letter: unchecked(
        "canpar",
        "Canpar (22)",
        _D_UNCH_WEAK,
        f"Canpar barcode ({letter} + 21 digits), no check digit",
    )
    for letter in "CDKLSUXZ"
}


#: Canada Post's delivery notice card number (15 digits) has no published check digit and
#: shares its length with FedEx Ground and DPD: a weak reading (Canada Post web services
#: reference, "Get Tracking Details": PIN 12, 13 or 16 characters, DNC 15 digits).
_CANADA_POST_DNC = unchecked(
    "ca-post",
    "Canada Post delivery notice card (15)",
    base_confidence(distinctive=False, verified=False, adjust=-0.1),
    "15-digit Canada Post delivery notice card number, no check digit",
)


def canada_post_dnc(n: str) -> tuple[Match, ...]:
    return _CANADA_POST_DNC


def canada_post_16(n: str) -> tuple[Match, ...]:
    c = gs1_mod10_check(n[:15])
    return _CANADA_POST_16[c] if ord(n[15]) - 48 == c else ()


def purolator_12(n: str) -> tuple[Match, ...]:
    if n[0] > "5":
        return ()
    c = luhn_check(n[:11])
    return _PUROLATOR_12[c] if ord(n[11]) - 48 == c else ()


def purolator_alpha(n: str) -> tuple[Match, ...]:
    return _PUROLATOR_ALPHA if n[:3].isalpha() and n[3:].isdigit() else ()


def canpar(n: str) -> tuple[Match, ...]:
    if len(n) == 22 and n[1:].isdigit():
        return _CANPAR.get(n[0], ())
    return ()
