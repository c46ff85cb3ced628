"""The labelled corpus of raw carrier event texts (``tests/status/corpus/<language>.tsv``).

Each row: ``text``, ``statusCode`` (``-`` for an informational scan), ``statusMilestone``,
``source`` (where the text and its meaning come from). The split is fixed by a hash of the
language and the text, so adding rows never moves an existing one between the parts:

* held-out (one in five): rules are never written or tuned by looking at these rows or at the
  classifier's mistakes on them; they only measure;
* train (the rest): rules may be written from them.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
HELD_OUT_ONE_IN = 5


@dataclass(frozen=True, slots=True)
class Row:
    language: str
    text: str
    status_code: str | None
    status_milestone: str
    source: str

    @property
    def held_out(self) -> bool:
        digest = hashlib.sha256(f"{self.language}\t{self.text}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % HELD_OUT_ONE_IN == 0


def load(directory: Path = CORPUS) -> list[Row]:
    rows: list[Row] = []
    for path in sorted(directory.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                code = record["statusCode"]
                rows.append(
                    Row(
                        path.stem,
                        record["text"],
                        None if code == "-" else code,
                        record["statusMilestone"],
                        record["source"],
                    )
                )
    return rows


@dataclass(slots=True)
class Score:
    total: int = 0
    status_ok: int = 0
    milestone_ok: int = 0

    @property
    def status_accuracy(self) -> float:
        return self.status_ok / self.total if self.total else 1.0

    @property
    def milestone_accuracy(self) -> float:
        return self.milestone_ok / self.total if self.total else 1.0

    def add(self, row: Row, answer) -> bool:  # type: ignore[no-untyped-def]
        """Count one answer for ``row``; whether its statusCode is right."""
        status_ok = answer.status_code == row.status_code
        self.total += 1
        self.status_ok += status_ok
        self.milestone_ok += answer.status_milestone == row.status_milestone
        return status_ok


def evaluate(rows: list[Row], classify) -> tuple[Score, dict[str, Score], list[tuple[Row, object]]]:  # type: ignore[no-untyped-def]
    """Overall and per-language scores, plus the misclassified rows with their answers.

    The classifier is told nothing but the text (no language hint): the corpus measures what
    a connector that has only a carrier's words gets.
    """
    overall, per_language = Score(), {}
    mistakes = []
    for row in rows:
        answer = classify(row.text)
        overall.add(row, answer)
        if not per_language.setdefault(row.language, Score()).add(row, answer):
            mistakes.append((row, answer))
    return overall, per_language, mistakes


def training_mistakes(rows: list[Row], classify) -> list[tuple[Row, object]]:  # type: ignore[no-untyped-def]
    """The misclassified rows of the *training* part only, for writing rules.

    Held-out rows are dropped before anything is classified, so no tool built on this can
    show a held-out row or its failure (the held-out part is only ever scored in aggregate).
    """
    _, _, mistakes = evaluate([row for row in rows if not row.held_out], classify)
    return mistakes


def languages(rows: list[Row]) -> Counter[str]:
    return Counter(row.language for row in rows)
