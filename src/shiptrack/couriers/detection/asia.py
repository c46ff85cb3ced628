"""Formats of YunExpress, Cainiao, SF Express, J&T Express and 4PX.

None of these carriers publishes a check digit; the letters of the prefix are what identify
them (YunExpress ``YT`` + 16 digits per jkeen/tracking_number_data; Cainiao ``LP`` + 14 digits;
SF Express ``SF`` + 12 or 13 digits; J&T ``JT`` + 13 digits; 4PX ``4PX`` + digits, sometimes
with a ``CN`` suffix).
"""

from __future__ import annotations

from shiptrack.couriers.detection.model import Match, base_confidence

_D_UNCH = base_confidence(distinctive=True, verified=False)
_D_UNCH_WEAK = base_confidence(distinctive=True, verified=False, adjust=-0.1)


_YUNEXPRESS = (
    Match(
        "yun-express",
        "YunExpress",
        False,
        _D_UNCH,
        "YunExpress number (YT + 16 digits), no check digit",
    ),
)


def yunexpress(n: str) -> tuple[Match, ...]:
    return _YUNEXPRESS if len(n) == 18 and n[2:].isdigit() else ()


_CAINIAO = (
    Match(
        "cainiao", "Cainiao (LP)", False, _D_UNCH, "Cainiao number (LP + 14 digits), no check digit"
    ),
)


def cainiao(n: str) -> tuple[Match, ...]:
    return _CAINIAO if len(n) == 16 and n[2:].isdigit() else ()


def sf_express(n: str) -> tuple[Match, ...]:
    if len(n) in (14, 15) and n[2:].isdigit():
        reason = f"SF Express waybill (SF + {len(n) - 2} digits), no check digit"
        return (Match("sf-express", "SF Express", False, _D_UNCH, reason),)
    return ()


_JT_EXPRESS = (
    Match(
        "jt-express",
        "J&T Express (JT)",
        False,
        _D_UNCH_WEAK,
        "J&T Express number (JT + 13 digits), no check digit",
    ),
)


def jt_express(n: str) -> tuple[Match, ...]:
    return _JT_EXPRESS if len(n) == 15 and n[2:].isdigit() else ()


def fourpx(n: str) -> tuple[Match, ...]:
    if not n.startswith("4PX"):
        return ()
    digits = n[3:-2] if n.endswith("CN") else n[3:]
    if 10 <= len(digits) <= 16 and digits.isdigit():
        reason = f"4PX number (4PX + {len(digits)} digits), no check digit"
        return (Match("4px", "4PX", False, _D_UNCH, reason),)
    return ()
