"""What stands around a matched phrase: where it ends, and the words before, inside and after
it that change what it means (negation, a conditional sentence, qualifier words).

Pure functions over a text's tokens (see ``normalise``); ``engine`` decides with them.
"""

from __future__ import annotations

from typing import Final

from shiptrack.status.classifier.normalise import BOUNDARIES, SENTENCE
from shiptrack.status.classifier.rules import EXACT, GAP, MAX_GAP, Phrase

#: How many tokens before a phrase a negation word may stand ("could not be delivered").
NEGATION_WINDOW: Final = 3
#: How many tokens before or after a match a qualifier word (``@pickup:``, ``@hold:``…) may
#: stand, in its clause: "Customs in the destination country has approved".
QUALIFIER_WINDOW: Final = 6


def phrase_end(phrase: Phrase, words: tuple[str, ...], start: int) -> int:
    """Index after the phrase matched at ``start``, or -1."""
    elements = phrase.elements
    count = len(words)

    def walk(k: int, j: int) -> int:
        while k < len(elements):
            kind, value = elements[k]
            if kind == GAP:  # skips up to MAX_GAP words, never a clause boundary
                for skip in range(MAX_GAP + 1):
                    if skip and (j + skip - 1 >= count or words[j + skip - 1] in BOUNDARIES):
                        return -1
                    end = walk(k + 1, j + skip)
                    if end >= 0:
                        return end
                return -1
            if j >= count:
                return -1
            word = words[j]
            if word != value and (kind == EXACT or not word.startswith(value)):
                return -1
            k += 1
            j += 1
        return j

    return walk(1, start + 1)


def negated_before(words: tuple[str, ...], start: int, negation: frozenset[str]) -> bool:
    """Whether a negation word (or another of the given words: future markers) stands in the
    few tokens before ``start`` (same clause)."""
    window = words[max(0, start - NEGATION_WINDOW) : start]
    for back, word in enumerate(reversed(window)):
        if word in BOUNDARIES:
            window = window[len(window) - back :]
            break
    return not negation.isdisjoint(window)


def negated_inside(
    phrase: Phrase, words: tuple[str, ...], start: int, end: int, negation: frozenset[str]
) -> bool:
    """Whether a negation word stands inside the match, in a word its ``..`` skipped
    ("Delivery not attempted" negates "delivery .. attempted")."""
    inside = words[start + 1 : end - 1]
    if negation.isdisjoint(inside):
        return False
    own = {value for kind, value in phrase.elements if kind == EXACT}
    return any(word in negation and word not in own for word in inside)


def qualified(
    words: tuple[str, ...], start: int, end: int, exact: frozenset[str], stems: tuple[str, ...]
) -> bool:
    """Whether a qualifier word (one of ``exact``, or a token starting with one of ``stems``)
    stands within ``QUALIFIER_WINDOW`` tokens before or after the match, in its clause."""
    for index in (range(start - 1, max(-1, start - 1 - QUALIFIER_WINDOW), -1),
                  range(end, min(len(words), end + QUALIFIER_WINDOW))):  # fmt: skip
        for position in index:
            word = words[position]
            if word in BOUNDARIES:
                break
            if word in exact or (stems and word.startswith(stems)):
                return True
    return False


def conditional_flags(words: tuple[str, ...], conditional: frozenset[str]) -> list[bool]:
    """Per token, whether it stands in a conditional sentence: from a conditional word ("if",
    "falls", "si"…) to the end of its sentence ("If it is not collected, it will be returned
    to the sender." describes no return)."""
    flags = []
    inside = False
    for word in words:
        if word == SENTENCE:
            inside = False
        elif word in conditional:
            inside = True
        flags.append(inside)
    return flags
