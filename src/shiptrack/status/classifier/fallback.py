"""A small model for texts no rule explains (multinomial naive Bayes, shipped as data).

``data/fallback.json`` holds the function words it ignores (the rules' ``@words``) and, per
feature, in how many examples of each statusCode (``-`` for
informational) it occurs. The examples are the *training* part of the labelled corpus and
every phrase of the rule files (``scripts/train_status_fallback.py`` builds it; the held-out
part never reaches it). A text's features are its words, its adjacent word pairs and the
character 4-grams of each word, so inflected forms and compounds share evidence with the
phrases and texts the model learnt from ("Zustellungen" with "Zustellung", "pakketautomaten"
with "pakketautomaat").

The answer explains itself: the rule id is ``model.nb:<feature>``, naming the feature of the
text that speaks most for the chosen statusCode. It only runs when no rule matched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass
from importlib import resources
from typing import Final

from shiptrack.status.classifier.normalise import BOUNDARIES

MODEL_ID: Final = "model.nb"
#: Below this posterior the model abstains (the text stays unmatched). 0.5 to 0.9 score the
#: same on bench/estimate.py; 0.8 leaves meaningless texts ("Zorgle blep") unmatched.
MIN_POSTERIOR: Final = 0.8
#: Additive smoothing of the feature counts (chosen with bench/estimate.py).
ALPHA: Final = 0.1
#: Character n-gram size, inside each word padded with ``<`` and ``>`` (4 alone generalises
#: as well as 3 to 5 together on the estimate of bench/estimate.py, at a third of the
#: features).
NGRAM: Final = 4
#: Distinct words whose known features are memoised before a reset.
_WORD_MEMO: Final = 50_000


def word_features(word: str) -> list[str]:
    """One word's own features: the word and its character 4-grams."""
    found = [word]
    if len(word) > 1:
        padded = f"<{word}>"
        found.extend(padded[i : i + NGRAM] for i in range(len(padded) - NGRAM + 1))
    return found


def pair_features(words: tuple[str, ...]) -> list[str]:
    """Adjacent word pairs within a clause, as ``a_b``."""
    found = []
    previous = ""
    for word in words:
        if word in BOUNDARIES or word.isdigit():
            previous = ""
            continue
        if previous:
            found.append(f"{previous}_{word}")
        previous = word
    return found


def features(words: tuple[str, ...], ignored: Collection[str] = ()) -> set[str]:
    """A text's features (what training counts, once per text); the ``ignored`` words
    (function words) add no word or n-gram of their own."""
    found = set(pair_features(words))
    for word in words:
        if word not in BOUNDARIES and not word.isdigit() and word not in ignored:
            found.update(word_features(word))
    return found


@dataclass(frozen=True, slots=True)
class Guess:
    status_code: str | None
    evidence: str
    posterior: float


#: What a word (or a pair) contributes: known features, gain per class, strongest feature
#: per class.
_Evidence = tuple[float, dict[int, float], dict[int, tuple[float, str]]]


class TokenModel:
    """Counts → log-probabilities, computed once at load and kept sparse: per feature only
    the classes it was seen with (what it adds over an unseen feature's smoothed share)."""

    def __init__(
        self,
        classes: list[str],
        counts: dict[str, dict[str, int]],
        documents: list[int],
        alpha: float = ALPHA,
        ignored: Collection[str] = (),
    ) -> None:
        self.classes = classes
        #: Function words (the rules' ``@words``): no evidence of their own.
        self.ignored = frozenset(ignored) | BOUNDARIES
        totals = [0] * len(classes)
        for per_class in counts.values():
            for index, count in per_class.items():
                totals[int(index)] += count
        smoothing = alpha * max(len(counts), 1)
        #: log P(feature | class) of a feature never seen with the class.
        self._missing = [math.log(alpha / (totals[i] + smoothing)) for i in range(len(classes))]
        #: feature → ((class, log((count + alpha) / alpha)), ...): the gain over _missing.
        self._gain: dict[str, tuple[tuple[int, float], ...]] = {
            feature: tuple(
                (int(index), math.log((count + alpha) / alpha))
                for index, count in per_class.items()
            )
            for feature, per_class in counts.items()
        }
        grand = sum(documents) or 1
        self._prior = [
            math.log((documents[i] + 1) / (grand + len(classes))) for i in range(len(classes))
        ]
        self._memo: dict[str, _Evidence] = {}

    @classmethod
    def load(cls) -> TokenModel:
        data = resources.files("shiptrack.status.classifier") / "data" / "fallback.json"
        raw = json.loads(data.read_text("utf-8"))
        return cls(raw["classes"], raw["counts"], raw["documents"], raw["alpha"], raw["ignored"])

    def _evidence(self, found: list[str]) -> _Evidence:
        known = 0.0
        gains: dict[int, float] = {}
        strongest: dict[int, tuple[float, str]] = {}
        for feature in found:
            entry = self._gain.get(feature)
            if entry is None:
                continue
            known += 1
            for i, value in entry:
                gains[i] = gains.get(i, 0.0) + value
                if (value, feature) > strongest.get(i, (0.0, "")):
                    strongest[i] = (value, feature)
        return known, gains, strongest

    def _word(self, word: str) -> _Evidence:
        evidence = self._memo.get(word)
        if evidence is None:
            known, gains, strongest = self._evidence(word_features(word))
            if known > 1:
                # A word's own features (the word and its n-grams) are strongly correlated:
                # they count as √k votes, not k, so one word shared with a phrase ("nouvel"
                # with "nouvelle tentative") is no longer a confident answer on its own.
                weight = known**-0.5
                known, gains = known * weight, {i: v * weight for i, v in gains.items()}
            evidence = (known, gains, strongest)
            if len(self._memo) >= _WORD_MEMO:
                self._memo.clear()
            self._memo[word] = evidence
        return evidence

    def guess(self, words: tuple[str, ...]) -> Guess | None:
        """The most likely statusCode of a text no rule explains, or None below
        ``MIN_POSTERIOR`` (each distinct word counts once)."""
        ignored = self.ignored
        parts = [self._word(w) for w in set(words) if w not in ignored and not w.isdigit()]
        parts.append(self._evidence(pair_features(words)))
        known = sum(part[0] for part in parts)
        if not known:
            return None
        scores = [p + known * m for p, m in zip(self._prior, self._missing, strict=True)]
        for _, gains, _ in parts:
            for i, value in gains.items():
                scores[i] += value
        top = max(range(len(scores)), key=scores.__getitem__)
        peak = scores[top]
        posterior = 1 / sum(math.exp(s - peak) for s in scores)
        if posterior < MIN_POSTERIOR:
            return None
        evidence = max(part[2].get(top, (0.0, "")) for part in parts)[1]
        label = self.classes[top]
        return Guess(None if label == "-" else label, evidence, posterior)
