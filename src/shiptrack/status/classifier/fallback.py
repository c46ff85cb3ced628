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

from shiptrack.status.classifier.normalise import BOUNDARY

MODEL_ID: Final = "model.nb"
#: Below this posterior the model abstains (the text stays unmatched).
MIN_POSTERIOR: Final = 0.5
_STEM: Final = 5


def features(words: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for word in words:
        if word == BOUNDARY or word.isdigit():
            continue
        found.append(word)
        if len(word) > _STEM + 1:
            found.append(word[:_STEM] + "~")
    return found


@dataclass(frozen=True, slots=True)
class Guess:
    status_code: str | None
    evidence: str
    posterior: float


class TokenModel:
    """Counts → log-probabilities with add-one smoothing, computed once at load."""

    def __init__(self, classes: list[str], counts: dict[str, dict[str, int]]) -> None:
        self.classes = classes
        totals = [0] * len(classes)
        documents = [0] * len(classes)
        for per_class in counts.values():
            for index, count in per_class.items():
                totals[int(index)] += count
        vocabulary = max(len(counts), 1)
        self._missing = [math.log(1 / (totals[i] + vocabulary)) for i in range(len(classes))]
        self._log: dict[str, list[float]] = {}
        for feature, per_class in counts.items():
            row = list(self._missing)
            for index, count in per_class.items():
                i = int(index)
                row[i] = math.log((count + 1) / (totals[i] + vocabulary))
                documents[i] += count
            self._log[feature] = row
        grand = sum(documents) or 1
        self._prior = [
            math.log((documents[i] + 1) / (grand + len(classes))) for i in range(len(classes))
        ]

    @classmethod
    def load(cls) -> TokenModel:
        data = resources.files("shiptrack.status.classifier") / "data" / "fallback.json"
        raw = json.loads(data.read_text("utf-8"))
        return cls(raw["classes"], raw["counts"])

    def guess(self, words: tuple[str, ...]) -> Guess | None:
        known = [f for f in features(words) if f in self._log]
        if not known:
            return None
        scores = list(self._prior)
        for feature in known:
            row = self._log[feature]
            for i, value in enumerate(row):
                scores[i] += value
        top = max(range(len(scores)), key=scores.__getitem__)
        peak = scores[top]
        posterior = 1 / sum(math.exp(s - peak) for s in scores)
        if posterior < MIN_POSTERIOR:
            return None
        # The feature whose evidence for the winner over the runner-up is largest.
        runner = max((i for i in range(len(scores)) if i != top), key=scores.__getitem__)
        evidence = max(known, key=lambda f: self._log[f][top] - self._log[f][runner])
        label = self.classes[top]
        return Guess(None if label == "-" else label, evidence.rstrip("~"), posterior)
