"""Text → comparable tokens: the one normalisation rules and inputs both go through.

Case is folded, width unified (NFKC), accents and Arabic vowel marks dropped, a few letters
without a decomposition mapped to their plain form (``ł`` → ``l``, ``ø`` → ``o``), Traditional
Chinese characters to their Simplified form (``貨`` → ``货``, ``data/hant-hans.txt``), so
"LIVRÉ", "livre" and "Livré" are the same token. Words of alphabetic scripts are tokens;
every Han, kana and Hangul character is a token of its own, so phrases in Chinese, Japanese and
Korean match whether or not a carrier puts spaces between words. Punctuation becomes
a boundary token (``BOUNDARY`` within a sentence, ``SENTENCE`` at its end), except the full
stop of an abbreviation ("Ret. to sender").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

#: Combining accents (Latin, Greek, Cyrillic) and Arabic harakat; kana voicing marks
#: (U+3099/U+309A) are outside these ranges on purpose (が and か differ).
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]")
_PLAIN = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th"}
)


def _hant_to_hans() -> dict[int, str]:
    """The Traditional → Simplified table (``data/hant-hans.txt``)."""
    text = (resources.files("shiptrack.status.classifier") / "data" / "hant-hans.txt").read_text(
        "utf-8"
    )
    pairs = [p for line in text.splitlines() if not line.startswith("#") for p in line.split()]
    return {ord(pair[0]): pair[1] for pair in pairs}


_PLAIN.update(_hant_to_hans())
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+|[.;:!?,。；：！？，、]")
#: A clause boundary (``, ; :``) stays in the token stream as this marker: no rule phrase
#: contains it, and negation never reaches across it ("no letterbox, return to sender").
BOUNDARY = "|"
#: The end of a sentence (``. ! ?``): a boundary that also ends a conditional clause's reach
#: ("If it is not collected, it will be returned. It waits in the locker.").
SENTENCE = "||"
BOUNDARIES = frozenset({BOUNDARY, SENTENCE})
_PUNCTUATION = frozenset(";:,；：，、")
_SENTENCE_END = frozenset(".!?。！？")
#: Punctuation token → its boundary marker.
_MARKER = {p: BOUNDARY for p in _PUNCTUATION} | {p: SENTENCE for p in _SENTENCE_END}
#: A full stop followed by a lower-case word ends an abbreviation ("Ret. to sender",
#: "Cust. clrd"), not a sentence: it is dropped before tokenising.
_ABBREVIATION_DOT = re.compile(r"(?<=\w)\.(?=\s+[^\W\d_A-Z])")


def fold(text: str) -> str:
    """Case-, width- and accent-folded text."""
    if text.isascii():  # NFKC, accents and the mapped letters leave ASCII unchanged
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    if not _MARKS.search(decomposed):  # nothing to drop: recomposing gives ``text`` back
        return text.translate(_PLAIN)
    return unicodedata.normalize("NFC", _MARKS.sub("", decomposed)).translate(_PLAIN)


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """The tokens of ``text`` (cached: carriers repeat the same few hundred texts)."""
    if "." in text:
        text = _ABBREVIATION_DOT.sub(" ", text)
    marker = _MARKER
    return tuple([marker[t] if t in marker else t for t in _TOKEN.findall(fold(text))])


def script_of(token: str) -> str:
    """The script of a token: ``latin``, ``cyrillic``, ``greek``, ``arabic``, ``han``,
    ``kana``, ``hangul`` or ``other`` (digits, unknown)."""
    code = ord(token[0])
    if code < 0x250:
        return "other" if token.isdigit() else "latin"
    if 0x370 <= code < 0x400:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x600 <= code < 0x700:
        return "arabic"
    if 0x3040 <= code < 0x3100:
        return "kana"
    if 0xAC00 <= code < 0xD7B0:
        return "hangul"
    if 0x3400 <= code < 0xA000 or 0xF900 <= code < 0xFB00:
        return "han"
    return "other"
