"""Build ``status/classifier/data/fallback.json`` from the corpus's training part.

Usage: ``.venv/bin/python scripts/train_status_fallback.py``. Deterministic: the same corpus
gives the same file. Held-out rows (see ``tests/status/corpus_data.py``) are skipped, so the
held-out accuracy stays a measurement.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "status"))

from corpus_data import load  # noqa: E402

from shiptrack.status.classifier.fallback import ALPHA, TokenModel, features  # noqa: E402
from shiptrack.status.classifier.normalise import tokens  # noqa: E402
from shiptrack.status.taxonomy import STATUS_CODES  # noqa: E402

OUTPUT = ROOT / "src" / "shiptrack" / "status" / "classifier" / "data" / "fallback.json"
CLASSES = ["-", *sorted(STATUS_CODES)]


def count_features(
    examples: Iterable[tuple[str, str | None]],
) -> tuple[dict[str, dict[str, int]], list[int]]:
    """(text, statusCode) pairs → (feature → class index as text → texts with it, texts per
    class). A feature counts once per text."""
    index = {name: i for i, name in enumerate(CLASSES)}
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    documents = [0] * len(CLASSES)
    for text, status_code in examples:
        label = index[status_code or "-"]
        documents[label] += 1
        for feature in features(tokens(text)):
            counts[feature][label] += 1
    table = {f: {str(k): v for k, v in sorted(c.items())} for f, c in sorted(counts.items())}
    return table, documents


def train(examples: Iterable[tuple[str, str | None]]) -> TokenModel:
    """A model trained on ``examples`` (what the estimate in bench/estimate.py folds over)."""
    return TokenModel(CLASSES, *count_features(examples))


def main() -> None:
    rows = [row for row in load() if not row.held_out]
    counts, documents = count_features((row.text, row.status_code) for row in rows)
    payload = {
        "trainedOn": f"{len(rows)} training rows of tests/status/corpus",
        "alpha": ALPHA,
        "classes": CLASSES,
        "documents": documents,
        "counts": counts,
    }
    OUTPUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(counts)} features from {len(rows)} rows")


if __name__ == "__main__":
    main()
