"""Formats of US regional carriers: OnTrac, LaserShip, Spee-Dee, Old Dominion, CDL Last Mile,
GOFO Express.

Sources: jkeen/tracking_number_data ``couriers/ontrac.json`` (C and D numbers: weights 1,2
from the left over the serial with the letter counted as 4 for C and 5 for D, check =
(10 − sum mod 10) mod 10), ``lasership.json`` (LX and 1LS7 shapes), ``speedee.json`` (``SP`` +
18 digits), ``old_dominion.json`` (PRO numbers ``777``/``778``/``072`` + 7 digits and
guaranteed shipments ``80`` + 8 digits, each + a Luhn check digit), ``gofo.json`` (``GFUS`` +
14 digits, no check digit) and the ``tracking-numbers``
package 0.1.8 (its data's CDL Last Mile package ID: 10 hexadecimal characters with a letter).
"""

from __future__ import annotations

from shiptrack.couriers.detection.checkdigits import luhn_check, mod10_12_check
from shiptrack.couriers.detection.model import (
    DISTINCTIVE_UNCHECKED,
    DISTINCTIVE_VERIFIED,
    PLAIN_VERIFIED,
    Match,
    base_confidence,
    checked,
    unchecked,
)

#: Spee-Dee's two-letter prefix; CDL's bare hexadecimal shape; Old Dominion's PRO prefixes.
_D_UNCH_WEAK = base_confidence(distinctive=True, verified=False, adjust=-0.1)
_D_UNCH_LOOSE = base_confidence(distinctive=True, verified=False, adjust=-0.5)
_P_VER_PREFIX = base_confidence(distinctive=False, verified=True, adjust=0.1)

# --- OnTrac ---------------------------------------------------------------------------------

_ONTRAC_C = checked(
    "ontrac", "OnTrac (C)", DISTINCTIVE_VERIFIED, "OnTrac C number, mod 10 check digit {d} verified"
)
_ONTRAC_D = checked(
    "ontrac", "OnTrac (D)", DISTINCTIVE_VERIFIED, "OnTrac D number, mod 10 check digit {d} verified"
)


def ontrac(n: str) -> tuple[Match, ...]:
    if len(n) != 15 or not n[1:].isdigit():
        return ()
    # The letter counts as a digit in the check: C as 4, D as 5 (UPS-style letter values).
    if n[0] == "C":
        letter, answers = "4", _ONTRAC_C
    elif n[0] == "D":
        letter, answers = "5", _ONTRAC_D
    else:
        return ()
    c = mod10_12_check(letter + n[1:14])
    return answers[c] if ord(n[14]) - 48 == c else ()


# --- LaserShip ------------------------------------------------------------------------------

_LASERSHIP_LX = unchecked(
    "lasership",
    "LaserShip LX",
    DISTINCTIVE_UNCHECKED,
    "LaserShip LX number (LX1 + 7 digits), no check digit",
)
_LASERSHIP_15 = unchecked(
    "lasership",
    "LaserShip 1LS7 (15)",
    DISTINCTIVE_UNCHECKED,
    "LaserShip 1LS7 number (15), no check digit",
)
_LASERSHIP_18 = unchecked(
    "lasership",
    "LaserShip 1LS7 (18)",
    DISTINCTIVE_UNCHECKED,
    "LaserShip 1LS7 piece number (…-1), no check digit",
)


def lasership(n: str) -> tuple[Match, ...]:
    if n.startswith("LX"):
        if len(n) == 10 and n[2] == "1" and "3" <= n[3] <= "8" and n[4:].isdigit():
            return _LASERSHIP_LX
        return ()
    if not (n.startswith("1LS7") and n[4] in "12" and n[4:].isdigit()):
        return ()
    if len(n) == 15:
        return _LASERSHIP_15
    if len(n) == 17 and n[7:9] == "01" and n[9] in "1234" and n[16] == "1":
        return _LASERSHIP_18
    return ()


# --- Spee-Dee, Old Dominion, CDL --------------------------------------------------------------

_SPEEDEE = unchecked(
    "speedee",
    "Spee-Dee (20)",
    _D_UNCH_WEAK,
    "Spee-Dee Delivery number (SP + 18 digits), no check digit",
)


def speedee(n: str) -> tuple[Match, ...]:
    return _SPEEDEE if len(n) == 20 and n[2:].isdigit() else ()


_GOFO = unchecked(
    "gofo",
    "GOFO Express (US)",
    _D_UNCH_WEAK,
    "GOFO Express US number (GFUS + 14 digits), no check digit",
)


def gofo(n: str) -> tuple[Match, ...]:
    return _GOFO if len(n) == 18 and n.startswith("GFUS") and n[4:].isdigit() else ()


_OLD_DOMINION_PRO = checked(
    "old-dominion",
    "Old Dominion PRO (11)",
    _P_VER_PREFIX,
    "Old Dominion PRO number (777, 778 or 072 + 7 digits + check), Luhn check digit {d} verified",
)
_OLD_DOMINION_GUARANTEED = checked(
    "old-dominion",
    "Old Dominion guaranteed (11)",
    PLAIN_VERIFIED,
    "Old Dominion guaranteed shipment (80 + 8 digits + check), Luhn check digit {d} verified",
)
_OLD_DOMINION_PREFIXES = frozenset({"777", "778", "072"})


def old_dominion(n: str) -> tuple[Match, ...]:
    if n[:3] in _OLD_DOMINION_PREFIXES:
        answers = _OLD_DOMINION_PRO
    elif n.startswith("80"):
        answers = _OLD_DOMINION_GUARANTEED
    else:
        return ()
    c = luhn_check(n[:10])
    return answers[c] if ord(n[10]) - 48 == c else ()


_HEX = frozenset("0123456789ABCDEF")
_CDL = unchecked(
    "cdl-last-mile",
    "CDL Last Mile (10)",
    _D_UNCH_LOOSE,
    "CDL Last Mile package ID (10 hexadecimal characters), no check digit",
)


def cdl(n: str) -> tuple[Match, ...]:
    # Any 10-character hexadecimal string with a letter fits: the shape is all there is.
    return _CDL if _HEX.issuperset(n) else ()
