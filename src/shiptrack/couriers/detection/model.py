"""What a format rule answers, and how its confidence is derived.

A rule is a function ``rule(n) -> tuple[Match, ...]`` over a *normalised* number (upper-case
ASCII letters and digits, 5–50 characters). It answers nothing when the number does not have
the format or its check digit is wrong: a rule never guesses.

Confidence starts from two facts about the format (see docs/detection.md):

================  =======================  ===================
shape             check digit verified     no check digit
================  =======================  ===================
distinctive       0.97                     0.85
plain digits      0.60                     0.30
================  =======================  ===================

*Distinctive* means letters or a fixed prefix narrow the number to the carrier (``1Z``,
``TBA``, an S10 service indicator and country suffix, ``420`` + ZIP); *plain* means only the
length and digits do (a 12-digit number fits FedEx, Purolator, DHL Paket and GLS). A rule may
add a documented adjustment, e.g. −0.30 for a secondary reading of a number that belongs first
to another carrier (FedEx SmartPost numbers are USPS IMpb numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

DISTINCTIVE_VERIFIED = 0.97
DISTINCTIVE_UNCHECKED = 0.85
PLAIN_VERIFIED = 0.60
PLAIN_UNCHECKED = 0.30


class Match(NamedTuple):
    """One format a number fits, before the tracker's hints are applied."""

    courier_code: str
    format_name: str
    verified: bool
    confidence: float
    reason: str
    #: ISO country whose postal operator issued an S10 number (for country hints).
    s10_country: str | None = None
    #: Post code carried inside the number (USPS ``420`` routing ZIP, DPD label postcode).
    routing_post_code: str | None = None


def base_confidence(*, distinctive: bool, verified: bool, adjust: float = 0.0) -> float:
    """The confidence table above plus a rule's documented adjustment, clamped to 0.05–1."""
    if distinctive:
        base = DISTINCTIVE_VERIFIED if verified else DISTINCTIVE_UNCHECKED
    else:
        base = PLAIN_VERIFIED if verified else PLAIN_UNCHECKED
    return round(min(1.0, max(0.05, base + adjust)), 2)


def by_check_digit(build: Callable[[str], Match]) -> tuple[tuple[Match, ...], ...]:
    """The answers of a rule whose reason varies only by its decimal check digit, built once:
    ``answers[d]`` is what the rule returns when check digit ``d`` verifies (no allocation on
    the hot path)."""
    return tuple((build(str(d)),) for d in range(10))


def unchecked(code: str, name: str, confidence: float, reason: str) -> tuple[Match]:
    """The one answer of a format without a check digit, built once."""
    return (Match(code, name, False, confidence, reason),)


def checked(code: str, name: str, confidence: float, reason: str) -> tuple[tuple[Match, ...], ...]:
    """Answers by check digit; ``{d}`` in ``reason`` is the digit."""
    return by_check_digit(lambda d: Match(code, name, True, confidence, reason.format(d=d)))
