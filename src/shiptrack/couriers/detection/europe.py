"""Formats of DHL, DPD, GLS, Yodel, Evri/Hermes, PostNL, Colissimo, InPost, Parcelforce, Royal
Mail's 2D item ids, Landmark Global and Deutsche Post.

Sources: DHL Express waybill (10 digits, mod 7); Deutsche Post Identcode (12 digits, weights
4,9, mod 10); DPD Parcel Label Specification (28-character human-readable line: 7-character
postcode, 14-digit parcel number, 3-digit service, 3-digit ISO numeric country and an
ISO/IEC 7064 MOD 37,36 check character); GLS Uni-Box technical documentation §3.2.1 (11 digits
+ check digit, weights 3,1, plus 1); jkeen/tracking_number_data (DHL, DPD, Yodel formats and
example numbers; ``landmark.json``: ``LTN`` + 8 digits + ``N1``); Deutsche Post's
*DataMatrix-Code DV-Freimachung* 1.5.2 (the 20-character Frankier-ID and its CRC-4); Royal
Mail Tracking API v2 specification (the 2D unique item id).
Formats without a published check digit answer ``check_digit = "none"``.
"""

from __future__ import annotations

from shiptrack.couriers.detection.checkdigits import (
    crc4_ccitt_check,
    gls_check,
    identcode_check,
    mod7_check,
    mod37_36_check,
)
from shiptrack.couriers.detection.model import Match, base_confidence, checked, unchecked

_D_VER = base_confidence(distinctive=True, verified=True)
#: A 4-bit check lets one random string in 16 through: verified, but weaker than a mod 10.
_D_VER_WEAK_CHECK = base_confidence(distinctive=True, verified=True, adjust=-0.3)
_D_UNCH = base_confidence(distinctive=True, verified=False)
_D_UNCH_WEAK = base_confidence(distinctive=True, verified=False, adjust=-0.1)
_D_UNCH_WEAKER = base_confidence(distinctive=True, verified=False, adjust=-0.25)
_D_UNCH_GENERIC = base_confidence(distinctive=True, verified=False, adjust=-0.4)
_D_UNCH_LOOSE = base_confidence(distinctive=True, verified=False, adjust=-0.5)
_P_VER = base_confidence(distinctive=False, verified=True)
_P_VER_SHARED = base_confidence(distinctive=False, verified=True, adjust=-0.1)
_P_VER_RARE = base_confidence(distinctive=False, verified=True, adjust=-0.2)
_P_UNCH = base_confidence(distinctive=False, verified=False)
_P_UNCH_RARE_LENGTH = base_confidence(distinctive=False, verified=False, adjust=0.1)


# --- DHL ------------------------------------------------------------------------------------

_DHL_10 = checked(
    "dhl-express",
    "DHL Express waybill (10)",
    _P_VER,
    "10-digit DHL Express waybill, mod 7 check digit {d} verified",
)
_DHL_11 = checked(
    "dhl-express",
    "DHL Express (11)",
    _P_VER_RARE,
    "11-digit DHL Express number, mod 7 check digit {d} verified",
)
_DHL_PAKET_12 = checked(
    "dhl",
    "DHL Paket Identcode (12)",
    _P_VER_SHARED,
    "12-digit DHL Paket number (Identcode), mod 10 (4,9) check digit {d} verified",
)


def dhl_express_10(n: str) -> tuple[Match, ...]:
    c = mod7_check(n[:9])
    return _DHL_10[c] if ord(n[9]) - 48 == c else ()


def dhl_express_11(n: str) -> tuple[Match, ...]:
    c = mod7_check(n[:10])
    return _DHL_11[c] if ord(n[10]) - 48 == c else ()


def dhl_paket_12(n: str) -> tuple[Match, ...]:
    c = identcode_check(n[:11])
    return _DHL_PAKET_12[c] if ord(n[11]) - 48 == c else ()


_YODEL_JD = unchecked("yodel", "Yodel", _D_UNCH, "Yodel number (JD + 16 digits), no check digit")
_YODEL_JJD = unchecked("yodel", "Yodel", _D_UNCH, "Yodel number (JJD + 16 digits), no check digit")
_DHL_JD = unchecked(
    "dhl-express",
    "DHL Express piece ID (JD)",
    _D_UNCH,
    "DHL Express piece ID (JD + 18 digits), no check digit",
)


