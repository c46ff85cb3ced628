"""Build ``status/classifier/data/fallback.json`` from the corpus's training part and the rules.

Usage: ``.venv/bin/python scripts/train_status_fallback.py``. Deterministic: the same corpus
and rules give the same file. The examples are

* the training rows of the corpus (held-out rows, see ``tests/status/corpus_data.py``, are
  skipped, so the held-out accuracy stays a measurement), and
* every phrase of the rule files, labelled with its rule's statusCode: the lexicons are
  labelled data too, and through the model's character n-grams they reach inflected forms
  and compounds the exact phrases miss ("Zustellungen", "pakketautomaten").

Run it again after changing the corpus or a rule file (a test checks the model is current).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Collection, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "status"))

from corpus_data import load  # noqa: E402

from shiptrack.status.classifier.fallback import ALPHA, TokenModel, features  # noqa: E402
from shiptrack.status.classifier.normalise import tokens  # noqa: E402
from shiptrack.status.classifier.rules import GAP, Phrase, RuleSet, load_rules  # noqa: E402
from shiptrack.status.taxonomy import STATUS_CODES  # noqa: E402

OUTPUT = ROOT / "src" / "shiptrack" / "status" / "classifier" / "data" / "fallback.json"
CLASSES = ["-", *sorted(STATUS_CODES)]


def count_features(
    examples: Iterable[tuple[str, str | None]], ignored: Collection[str]
) -> tuple[dict[str, dict[str, int]], list[int]]:
    """(text, statusCode) pairs → (feature → class index as text → texts with it, texts per
    class). A feature counts once per text; ``ignored`` words (function words) add none."""
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


def train(examples: Iterable[tuple[str, str | None]], ignored: Collection[str]) -> TokenModel:
    """A model trained on ``examples`` (what the estimate in bench/estimate.py folds over)."""
    return TokenModel(CLASSES, *count_features(examples, ignored), ALPHA, ignored)


def main() -> None:
    rows = [row for row in load() if not row.held_out]
    rule_set = load_rules()
    lexicon = lexicon_examples(phrases(rule_set))
    ignored = sorted(rule_set.function_words)
    examples = [(row.text, row.status_code) for row in rows] + lexicon
    counts, documents = count_features(examples, ignored)
    payload = {
        "trainedOn": f"{len(rows)} training rows of tests/status/corpus and {len(lexicon)} "
        "rule phrases",
        "alpha": ALPHA,
        "classes": CLASSES,
        "ignored": ignored,
        "documents": documents,
        "counts": counts,
    }
    OUTPUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(counts)} features from {len(rows)} rows "
        f"and {len(lexicon)} phrases"
    )


if __name__ == "__main__":
    main()
