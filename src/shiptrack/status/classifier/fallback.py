"""A small model for texts no rule explains (multinomial logistic regression, shipped as data).

``data/fallback.json`` holds the function words it ignores (the rules' ``@words``), a bias per
statusCode (``-`` for informational) and, per feature, its weight for each statusCode it
speaks for or against (weights near zero pruned). The examples it is trained on are the
*training* part of the labelled corpus and every phrase of the rule files
(``scripts/train_status_fallback.py`` builds it; the held-out part never reaches it). A text's
features are its words, its adjacent word pairs and the character 4-grams of each word, so
inflected forms and compounds share evidence with the phrases and texts the model learnt from
("Zustellungen" with "Zustellung", "pakketautomaten" with "pakketautomaat").

The answer explains itself: the rule id is ``model.lr:<feature>``, naming the feature of the
text whose weight speaks most for the chosen statusCode. It only runs when no rule matched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Final

from shiptrack.status.classifier.normalise import BOUNDARIES

MODEL_ID: Final = "model.lr"
#: Below this posterior the model abstains (the text stays unmatched). On bench/estimate.py
#: 0.4 scores best (0.3: −0.004, 0.5: −0.005 statusCode); meaningless texts ("Zorgle blep",
#: "Nouvel événement") stay near 0.2.
MIN_POSTERIOR: Final = 0.4
#: Character n-gram size, inside each word padded with ``<`` and ``>``.
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
    """A text's features (each counts once); the ``ignored`` words (function words) add no
    word or n-gram of their own."""
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


#: What a word (or a text's pairs) contributes: how many known features, the summed weight per
#: class, the strongest (weight, feature) per class.
_Evidence = tuple[int, dict[int, float], dict[int, tuple[float, str]]]


class TokenModel:
    """Weights per feature, kept sparse: only the classes a feature's weight is not ~0 for."""

    def __init__(
        self,
        classes: list[str],
        bias: list[float],
        weights: Mapping[str, Mapping[str, float]],
        ignored: Collection[str] = (),
    ) -> None:
        self.classes = classes
        self.bias = list(bias)
        #: Function words (the rules' ``@words``): no evidence of their own.
        self.ignored = frozenset(ignored) | BOUNDARIES
        #: feature → (class, weight, class, weight, ...): flat, a third of the memory of pairs.
        self._weights: dict[str, tuple[int | float, ...]] = {
            feature: tuple(x for index, weight in per_class.items() for x in (int(index), weight))
            for feature, per_class in weights.items()
        }
        self._memo: dict[str, _Evidence] = {}

    @classmethod
    def load(cls) -> TokenModel:
        data = resources.files("shiptrack.status.classifier") / "data" / "fallback.json"
        raw = json.loads(data.read_text("utf-8"))
        return cls(raw["classes"], raw["bias"], raw["weights"], raw["ignored"])

    def _evidence(self, found: list[str]) -> _Evidence:
        known = 0
        sums: dict[int, float] = {}
        strongest: dict[int, tuple[float, str]] = {}
        for feature in found:
            entry = self._weights.get(feature)
            if entry is None:
                continue
            known += 1
            pairs = iter(entry)
            for i, value in zip(pairs, pairs, strict=True):
                sums[i] = sums.get(i, 0.0) + value
                if (value, feature) > strongest.get(i, (0.0, "")):
                    strongest[i] = (value, feature)
        return known, sums, strongest

    def _word(self, word: str) -> _Evidence:
        evidence = self._memo.get(word)
        if evidence is None:
            evidence = self._evidence(word_features(word))
            if len(self._memo) >= _WORD_MEMO:
                self._memo.clear()
            self._memo[word] = evidence
        return evidence

    def scores(self, words: tuple[str, ...]) -> tuple[list[float], list[_Evidence]] | None:
        """Per class, the bias plus the weights of the text's features (each distinct word
        once), and what each word and the pairs contributed; None without a known feature."""
        ignored = self.ignored
        parts = [self._word(w) for w in set(words) if w not in ignored and not w.isdigit()]
        parts.append(self._evidence(pair_features(words)))
        if not any(part[0] for part in parts):
            return None
        scores = self.bias[:]
        for _, sums, _ in parts:
            for i, value in sums.items():
                scores[i] += value
        return scores, parts

    def guess(self, words: tuple[str, ...]) -> Guess | None:
        """The most likely statusCode of a text no rule explains, or None below
        ``MIN_POSTERIOR`` or without a feature the model knows."""
        found = self.scores(words)
        if found is None:
            return None
        scores, parts = found
        top = max(range(len(scores)), key=scores.__getitem__)
        peak = scores[top]
        posterior = 1 / sum(math.exp(s - peak) for s in scores)
        if posterior < MIN_POSTERIOR:
            return None
        evidence = max(part[2].get(top, (0.0, "")) for part in parts)[1]
        if not evidence:  # only the bias and features against the others chose it
            return None
        label = self.classes[top]
        return Guess(None if label == "-" else label, evidence, posterior)
