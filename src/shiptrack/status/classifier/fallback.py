"""A small model for texts no rule explains (two linear models mixed, shipped as data).

``data/fallback.json`` holds the function words it ignores (the rules' ``@words``) and two
models over the same features, trained on the same examples:

* a multinomial logistic regression: a bias per statusCode (``-`` for informational) and, per
  feature, its weights for the statusCodes it speaks for or against (weights near zero
  pruned); its features include the rules' word classes (``WordClasses``, also in the file);
* a multinomial naive Bayes: per feature, in how many examples of each statusCode it occurs.

Their posteriors are mixed (``BAYES_SHARE`` of the naive Bayes): on the estimate the mixture
beats either alone and does not depend on the regression's shuffle. The examples are the
*training* part of the labelled corpus and every phrase of the rule files
(``scripts/train_status_fallback.py`` builds the file; the held-out part never reaches it). A
text's features are its words, its adjacent word pairs and the character 4-grams of each word,
so inflected forms and compounds share evidence with the phrases and texts the model learnt
from ("Zustellungen" with "Zustellung", "pakketautomaten" with "pakketautomaat").

The answer explains itself: the rule id is ``model.mix:<feature>``, naming the feature of the
text whose regression weight speaks most for the chosen statusCode. It only runs when no rule
matched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Final

from shiptrack.status.classifier.normalise import BOUNDARIES

MODEL_ID: Final = "model.mix"
#: Below this mixed posterior the model abstains (the text stays unmatched). On
#: bench/estimate.py 0.3 scores best (0.823 / 0.878; 0.35: 0.821 / 0.876, 0.4: 0.819 /
#: 0.876); meaningless texts ("Zorgle blep", "Nouvel événement", "Nieuwe gebeurtenis") get
#: 0.19–0.25 and stay unmatched.
MIN_POSTERIOR: Final = 0.3
#: The naive Bayes's share of the mixed posterior (0.2 to 0.4 and a geometric mean of half
#: each score the same on the estimate; half each a little lower).
BAYES_SHARE: Final = 0.3
#: Additive smoothing of the naive Bayes's feature counts (chosen with bench/estimate.py).
ALPHA: Final = 0.1
#: Character n-gram size, inside each word padded with ``<`` and ``>``.
NGRAM: Final = 4
#: Distinct words whose known features are memoised (per model) before a reset.
_WORD_MEMO: Final = 50_000
#: Distinct texts (their words, pairs and word classes) whose guess is memoised before a reset.
_GUESS_MEMO: Final = 20_000


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


class WordClasses:
    """The rules' word classes as features of the regression: a text holding a negation word
    of any language has ``@negation``, a pickup place ``@pickup`` (``@future``, ``@sender``,
    ``@conditional`` and every qualifier class alike). They carry what the rules know about
    such words to texts no rule matched ("Ikke klar": a negation)."""

    def __init__(self, classes: Mapping[str, Collection[str]]) -> None:
        self._exact: dict[str, set[str]] = {}
        stems: list[tuple[str, str]] = []
        for name, words in classes.items():
            for word in words:
                if word.endswith("*"):
                    stems.append((word[:-1], f"@{name}"))
                else:
                    self._exact.setdefault(word, set()).add(f"@{name}")
        self._stems = tuple(sorted(stems))
        self._prefixes = tuple(stem for stem, _ in self._stems)
        self._memo: dict[str, frozenset[str]] = {}

    def of_word(self, word: str) -> frozenset[str]:
        """The classes ``word`` belongs to (memoised)."""
        found = self._memo.get(word)
        if found is None:
            tags = set(self._exact.get(word, ()))
            if word.startswith(self._prefixes):
                tags.update(tag for stem, tag in self._stems if word.startswith(stem))
            found = frozenset(tags)
            if len(self._memo) >= _WORD_MEMO:
                self._memo.clear()
            self._memo[word] = found
        return found

    def of_text(self, words: Collection[str]) -> tuple[str, ...]:
        """The classes of a text's words, each once, in a fixed order (numbers, each parcel's
        own, belong to none and are not memoised)."""
        found: set[str] = set()
        for word in words:
            if not word.isdigit():
                found |= self.of_word(word)
        return tuple(sorted(found))


@dataclass(frozen=True, slots=True)
class Guess:
    status_code: str | None
    evidence: str
    posterior: float


#: What a word (or a text's pairs) contributes: how many known features (damped for the naive
#: Bayes), the summed value per class, the strongest (value, feature) per class.
_Evidence = tuple[float, dict[int, float], dict[int, tuple[float, str]]]


class _Sparse:
    """Per feature, a value for some classes, stored flat (class, value, class, value, ...):
    a third of the memory of pairs. Each word's features are summed once and memoised."""

    def __init__(self, table: dict[str, tuple[int | float, ...]]) -> None:
        self._table = table
        self._memo: dict[str, _Evidence] = {}

    def _evidence(self, found: list[str]) -> _Evidence:
        known = 0.0
        sums: dict[int, float] = {}
        strongest: dict[int, tuple[float, str]] = {}
        for feature in found:
            entry = self._table.get(feature)
            if entry is None:
                continue
            known += 1
            pairs = iter(entry)
            for i, value in zip(pairs, pairs, strict=True):
                sums[i] = sums.get(i, 0.0) + value
                if (value, feature) > strongest.get(i, (0.0, "")):
                    strongest[i] = (value, feature)
        return known, sums, strongest

    def _word_evidence(self, word: str) -> _Evidence:
        return self._evidence(word_features(word))

    def parts(self, words: Collection[str], pairs: Collection[str]) -> list[_Evidence]:
        """The evidence of each word (memoised) and of the text's pairs."""
        memo = self._memo
        found = []
        for word in words:
            evidence = memo.get(word)
            if evidence is None:
                evidence = self._word_evidence(word)
                if len(memo) >= _WORD_MEMO:
                    memo.clear()
                memo[word] = evidence
            found.append(evidence)
        found.append(self._evidence(list(pairs)))
        return found


