"""Status normaliser: accuracy per language on the labelled corpus, throughput, memory.

Usage::

    .venv/bin/python bench/classify.py [--runs 7] [--repeat 20]
    .venv/bin/python bench/classify.py --training-mistakes   # rows to write rules from
    .venv/bin/python bench/classify.py --speed-only   # throughput and memory, no accuracy

``--training-mistakes`` lists the misclassified visible rows of the training part and exits; it
cannot list held-out or development rows (``corpus_data.training_mistakes`` drops them before
classifying). Each row
is classified with its courier (``corpus_data.hints``), as a connector would; ``--text-only``
lists the mistakes of the text alone.

Accuracy: the held-out part (never used to write rules) and the training part, per language,
the classifier told each row's courier (its source's carrier, ``corpus_data.COURIER_SOURCES``)
and, beside it, nothing but the text. Throughput: texts per CPU second of this process
(one core, one thread), median of ``--runs``, three ways:

* ``fresh``: every text made unique (a parcel number and a place appended, as carriers do),
  so the normalisation cache never helps: the worst case;
* ``cold``: the corpus texts with the normalisation cache cleared before each run;
* ``warm``: the same texts again with the cache filled (carriers repeat a few hundred texts).

``--speed-only`` skips the accuracy tables: speed runs then never score the held-out part
(which is read only a few times per round of work). ``PYTHONPATH=/other/checkout/src`` runs
another build beside this one.

Memory: what loading the rules and the token model allocates (tracemalloc), and the
process's peak resident set.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "status"))

from corpus_data import evaluate, language_table, load, summary, training_mistakes  # noqa: E402

from shiptrack.status.classifier import Classifier  # noqa: E402
from shiptrack.status.classifier.normalise import tokens  # noqa: E402

PLACES = ("MEMPHIS TN", "Leipzig", "Roissy CDG", "上海", "Москва 557", "Utrecht", "São Paulo")


def throughput(classifier: Classifier, texts: list[str], runs: int, *, clear: bool) -> float:
    rates = []
    for _ in range(runs):
        if clear:
            tokens.cache_clear()
        gc.collect()
        start = time.process_time()
        for text in texts:
            classifier.classify(text)
        rates.append(len(texts) / (time.process_time() - start))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--training-mistakes", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--text-only", action="store_true")
    args = parser.parse_args()
    if args.training_mistakes:
        couriers = not args.text_only
        for row, answer in training_mistakes(load(), Classifier().classify, couriers=couriers):
            print(
                f"{row.language}\t{row.text}\twant={row.status_code}"
                f"\tgot={answer.status_code}\t{answer.rule_id}"  # type: ignore[attr-defined]
                f"\t{row.courier_code or '-'}"
            )
        return

    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    classifier = Classifier()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    loaded = sum(s.size_diff for s in after.compare_to(before, "filename"))

    rows = load()
    print(f"corpus: {len(rows)} texts, {len({r.language for r in rows})} languages")
    parts = (
        ("held-out", [r for r in rows if r.held_out]),
        ("train", [r for r in rows if not r.held_out]),
    )
    for part, chosen in () if args.speed_only else parts:
        overall, per_language, _ = evaluate(chosen, classifier.classify, couriers=True)
        alone, per_language_alone, _ = evaluate(chosen, classifier.classify)
        print("\n" + summary(part, overall, alone))
        print("\n".join(language_table(per_language, per_language_alone)))

    texts = [r.text for r in rows] * args.repeat
    rng = random.Random(13)
    fresh = [f"{t} {rng.randrange(10**9):09d} {rng.choice(PLACES)}" for t in texts]
    print(f"\nthroughput ({len(texts)} texts per run, median of {args.runs}, CPU time):")
    for name, chosen, clear in (
        ("fresh (never cached)", fresh, True),
        ("cold (cache cleared)", texts, True),
        ("warm (cache filled)", texts, False),
    ):
        print(f"  {name:22} {throughput(classifier, chosen, args.runs, clear=clear):,.0f}/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmemory: rules + model loaded {loaded / 1e6:.1f} MB; process peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
