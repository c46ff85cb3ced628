"""A courier's own readings: rules limited to a courier (``courier=``) answer only when the
caller names it, and then win over the general rules of their priority; a general rule can
step aside for the couriers that read its wording otherwise (``except=``). A connector knows
its courier; a caller with only the text gets the general reading."""

from __future__ import annotations

import pytest
from corpus_data import COURIER_SOURCES, courier_of, load

from shiptrack.couriers.catalogue import is_known
from shiptrack.couriers.event_status import classify_event
from shiptrack.status.classifier import Classifier, classify
from shiptrack.status.classifier.rules import RuleSet, parse_rules

#: A reading no general rule gives: without the courier only the token model answers.
MODEL_GUESS = object()


def _classifier() -> Classifier:
    rule_set = RuleSet()
    parse_rules(
        "en",
        "@negation: not\n"
        "[return] exception_return +6\nreturn to sender\n"
        "[return.not.collected] exception_return +6 except=acme,acme-int\nnot collected\n"
        "[acme.not.collected] delivery_exception +5 courier=acme,acme-int\nnot collected\n"
        "[scan] - -1\nsorted\n"
        "[acme.sorted] delivery_exception -1 courier=acme\nsorted\n",
        rule_set,
    )
    return Classifier(rule_set)


def test_a_couriers_rule_answers_only_for_that_courier():
    classifier = _classifier()
    assert classifier.classify("Shipment not collected").rule_id == "en.return.not.collected"
    assert classifier.classify("Shipment not collected", courier_code="other").rule_id == (
        "en.return.not.collected"
    )
    for courier in ("acme", "ACME ", "acme-int"):
        answer = classifier.classify("Shipment not collected", courier_code=courier)
        assert (answer.status_code, answer.rule_id) == (
            "delivery_exception",
            "en.acme.not.collected",
        )


def test_a_couriers_rule_yields_to_a_higher_priority_and_wins_a_tie():
    classifier = _classifier()
    answer = classifier.classify("not collected, return to sender", courier_code="acme")
    assert answer.rule_id == "en.return"
    assert classifier.classify("sorted", courier_code="acme").rule_id == "en.acme.sorted"
    assert classifier.classify("sorted", courier_code="acme-int").rule_id == "en.scan"
    assert classifier.classify("sorted").rule_id == "en.scan"


@pytest.mark.parametrize(
    ("text", "courier", "expected", "general"),
    [
        # GLS Romania: a failure for the carrier's reasons is an exception; the recipient's
        # absence stays an attempt, a refusal a refusal.
        ("Nu s-a livrat — vehicul defect", "gls-ro", "delivery_exception", "delivery_attempted"),
        ("Nu s-a livrat — destinatar absent", "gls-ro", "delivery_attempted", "delivery_attempted"),
        ("Nu s-a livrat — destinatarul refuză", "gls-ro", "delivery_refused", "delivery_refused"),
        # PostNL: "not collected" is a collection from the sender that did not happen.
        ("Shipment not collected", "nl-post", "delivery_exception", "exception_return"),
        ("Zending niet opgehaald", "nl-post", "delivery_exception", "exception_return"),
        ("Zending niet afgehaald, gaat retour afzender", "nl-post", "exception_return",
         "exception_return"),
        ("Shipment not collected, return to sender", "nl-post", "exception_return",
         "exception_return"),
        # FedEx: its origin is a facility. No general rule reads the words: without the
        # courier only the token model guesses (its guess is not this test's business).
        ("Left Origin", "fedex", None, MODEL_GUESS),
        # USPS: "Picked Up" at the post office is a delivery; a partner's pickup a hand-over.
        ("Picked Up", "us-post", "delivery_delivered", "transit_handover"),
        ("Picked Up by Shipping Partner", "us-post", "transit_handover", "transit_handover"),
    ],
)  # fmt: skip
def test_carriers_own_readings(text, courier, expected, general):
    assert classify(text, courier_code=courier).status_code == expected
    assert classify_event(text, courier_code=courier).status_code == expected
    if general is MODEL_GUESS:
        assert classify(text).rule_id.startswith("model.")
    else:
        assert classify(text).status_code == general


def test_every_corpus_courier_is_a_ship24_courier_and_sources_name_one_carrier():
    assert all(is_known(code) for _, code in COURIER_SOURCES)
    assert courier_of("PostNL developer documentation, Track & Trace") == "nl-post"
    assert courier_of("GLS status codes (Appendix G) with Romanian texts, as mapped") == "gls-ro"
    assert courier_of("Polish carriers' status texts (DPD Polska, DHL Parcel PL)") is None
    rows = load()
    assert sum(row.courier_code is not None for row in rows) > len(rows) / 2
