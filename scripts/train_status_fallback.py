"""Build ``status/classifier/data/fallback.json`` from the corpus's training part.

Usage: ``.venv/bin/python scripts/train_status_fallback.py``. Deterministic: the same corpus
gives the same file. Held-out rows (see ``tests/status/corpus_data.py``) are skipped, so the
held-out accuracy stays a measurement.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "status"))

from corpus_data import load  # noqa: E402

from shiptrack.status.classifier.fallback import features  # noqa: E402
from shiptrack.status.classifier.normalise import tokens  # noqa: E402
from shiptrack.status.taxonomy import STATUS_CODES  # noqa: E402

OUTPUT = ROOT / "src" / "shiptrack" / "status" / "classifier" / "data" / "fallback.json"


def main() -> None:
    classes = ["-", *sorted(STATUS_CODES)]
    index = {name: i for i, name in enumerate(classes)}
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    rows = [row for row in load() if not row.held_out]
    for row in rows:
        label = index[row.status_code or "-"]
        for feature in features(tokens(row.text)):
            counts[feature][label] += 1
    payload = {
        "trainedOn": f"{len(rows)} training rows of tests/status/corpus",
        "classes": classes,
        "counts": {f: {str(k): v for k, v in sorted(c.items())} for f, c in sorted(counts.items())},
    }
    OUTPUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(counts)} features from {len(rows)} rows")


if __name__ == "__main__":
    main()
