"""The labelled corpus of raw carrier event texts (``tests/status/corpus/<language>.tsv``).

Each row: ``text``, ``statusCode`` (``-`` for an informational scan), ``statusMilestone``,
``source`` (where the text and its meaning come from). The split is fixed by a hash of the
language and the text, so adding rows never moves an existing one between the parts:

* held-out (one in five): rules are never written or tuned by looking at these rows or at the
  classifier's mistakes on them; they only measure, a few times, in aggregate;
* train (the rest), itself in two parts by a second, salted hash:

  * development (one in four training rows): the token model learns from them, but no tool
    lists their mistakes; ``bench/estimate.py`` scores them only in aggregate, after every
    change if need be. A rule writer who keeps what raises the estimate on the rows they
    can see makes that estimate the signal rules are chosen by, and it then overstates what
    a new text gets (the tenth round: estimate +0.046, held-out +0.005); the development
    score is what the change does to rows its writer never saw;
  * visible (the rest): rules may be written from them, their mistakes read as often as
    need be (``training_mistakes``, ``bench/estimate.py --mistakes``).
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
HELD_OUT_ONE_IN = 5
DEVELOPMENT_ONE_IN = 4

#: A row's courier, as a connector would know it: the start of its ``source`` → the Ship24
#: courier code (``../shared/reference/ship24-couriers.json``) of the one carrier whose table
#: the row comes from. Sources that mix carriers (aggregators' tables, "Polish carriers'
#: status texts", Japan Post with Yamato and Sagawa) or name a carrier Ship24 does not list
#: (Foxpost) give no courier: the classifier then reads the text alone. The first prefix
#: that matches wins (longer, more specific prefixes first).
COURIER_SOURCES: tuple[tuple[str, str], ...] = (
    ("PostNL ", "nl-post"),
    ("Royal Mail ", "gb-post"),
    ("Russian Post ", "ru-post"),
    ("Kerry TJ Logistics ", "kerrytj"),
    ("USPS tracking event texts ", "us-post"),
    ("USPS Publication 199 ", "us-post"),
    ("UPS Tracking API ", "ups"),
    ("InPost ShipX ", "inpost-pl"),
    ("GLS status codes (Appendix G) with Romanian texts", "gls-ro"),
    ("GLS tracking status codes ", "gls"),
    ("FedEx Track API ", "fedex"),
    ("Correios SRO ", "br-post"),
    ("Correios (Brazil) ", "br-post"),
    ("Colissimo ", "colissimo"),
    ("DHL Express checkpoint codes", "dhl-express"),
    ("CDEK ", "cdek-ru"),
    ("CTT Express (Spain) ", "tourline-express"),
    ("Nova Poshta ", "nova-poshta"),
    ("BRT (Bartolini) ", "brt-it"),
    ("Deutsche Post DHL ", "de-post"),
    ("Sagawa Express ", "sagawa-jp"),
    ("DHL Parcel Polska ", "dhl-pl"),
    ("La Poste ", "fr-post"),
    ("PostNord Sverige ", "se-post"),
    ("Korea Post ", "kr-post"),
    ("Yurtiçi Kargo ", "yurtici-kargo"),
    ("Česká pošta ", "cz-post"),
    ("CJ Logistics (", "cj-logistics"),
    ("CJ Logistics delivery stages ", "cj-logistics"),
    ("Correos tracking states ", "es-post"),
    ("Correos, ", "es-post"),
    ("Cargus ", "cargus"),
    ("Andreani ", "andreani"),
    ("Bring/Posten Norge ", "bring"),
    ("ACS Courier ", "acscourier"),
    ("Posti item tracking FAQ ", "fi-post"),
    ("Posti försändelseuppföljning FAQ ", "fi-post"),
    ("Ukrposhta ", "ua-post"),
    ("Courier Center (GR) ", "courier-center"),
    ("Posti IFTSTA ", "fi-post"),
    ("Matkahuolto ", "matkahuolto"),
    ("Magyar Posta ", "hu-post"),
    ("Express One (HU) ", "express-one"),
    ("PPL CZ ", "ppl-cz"),
    ("Packeta ", "packeta"),
    ("Aras Kargo ", "aras-kargo"),
)


def hints(row: Row) -> dict[str, str | None]:
    """What a connector passes with ``row``'s text besides it: the courier code and its
    country (a language prior), as ``shiptrack.couriers.event_status.classify_event`` does."""
    from shiptrack.couriers.event_status import courier_country

    return {"courier_code": row.courier_code, "courier_country": courier_country(row.courier_code)}


def courier_of(source: str) -> str | None:
    """The Ship24 courier code of the one carrier ``source`` names (``COURIER_SOURCES``)."""
    for prefix, courier in COURIER_SOURCES:
        if source.startswith(prefix):
            return courier
    return None


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

    @property
    def development(self) -> bool:
        """A training row whose mistakes are never listed (scored only in aggregate)."""
        if self.held_out:
            return False
        digest = hashlib.sha256(f"development\t{self.language}\t{self.text}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % DEVELOPMENT_ONE_IN == 0

    @property
    def visible(self) -> bool:
        """A training row rule writers may read, with the classifier's answer on it."""
        return not self.held_out and not self.development

    @property
    def courier_code(self) -> str | None:
        """The courier a connector would pass with this text (``COURIER_SOURCES``)."""
        return courier_of(self.source)


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


