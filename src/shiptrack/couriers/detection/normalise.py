"""Turn what a person typed or a scanner read into the form the format rules expect."""

from __future__ import annotations

#: Separators people and labels put inside tracking numbers: whitespace and dashes (ASCII
#: hyphen-minus plus the Unicode hyphens and dashes U+2010–U+2015 that word processors insert).
_SEPARATORS = dict.fromkeys(map(ord, " \t\r\n\u00a0-\u2010\u2011\u2012\u2013\u2014\u2015"))

MIN_LENGTH = 5
MAX_LENGTH = 50


def normalise(tracking_number: str) -> str | None:
    """Upper-case ASCII letters and digits without separators, or ``None`` when the input
    cannot be a tracking number any rule knows (other characters, under 5 or over 50 long)."""
    if tracking_number.isalnum() and tracking_number.isascii():
        n = tracking_number  # the usual case: skip the slower translate
    else:
        n = tracking_number.translate(_SEPARATORS)
        # ASCII before upper(): "ı".upper() is "I", and no carrier prints dotless i.
        if not (n.isascii() and n.isalnum()):
            return None
    if MIN_LENGTH <= len(n) <= MAX_LENGTH:
        return n.upper()
    return None
