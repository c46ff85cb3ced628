"""A small token model for texts no rule explains (multinomial naive Bayes, shipped as data).

``data/fallback.json`` holds, per token feature, how often it occurred in texts of each
statusCode (``-`` for informational) in the *training* part of the labelled corpus
(``scripts/train_status_fallback.py`` builds it; the held-out part never reaches it). A
feature is a token, plus its first five characters for longer words, so "zugestellt" also
counts as "zuges" and inflected forms share evidence.

The answer explains itself: the rule id is ``model.nb:<token>``, naming the feature that
pulled hardest toward the chosen statusCode. It only runs when no rule matched.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Final

from shiptrack.status.classifier.normalise import BOUNDARIES

MODEL_ID: Final = "model.nb"
#: Below this posterior the model abstains (the text stays unmatched).
MIN_POSTERIOR: Final = 0.5
#: Additive smoothing of the feature counts (chosen by the estimate in bench/estimate.py).
ALPHA: Final = 0.1
#: Character n-gram sizes, taken inside each word padded with ``<`` and ``>``.
_NGRAMS: Final = (3, 4, 5)


def features(words: tuple[str, ...]) -> set[str]:
    """A text's features: its words, its adjacent word pairs (``a_b``, within a clause) and
    the character 3- to 5-grams of each word padded as ``<word>``, so inflected forms and
    compounds share evidence ("zugestellt", "zustellung"; "pakketautomaat")."""
    found: set[str] = set()
    previous = ""
    for word in words:
        if word in BOUNDARIES or word.isdigit():
            previous = ""
            continue
        found.add(word)
        if previous:
            found.add(f"{previous}_{word}")
        previous = word
        if len(word) > 1:
            padded = f"<{word}>"
            for size in _NGRAMS:
                for i in range(len(padded) - size + 1):
                    found.add(padded[i : i + size])
    return found


@dataclass(frozen=True, slots=True)
class Guess:
    status_code: str | None
    evidence: str
    posterior: float


class TokenModel:
    """Counts → log-probabilities, computed once at load and kept sparse: per feature only
    the classes it was seen with (what it adds over an unseen feature's smoothed share)."""

    def __init__(
        self,
        classes: list[str],
        counts: dict[str, dict[str, int]],
        documents: list[int],
        alpha: float = ALPHA,
    ) -> None:
        self.classes = classes
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

    @classmethod
    def load(cls) -> TokenModel:
        data = resources.files("shiptrack.status.classifier") / "data" / "fallback.json"
        raw = json.loads(data.read_text("utf-8"))
        return cls(raw["classes"], raw["counts"], raw["documents"], raw["alpha"])

    def guess(self, words: tuple[str, ...]) -> Guess | None:
        gain = self._gain
        known = [f for f in sorted(features(words)) if f in gain]
        if not known:
            return None
        scores = [p + len(known) * m for p, m in zip(self._prior, self._missing, strict=True)]
        for feature in known:
            for i, value in gain[feature]:
                scores[i] += value
        top = max(range(len(scores)), key=scores.__getitem__)
        peak = scores[top]
        posterior = 1 / sum(math.exp(s - peak) for s in scores)
        if posterior < MIN_POSTERIOR:
            return None
        # The feature whose evidence for the winner over the runner-up is largest.
        runner = max((i for i in range(len(scores)) if i != top), key=scores.__getitem__)

        def lift(feature: str) -> float:
            per_class = dict(gain[feature])
            return per_class.get(top, 0.0) - per_class.get(runner, 0.0)

        evidence = max(known, key=lift)
        label = self.classes[top]
        return Guess(None if label == "-" else label, evidence, posterior)