def dhl_j_prefixed(n: str) -> tuple[Match, ...]:
    """JD/JJD numbers: Yodel (16 digits after the prefix), DHL Express license plates."""
    jd = n[1] == "D"
    digits = n[2:] if jd else n[3:] if n[2] == "D" else ""
    if not digits.isdigit():
        return ()
    count = len(digits)
    if count == 16:
        return _YODEL_JD if jd else _YODEL_JJD
    if jd and count == 18:
        return _DHL_JD
    if not jd and count in (9, 10):
        reason = f"DHL Express piece ID (JJD + {count} digits), no check digit"
        return (Match("dhl-express", "DHL Express piece ID (JJD)", False, _D_UNCH_WEAK, reason),)
    if not jd and 17 <= count <= 21:
        reason = f"DHL parcel license plate (JJD + {count} digits), no check digit"
        return (Match("dhl", "DHL license plate (JJD)", False, _D_UNCH_WEAK, reason),)
    return ()


def dhl_parcel_nl(n: str) -> tuple[Match, ...]:
    digits = n[4:]
    if not (n.startswith("JVGL") and digits.isdigit()):
        return ()
    if len(digits) in (9, 10):
        reason = f"DHL Express piece ID (JVGL + {len(digits)} digits), no check digit"
        return (Match("dhl-express", "DHL Express piece ID (JVGL)", False, _D_UNCH_WEAK, reason),)
    if 11 <= len(digits) <= 20:
        reason = f"DHL Parcel NL number (JVGL + {len(digits)} digits), no check digit"
        return (Match("dhlparcel-nl", "DHL Parcel NL (JVGL)", False, _D_UNCH_WEAK, reason),)
    return ()


DHL_ECOMMERCE_PREFIXES = frozenset({"LX", "RX", "UV", "CN", "SG", "TH", "IN", "HK", "MY"})


def dhl_ecommerce(n: str) -> tuple[Match, ...]:
    prefix, digits = n[:2], n[2:]
    if not digits.isdigit():
        return ()
    if prefix == "GM" and 16 <= len(digits) <= 22:
        reason = f"DHL eCommerce number (GM + {len(digits)} digits), no check digit"
        return (Match("dhl-global-mail", "DHL eCommerce (GM)", False, _D_UNCH, reason),)
    if prefix in DHL_ECOMMERCE_PREFIXES and 10 <= len(digits) <= 39:
        reason = f"DHL eCommerce number ({prefix} + {len(digits)} digits), no check digit"
        return (Match("dhl-global-mail", "DHL eCommerce", False, _D_UNCH_GENERIC, reason),)
    return ()


# --- DPD ------------------------------------------------------------------------------------


def dpd_28(n: str) -> tuple[Match, ...]:
    if not n[7:27].isdigit() or mod37_36_check(n[:27]) != n[27]:
        return ()
    postcode = n[:7]
    reason = (
        f"DPD parcel label line (postcode {postcode}, parcel {n[7:21]}, service {n[21:24]}), "
        f"MOD 37,36 check character {n[27]} verified"
    )
    return (Match("dpd", "DPD parcel label (28)", True, _D_VER, reason, None, postcode),)


_DPD_14 = unchecked(
    "dpd",
    "DPD parcel number (14)",
    _P_UNCH,
    "14-digit DPD parcel number (depot + serial), no check digit",
)
_DPD_15_REASON = "DPD parcel number with its check character (14 + 1), check not verifiable"
_DPD_15_LETTER = unchecked("dpd", "DPD parcel number (15)", _P_UNCH_RARE_LENGTH, _DPD_15_REASON)
_DPD_15_DIGIT = unchecked("dpd", "DPD parcel number (15)", _P_UNCH, _DPD_15_REASON)


def dpd_14(n: str) -> tuple[Match, ...]:
    return _DPD_14


def dpd_15(n: str) -> tuple[Match, ...]:
    # The check character DPD prints after the parcel number covers the whole label line,
    # so it cannot be verified from the 14 digits alone.
    if not n[:14].isdigit():
        return ()
    return _DPD_15_LETTER if n[14].isalpha() else _DPD_15_DIGIT


# --- GLS ------------------------------------------------------------------------------------


_GLS_11 = unchecked(
    "gls",
    "GLS parcel number (11)",
    _P_UNCH,
    "11-digit GLS parcel number (without its check digit)",
)
_GLS_12 = checked(
    "gls",
    "GLS parcel number (12)",
    _P_VER_SHARED,
    "12-digit GLS parcel number, check digit {d} verified",
)


def gls_11(n: str) -> tuple[Match, ...]:
    return _GLS_11


def gls_12(n: str) -> tuple[Match, ...]:
    c = gls_check(n[:11])
    return _GLS_12[c] if ord(n[11]) - 48 == c else ()


# --- UK: Evri/Hermes, Parcelforce -------------------------------------------------------------


