"""Estimate held-out accuracy from the training part alone (leave one out, 5 folds).

Usage::

    .venv/bin/python bench/estimate.py [--languages | --mistakes | --calibration] [--text-only]

Rule writers may look at training rows as often as they like, but the held-out part is read
only in aggregate, a few times. This estimate lets them measure how well the rules
*generalise* without reading it: each training row is classified as if it had never been
seen, i.e.

* every phrase that matches this training row and no other one is switched off (a phrase
  written for one row only is what a held-out row would not have had), and
* the token model is retrained without the fold of 1/5 of the training rows this row is in,
  and without the phrases that match a single training row (the model learns from the rule
  phrases too).

Each row is classified with its courier (``corpus_data.hints``: the courier code its source
names and that courier's country), as a connector would; the phrases one row matches are
found with that courier too, so a courier's own rule written for one row is switched off
like any other.
Without ``--mistakes`` or ``--calibration`` it prints the estimate of each part of the
training rows (``corpus_data``: visible and development), with and without the courier
(``--languages``: per language too); ``--text-only`` makes those two flags read the text
alone.

The development rows are scored in aggregate only. Keep a change when it raises the visible
estimate *and* does not lower the development one: a rule chosen because it fixes visible
mistakes can raise their estimate without telling anything about new texts (two rows that
share a phrase written for them), and the development part, whose mistakes nobody reads,
says whether it does.

``--calibration`` prints how often each kind of answer is right on the visible rows (what the
classifier's confidences are set from), and for the development rows only how many of them
each way of deciding (a rule, the model, nothing) answers and gets wrong, in aggregate: where
the mistakes on unseen texts come from. ``--mistakes`` lists the visible training rows the
estimate gets wrong (never a held-out or development row), with the rule or model feature
that decided.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "status"))
sys.path.insert(0, str(ROOT / "scripts"))

from corpus_data import Row, Score, hints, language_table, load, summary  # noqa: E402
from train_status_fallback import lexicon_examples, phrases, train, word_classes  # noqa: E402

from shiptrack.status.classifier import Classifier  # noqa: E402
from shiptrack.status.classifier.normalise import tokens  # noqa: E402

FOLDS = 5
#: Answer kind → score, filled by ``estimate`` (``--calibration``).
calibration: dict[str, Score] = {}


class _Blinded(Classifier):
    """The shipped rules with some phrases switched off."""

    hidden: frozenset[int] = frozenset()

    def matches(self, words, language, infos=None, courier=None):  # type: ignore[no-untyped-def]
        found = super().matches(words, language, infos, courier)
        return [m for m in found if id(m[3]) not in self.hidden]


def way(answer: object) -> str:
    """How an answer was decided: ``rule``, ``model`` or ``unmatched``."""
    rule_id: str = answer.rule_id  # type: ignore[attr-defined]
    if rule_id.startswith("model."):
        return "model"
    return "unmatched" if rule_id == "unmatched" else "rule"


def kind(answer: object) -> str:
    """The calibration bucket of an answer: how it was decided, and how confidently."""
    decided = way(answer)
    if decided == "unmatched":
        return decided
    return f"{decided}, confidence {answer.confidence:.2f}"  # type: ignore[attr-defined]


@dataclass
class Estimate:
    """The estimate of each part of the training rows; mistakes of the visible part only."""

    visible: Score = field(default_factory=Score)
    development: Score = field(default_factory=Score)
    per_language: dict[str, Score] = field(default_factory=dict)
    development_per_language: dict[str, Score] = field(default_factory=dict)
    mistakes: list[tuple[Row, object]] = field(default_factory=list)
    #: Way of deciding ("rule", "model", "unmatched") → the development rows' score.
    development_by_way: dict[str, Score] = field(default_factory=dict)


def estimate(rows: list[Row], couriers: bool = True) -> Estimate:
    """The estimate, each row told its courier (``couriers``) or its text alone.

    Every training row is classified (the development rows too, so the phrases one row
    matches are found among all of them), but only the visible rows' mistakes and
    calibration come out; the development rows add to their part's scores and nothing else.
    """
    rows = [row for row in rows if not row.held_out]
    told = [
        hints(row) if couriers else {"courier_code": None, "courier_country": None} for row in rows
    ]
    classifier = _Blinded()
    support: dict[int, set[int]] = defaultdict(set)
    for i, row in enumerate(rows):
        words = tokens(row.text)
        courier = told[i]["courier_code"]
        priors = classifier._priors(told[i]["courier_country"], None)
        language = classifier.detect_language(words, priors)
        for match in classifier.matches(words, language, None, courier):
            support[id(match[3])].add(i)
    only: dict[int, set[int]] = defaultdict(set)
    for phrase, where in support.items():
        if len(where) == 1:
            only[next(iter(where))].add(phrase)
    general = lexicon_examples(
        p for p in phrases(classifier.rules) if len(support.get(id(p), ())) != 1
    )
    classes = word_classes(classifier.rules)
    models = [
        train(
            [(r.text, r.status_code) for j, r in enumerate(rows) if j % FOLDS != fold] + general,
            classifier.rules.function_words,
            classes,
        )
        for fold in range(FOLDS)
    ]
    found = Estimate()
    calibration.clear()
    for i, row in enumerate(rows):
        classifier.hidden = frozenset(only.get(i, ()))
        classifier.model = models[i % FOLDS]
        answer = classifier.classify(row.text, **told[i])
        if row.development:
            found.development.add(row, answer)
            found.development_per_language.setdefault(row.language, Score()).add(row, answer)
            found.development_by_way.setdefault(way(answer), Score()).add(row, answer)
            continue
        found.visible.add(row, answer)
        calibration.setdefault(kind(answer), Score()).add(row, answer)
        if not found.per_language.setdefault(row.language, Score()).add(row, answer):
            found.mistakes.append((row, answer))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mistakes", action="store_true")
    parser.add_argument("--calibration", action="store_true")
    parser.add_argument("--text-only", action="store_true")
    parser.add_argument("--languages", action="store_true", help="scores per language too")
    args = parser.parse_args()
    rows = load()
    told = estimate(rows, couriers=not args.text_only)
    if args.calibration:
        for name, score in sorted(calibration.items()):
            print(f"{name:28} {score.total:5} right {score.status_accuracy:.3f}")
        print("development rows, by the way they were decided (aggregate):")
        for name, score in sorted(told.development_by_way.items()):
            wrong = score.total - score.status_ok
            print(f"  {name:10} {score.total:5} answered, {wrong:4} wrong")
        return
    if args.mistakes:
        for row, answer in told.mistakes:
            print(
                f"{row.language}\t{row.text}\twant={row.status_code}"
                f"\tgot={answer.status_code}\t{answer.rule_id}"  # type: ignore[attr-defined]
                f"\t{row.courier_code or '-'}"
            )
        return
    alone = estimate(rows, couriers=False)
    for part, with_couriers, text_only, per_language, per_language_text in (
        ("visible", told.visible, alone.visible, told.per_language, alone.per_language),
        (
            "development",
            told.development,
            alone.development,
            told.development_per_language,
            alone.development_per_language,
        ),
    ):
        print(summary(f"estimate, {part} training rows", with_couriers, text_only))
        if args.languages:
            print("\n".join(language_table(per_language, per_language_text)))


if __name__ == "__main__":
    main()
