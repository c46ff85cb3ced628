"""The labelled corpus and the classifier's accuracy on it (a few seconds).

Rules are written from the training part only; the held-out part measures. See
``corpus_data`` for the split and docs/decisions for the rule never to tune on held-out rows.
"""

from __future__ import annotations

import pytest
from corpus_data import evaluate, languages, load, training_mistakes

from shiptrack.status.classifier import LANGUAGES, classify, implied_milestone
from shiptrack.status.taxonomy import MILESTONES, STATUS_CODES

#: The targets of the issue, on the held-out part.
STATUS_TARGET = 0.95
MILESTONE_TARGET = 0.98

ROWS = load()


def test_every_row_is_labelled_consistently_and_cites_its_source():
    seen = set()
    for row in ROWS:
        assert row.text.strip(), row
        assert row.source.strip(), row
        assert row.status_code is None or row.status_code in STATUS_CODES, row
        assert row.status_milestone in MILESTONES, row
        assert row.status_milestone == implied_milestone(row.status_code), row
        assert (row.language, row.text) not in seen, row
        seen.add((row.language, row.text))


def test_the_corpus_covers_every_language_with_at_least_two_thousand_texts():
    counts = languages(ROWS)
    assert set(counts) == set(LANGUAGES), counts
    assert len(ROWS) >= 2000


def test_the_split_is_fixed_and_about_one_in_five():
    held = [row for row in ROWS if row.held_out]
    assert 0.15 < len(held) / len(ROWS) < 0.25
    assert [row.held_out for row in ROWS] == [row.held_out for row in load()]


def test_the_rules_explain_their_training_part():
    overall, _, _ = evaluate([row for row in ROWS if not row.held_out], classify)
    assert overall.status_accuracy >= 0.95
    assert overall.milestone_accuracy >= 0.98


@pytest.mark.xfail(
    strict=True,
    reason="held-out accuracy (0.79 statusCode / 0.86 milestone) is below the issue's targets; "
    "bench/classify.py reports it per language",
)
def test_held_out_accuracy_meets_the_targets():
    overall, _, _ = evaluate([row for row in ROWS if row.held_out], classify)
    assert overall.status_accuracy >= STATUS_TARGET
    assert overall.milestone_accuracy >= MILESTONE_TARGET


def test_the_mistake_listing_for_rule_writers_never_shows_a_held_out_row():
    def wrong_about_everything(text):
        return classify("qqq zzz")  # unmatched: every labelled row counts as a mistake

    listed = [row for row, _ in training_mistakes(ROWS, wrong_about_everything)]
    assert listed
    assert not any(row.held_out for row in listed)
    assert {row.text for row in listed} <= {row.text for row in ROWS if not row.held_out}