def evaluate(
    rows: list[Row], classify, *, couriers: bool = False
) -> tuple[Score, dict[str, Score], list[tuple[Row, object]]]:  # type: ignore[no-untyped-def]
    """Overall and per-language scores, plus the misclassified rows with their answers.

    The classifier is told the text and, with ``couriers``, the row's courier code and its
    country (what a connector knows; ``hints``), never its language: without couriers the
    corpus measures what a caller that has only a carrier's words gets.
    """
    overall, per_language = Score(), {}
    mistakes = []
    for row in rows:
        answer = classify(row.text, **hints(row)) if couriers else classify(row.text)
        overall.add(row, answer)
        if not per_language.setdefault(row.language, Score()).add(row, answer):
            mistakes.append((row, answer))
    return overall, per_language, mistakes


def training_mistakes(  # type: ignore[no-untyped-def]
    rows: list[Row], classify, *, couriers: bool = False
) -> list[tuple[Row, object]]:
    """The misclassified *visible* training rows, for writing rules.

    Held-out and development rows are dropped before anything is classified, so no tool built
    on this can show one of them or its failure (both are only ever scored in aggregate).
    """
    training = [row for row in rows if row.visible]
    _, _, mistakes = evaluate(training, classify, couriers=couriers)
    return mistakes


def summary(part: str, told: Score, alone: Score) -> str:
    """One line: a part's scores told each row's courier and from the text alone."""
    return (
        f"{part}: {told.total} texts, with couriers: statusCode {told.status_accuracy:.3f}, "
        f"milestone {told.milestone_accuracy:.3f}; text only: statusCode "
        f"{alone.status_accuracy:.3f}, milestone {alone.milestone_accuracy:.3f}"
    )


def language_table(told: dict[str, Score], alone: dict[str, Score]) -> list[str]:
    """A Markdown table of per-language scores, told each courier and from the text alone."""
    lines = [
        "| language | texts | statusCode | milestone | text only: statusCode | milestone |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for language, score in sorted(told.items()):
        other = alone[language]
        lines.append(
            f"| {language} | {score.total} | {score.status_accuracy:.3f} "
            f"| {score.milestone_accuracy:.3f} | {other.status_accuracy:.3f} "
            f"| {other.milestone_accuracy:.3f} |"
        )
    return lines


def languages(rows: list[Row]) -> Counter[str]:
    return Counter(row.language for row in rows)