_HERMES_DE = unchecked(
    "hermes",
    "Hermes (H10)",
    _D_UNCH_WEAK,
    "Hermes Germany number (H10 + 17 digits), no check digit",
)
_EVRI = unchecked(
    "hermes-uk",
    "Evri/Hermes UK (16)",
    _D_UNCH_WEAKER,
    "Evri (Hermes UK) number (H + 15 characters), no check digit",
)
_PARCELFORCE = unchecked(
    "parcel-force",
    "Parcelforce (9)",
    _D_UNCH_LOOSE,
    "Parcelforce consignment number (2 letters + 7 digits), no check digit",
)


def hermes(n: str) -> tuple[Match, ...]:
    if len(n) == 20 and n.startswith("H10") and n[3:].isdigit():
        return _HERMES_DE
    if len(n) == 16 and n[1:3].isdigit() and n[6:].isdigit():
        return _EVRI
    return ()


def parcelforce_9(n: str) -> tuple[Match, ...]:
    return _PARCELFORCE if n[:2].isalpha() and n[2:].isdigit() else ()


#: Royal Mail's Tracking API takes a 2D barcode's unique item id as well as the 1D (S10)
#: number; its specification's example ``090367574000000FE1E1B`` is 15 digits and 6 hex
#: characters. No check character is published, and one example is all: the shape only.
_ROYAL_MAIL_2D = unchecked(
    "gb-post",
    "Royal Mail 2D unique item id (21)",
    _D_UNCH_LOOSE,
    "Royal Mail 2D barcode unique item id (15 digits + 6 hexadecimal), no check character",
)
_HEX = frozenset("0123456789ABCDEF")


def royal_mail_2d(n: str) -> tuple[Match, ...]:
    if n[:15].isdigit() and not n[15:].isdigit() and _HEX.issuperset(n[15:]):
        return _ROYAL_MAIL_2D
    return ()


# --- Netherlands, France, Poland -------------------------------------------------------------


def postnl_3s(n: str) -> tuple[Match, ...]:
    if 13 <= len(n) <= 17 and n[2:6].isalpha() and n[6:].isdigit():
        reason = f"PostNL 3S barcode (customer code {n[2:6]}), no check digit"
        return (Match("nl-post", "PostNL 3S", False, _D_UNCH, reason),)
    return ()


_COLISSIMO = base_confidence(distinctive=True, verified=False, adjust=-0.3)


def colissimo(n: str) -> tuple[Match, ...]:
    if n[0].isdigit() and n[1].isalpha() and n[2:].isdigit():
        reason = f"La Poste Colissimo number ({n[:2]} + 11 digits), no check digit verified"
        return (Match("colissimo", "Colissimo (13)", False, _COLISSIMO, reason),)
    return ()


_INPOST = unchecked(
    "inpost-pl", "InPost (24)", _P_UNCH_RARE_LENGTH, "24-digit InPost parcel number, no check digit"
)


def inpost_24(n: str) -> tuple[Match, ...]:
    return _INPOST


# --- Landmark Global, Deutsche Post ------------------------------------------------------------

_LANDMARK = unchecked(
    "landmark-global",
    "Landmark Global LTN",
    _D_UNCH,
    "Landmark Global number (LTN + 8 digits + N1), no check digit",
)


def landmark(n: str) -> tuple[Match, ...]:
    if len(n) == 13 and n.startswith("LTN") and n[3:11].isdigit() and n.endswith("N1"):
        return _LANDMARK
    return ()


#: Deutsche Post's Frankier-ID: 20 hexadecimal characters (participation number 2, the
#: sender's customer number 7, posting receipt 4, item number 6) and a CRC-4 check character
#: over the ASCII codes of the first 19 (:func:`crc4_ccitt_check`). Real Frankier-IDs carry
#: letters in any group (``42 305D A0F2 70 F07F 2E3C``), so only the alphabet is fixed.
_DEUTSCHE_POST_FRANKIER_ID = {
    c: (
        Match(
            "de-post",
            "Deutsche Post Frankier-ID (20)",
            True,
            _D_VER_WEAK_CHECK,
            f"Deutsche Post Frankier-ID (20 hexadecimal characters), CRC-4 check character {c} "
            "verified",
        ),
    )
    for c in "0123456789ABCDEF"
}
_HEX_DIGITS = frozenset("0123456789ABCDEF")


def deutsche_post_frankier_id(n: str) -> tuple[Match, ...]:
    if _HEX_DIGITS.issuperset(n) and crc4_ccitt_check(n[:19]) == n[19]:
        return _DEUTSCHE_POST_FRANKIER_ID[n[19]]
    return ()