def _softmax(scores: list[float]) -> list[float]:
    peak = max(scores)
    exps = [math.exp(s - peak) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


class Regression(_Sparse):
    """Multinomial logistic regression: a bias per class plus the weights of the text's
    features, only those not ~0 kept."""

    def __init__(self, bias: list[float], weights: Mapping[str, Mapping[str, float]]) -> None:
        super().__init__(
            {
                feature: tuple(x for index, w in per_class.items() for x in (int(index), w))
                for feature, per_class in weights.items()
            }
        )
        self.bias = list(bias)

    def posteriors(self, parts: list[_Evidence]) -> list[float] | None:
        """Per class, or None when no feature of the text is known."""
        if not any(part[0] for part in parts):
            return None
        scores = self.bias[:]
        for _, sums, _ in parts:
            for i, value in sums.items():
                scores[i] += value
        return _softmax(scores)


class NaiveBayes(_Sparse):
    """Counts → log-probabilities, computed once at load and kept sparse: per feature only
    the classes it was seen with (what it adds over an unseen feature's smoothed share)."""

    def __init__(
        self, counts: Mapping[str, Mapping[str, int]], documents: list[int], alpha: float = ALPHA
    ) -> None:
        super().__init__(
            {
                feature: tuple(
                    x
                    for index, count in per_class.items()
                    for x in (int(index), math.log((count + alpha) / alpha))
                )
                for feature, per_class in counts.items()
            }
        )
        size = len(documents)
        totals = [0] * size
        for per_class in counts.values():
            for index, count in per_class.items():
                totals[int(index)] += count
        smoothing = alpha * max(len(counts), 1)
        #: log P(feature | class) of a feature never seen with the class.
        self._missing = [math.log(alpha / (totals[i] + smoothing)) for i in range(size)]
        grand = sum(documents) or 1
        self._prior = [math.log((documents[i] + 1) / (grand + size)) for i in range(size)]

    def _word_evidence(self, word: str) -> _Evidence:
        known, gains, strongest = self._evidence(word_features(word))
        if known > 1:
            # A word's own features (the word and its n-grams) are strongly correlated: they
            # count as √k votes, not k, so one word shared with a phrase ("nouvel" with
            # "nouvelle tentative") is no confident answer on its own.
            weight = known**-0.5
            known, gains = known * weight, {i: v * weight for i, v in gains.items()}
        return known, gains, strongest

    def posteriors(self, parts: list[_Evidence]) -> list[float] | None:
        """Per class, or None when no feature of the text is known."""
        known = sum(part[0] for part in parts)
        if not known:
            return None
        scores = [p + known * m for p, m in zip(self._prior, self._missing, strict=True)]
        for _, gains, _ in parts:
            for i, value in gains.items():
                scores[i] += value
        return _softmax(scores)


class TokenModel:
    """The regression and the naive Bayes over one text's features, their posteriors mixed."""

    def __init__(
        self,
        classes: list[str],
        regression: Regression,
        bayes: NaiveBayes,
        ignored: Collection[str] = (),
        word_classes: WordClasses | None = None,
    ) -> None:
        self.classes = classes
        self.regression = regression
        self.bayes = bayes
        self.word_classes = word_classes or WordClasses({})
        #: Function words (the rules' ``@words``): no evidence of their own.
        self.ignored = frozenset(ignored) | BOUNDARIES
        #: (words, pairs, word classes) → guess: carriers repeat their texts with a new
        #: number or place, which the model does not read (numbers) or has read before.
        self._guesses: dict[
            tuple[frozenset[str], tuple[str, ...], tuple[str, ...]], Guess | None
        ] = {}

    @classmethod
    def load(cls) -> TokenModel:
        data = resources.files("shiptrack.status.classifier") / "data" / "fallback.json"
        raw = json.loads(data.read_text("utf-8"))
        return cls(
            raw["classes"],
            Regression(raw["bias"], raw["weights"]),
            NaiveBayes(raw["counts"], raw["documents"], raw["alpha"]),
            raw["ignored"],
            WordClasses(raw["wordClasses"]),
        )

    def guess(self, words: tuple[str, ...]) -> Guess | None:
        """The most likely statusCode of a text no rule explains, or None below
        ``MIN_POSTERIOR`` or without a feature either model knows (each distinct word counts
        once)."""
        ignored = self.ignored
        kept = frozenset(w for w in words if w not in ignored and not w.isdigit())
        pairs = tuple(pair_features(words))
        tags = self.word_classes.of_text(words)
        key = (kept, pairs, tags)
        if key in self._guesses:
            return self._guesses[key]
        guess = self._guess(kept, pairs, tags)
        if len(self._guesses) >= _GUESS_MEMO:
            self._guesses.clear()
        self._guesses[key] = guess
        return guess

    def _guess(
        self, kept: frozenset[str], pairs: tuple[str, ...], tags: tuple[str, ...]
    ) -> Guess | None:
        evidence = self.regression.parts(kept, pairs + tags)
        counted = self.bayes.parts(kept, pairs)
        linear = self.regression.posteriors(evidence)
        bayes = self.bayes.posteriors(counted)
        if linear is None or bayes is None:
            mixed = linear or bayes
            if mixed is None:
                return None
        else:
            mixed = [
                (1 - BAYES_SHARE) * a + BAYES_SHARE * b for a, b in zip(linear, bayes, strict=True)
            ]
        top = max(range(len(mixed)), key=mixed.__getitem__)
        if mixed[top] < MIN_POSTERIOR:
            return None
        # The regression's strongest weight for the answer, else (no weight of the text
        # speaks for it) the naive Bayes's strongest count.
        reason = (
            max(part[2].get(top, (0.0, "")) for part in evidence)[1]
            or max(part[2].get(top, (0.0, "")) for part in counted)[1]
        )
        if not reason:  # only the bias chose it
            return None
        label = self.classes[top]
        return Guess(None if label == "-" else label, reason, mixed[top])
