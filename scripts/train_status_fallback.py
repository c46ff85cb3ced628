"""Build ``status/classifier/data/fallback.json`` from the corpus's training part and the rules.

Usage: ``.venv/bin/python scripts/train_status_fallback.py``. Deterministic: the same corpus
and rules give the same file (each pass orders the examples by a hash, features are sorted).
The examples are

* the training rows of the corpus (held-out rows, see ``tests/status/corpus_data.py``, are
  skipped, so the held-out accuracy stays a measurement), and
* every phrase of the rule files, labelled with its rule's statusCode: the lexicons are
  labelled data too, and through the model's character n-grams they reach inflected forms
  and compounds the exact phrases miss ("Zustellungen", "pakketautomaten").

Two models over the features of ``shiptrack.status.classifier.fallback`` are trained on them:
a multinomial logistic regression, fitted by stochastic gradient descent (a few passes, a
decaying step, an L2 penalty once per pass; weights whose size stays under ``PRUNE`` are
dropped, the rest rounded, so the file stays small), and a multinomial naive Bayes (feature
counts per class). Run it again after changing the corpus or a rule file (a test checks the
model is current).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "status"))

from corpus_data import load  # noqa: E402

from shiptrack.status.classifier.fallback import (  # noqa: E402
    ALPHA,
    NaiveBayes,
    Regression,
    TokenModel,
    WordClasses,
    features,
)
from shiptrack.status.classifier.normalise import tokens  # noqa: E402
from shiptrack.status.classifier.rules import GAP, Phrase, RuleSet, load_rules  # noqa: E402
from shiptrack.status.taxonomy import STATUS_CODES  # noqa: E402

OUTPUT = ROOT / "src" / "shiptrack" / "status" / "classifier" / "data" / "fallback.json"
CLASSES = ["-", *sorted(STATUS_CODES)]
#: Passes over the examples, the first step size (divided by the pass number), the L2
#: penalty per example and pass, the bias's share of a step (chosen on bench/estimate.py).
PASSES = 5
RATE = 0.2
L2 = 1e-4
BIAS_RATE = 0.1
#: Weights smaller than this are dropped; the rest are rounded to ``DIGITS`` decimals.
PRUNE = 0.05
DIGITS = 4
SEED = 13

Weights = dict[str, dict[str, float]]


def phrases(rule_set: RuleSet) -> list[Phrase]:
    """Every phrase of ``rule_set``, in a fixed order."""
    found: dict[int, Phrase] = {}
    for index in (rule_set.exact, rule_set.pairs, *rule_set.prefix.values()):
        for candidates in index.values():
            for phrase in candidates:
                found.setdefault(id(phrase), phrase)
    return sorted(found.values(), key=lambda p: (p.rule.rule_id, p.elements))


def lexicon_examples(chosen: Iterable[Phrase]) -> list[tuple[str, str | None]]:
    """Phrases as (text, statusCode) examples: their words and prefixes, gaps left out."""
    return [
        (" ".join(value for kind, value in phrase.elements if kind != GAP), phrase.rule.status_code)
        for phrase in chosen
    ]


def count_features(
    examples: Iterable[tuple[str, str | None]], ignored: Collection[str]
) -> tuple[dict[str, dict[str, int]], list[int]]:
    """(text, statusCode) pairs → (feature → class index as text → texts with it, texts per
    class): the naive Bayes. A feature counts once per text; ``ignored`` words add none."""
    index = {name: i for i, name in enumerate(CLASSES)}
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    documents = [0] * len(CLASSES)
    for text, status_code in examples:
        label = index[status_code or "-"]
        documents[label] += 1
        for feature in features(tokens(text), ignored):
            counts[feature][label] += 1
    table = {f: {str(k): v for k, v in sorted(c.items())} for f, c in sorted(counts.items())}
    return table, documents


def word_classes(rule_set: RuleSet) -> dict[str, list[str]]:
    """The rules' word classes, every language's words together: the qualifier classes
    (``@pickup:``, ``@hold:``…) and ``@negation:``, ``@future:``, ``@sender:``,
    ``@conditional:``."""
    found: dict[str, set[str]] = defaultdict(set)
    for classes in rule_set.qualifiers.values():
        for name, words in classes.items():
            found[name].update(words)
    for name in ("negation", "future", "sender", "conditional"):
        for words in getattr(rule_set, name).values():
            found[name].update(words)
    return {name: sorted(words) for name, words in sorted(found.items())}


def _place(key: bytes, done: int) -> bytes:
    """Where an example comes in pass ``done``: a hash of the example and the pass, so the
    order is shuffled but each example keeps its place when others join or leave (a random
    shuffle of the list would reorder every example after a new rule phrase, and the
    retrained model's answers would move on rows the change has nothing to do with)."""
    return hashlib.blake2b(key, digest_size=8, salt=f"{SEED}:{done}".encode()).digest()


def fit(
    examples: Iterable[tuple[str, str | None]],
    ignored: Collection[str],
    classes: WordClasses | None = None,
) -> tuple[list[float], Weights]:
    """(text, statusCode) pairs → (bias per class, feature → class index as text → weight):
    the regression, pruned and rounded. ``ignored`` words (function words) give no
    features of their own; ``classes`` add the word classes of a text's words."""
    index = {name: i for i, name in enumerate(CLASSES)}
    size = len(CLASSES)
    data = []
    keys = []
    for text, status_code in examples:
        words = tokens(text)
        found = sorted(features(words, ignored).union(classes.of_text(words) if classes else ()))
        if found:
            data.append((found, index[status_code or "-"]))
            keys.append(f"{text}\t{status_code or '-'}".encode())
    weights: dict[str, list[float]] = {}
    bias = [0.0] * size
    for done in range(PASSES):
        order = sorted(range(len(data)), key=lambda n: (_place(keys[n], done), n))
        rate = RATE / (1 + done)
        for n in order:
            found, label = data[n]
            vectors = [weights.setdefault(f, [0.0] * size) for f in found]
            scores = bias[:]
            for vector in vectors:
                scores = [s + w for s, w in zip(scores, vector, strict=True)]
            peak = max(scores)
            exps = [math.exp(s - peak) for s in scores]
            total = sum(exps)
            step = [rate * e / total for e in exps]
            step[label] -= rate
            for vector in vectors:
                for i in range(size):
                    vector[i] -= step[i]
            for i in range(size):
                bias[i] -= step[i] * BIAS_RATE
        decay = 1 - rate * L2 * len(data)
        for vector in weights.values():
            for i in range(size):
                vector[i] *= decay
    kept = {}
    for feature in sorted(weights):
        vector = weights[feature]
        # A text's posterior is the same when a feature's weights all move by one amount:
        # moved by their median, most are ~0 and need not be kept.
        middle = sorted(vector)[size // 2]
        per_class = {
            str(i): round(w - middle, DIGITS)
            for i, w in enumerate(vector)
            if abs(w - middle) >= PRUNE
        }
        if per_class:
            kept[feature] = per_class
    return [round(b, DIGITS) for b in bias], kept


def train(
    examples: Iterable[tuple[str, str | None]],
    ignored: Collection[str],
    classes: Mapping[str, Collection[str]] | None = None,
) -> TokenModel:
    """A model trained on ``examples`` (what the estimate in bench/estimate.py folds over);
    ``classes``: the word classes (``word_classes``; the shipped rules' when None)."""
    examples = list(examples)
    tags = WordClasses(word_classes(load_rules()) if classes is None else classes)
    regression = Regression(*fit(examples, ignored, tags))
    bayes = NaiveBayes(*count_features(examples, ignored), ALPHA)
    return TokenModel(CLASSES, regression, bayes, ignored, tags)


def main() -> None:
    rows = [row for row in load() if not row.held_out]
    rule_set = load_rules()
    lexicon = lexicon_examples(phrases(rule_set))
    ignored = sorted(rule_set.function_words)
    examples = [(row.text, row.status_code) for row in rows] + lexicon
    classes = word_classes(rule_set)
    bias, weights = fit(examples, ignored, WordClasses(classes))
    counts, documents = count_features(examples, ignored)
    payload = {
        "trainedOn": f"{len(rows)} training rows of tests/status/corpus and {len(lexicon)} "
        "rule phrases",
        "classes": CLASSES,
        "ignored": ignored,
        "wordClasses": classes,
        "bias": bias,
        "weights": weights,
        "alpha": ALPHA,
        "documents": documents,
        "counts": counts,
    }
    OUTPUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(weights)} features from {len(rows)} rows "
        f"and {len(lexicon)} phrases"
    )


if __name__ == "__main__":
    main()
