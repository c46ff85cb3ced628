"""The status normaliser: raw event text (+ code, language) → Ship24 statusCode, explained.

``classify(text, ...)`` answers a ``Classification``: statusCode (None for an informational
scan), the milestone the event implies, the id of the rule that decided, the text's language
and a confidence. Rules are data files per language (``data/<language>.rules``); see
``rules`` for their format and docs/decisions for the design.
"""

from __future__ import annotations

from functools import lru_cache

from shiptrack.status.classifier.engine import (
    UNMATCHED,
    Classification,
    Classifier,
    implied_milestone,
)
from shiptrack.status.classifier.rules import LANGUAGES

__all__ = [
    "LANGUAGES",
    "UNMATCHED",
    "Classification",
    "Classifier",
    "classifier",
    "classify",
    "implied_milestone",
]


@lru_cache(maxsize=1)
def classifier() -> Classifier:
    """The process's classifier over the packaged rules (loaded once, ~tens of ms)."""
    return Classifier()


def classify(
    text: str | None,
    *,
    carrier_status_code: str | None = None,
    language: str | None = None,
    courier_country: str | None = None,
    location: str | None = None,
    courier_code: str | None = None,
) -> Classification:
    """Classify one raw event (see ``Classifier.classify``); with a courier's own status
    table, classify through ``shiptrack.couriers.event_status.classify_event``."""
    return classifier().classify(
        text,
        carrier_status_code=carrier_status_code,
        language=language,
        courier_country=courier_country,
        location=location,
        courier_code=courier_code,
    )
