"""The labelled corpus and the classifier's accuracy on it (about half a minute: the estimate
retrains the token model once per fold).

Rules are written from the training part only; the held-out part measures. See
``corpus_data`` for the split and docs/decisions for the rule never to tune on held-out rows.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import pytest
from corpus_data import evaluate, languages, load, training_mistakes

from shiptrack.status.classifier import LANGUAGES, classify, implied_milestone
from shiptrack.status.taxonomy import MILESTONES, STATUS_CODES

#: The targets of the issue, on the held-out part.
STATUS_TARGET = 0.95
MILESTONE_TARGET = 0.98

ROWS = load()
ROOT = Path(__file__).resolve().parents[2]


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


def test_the_rules_explain_their_training_part_told_each_rows_courier():
    overall, _, _ = evaluate([row for row in ROWS if not row.held_out], classify, couriers=True)
    assert overall.status_accuracy >= 0.95
    assert overall.milestone_accuracy >= 0.98


@pytest.mark.xfail(
    strict=True,
    reason="held-out accuracy (0.857 statusCode / 0.902 milestone from the text alone, 0.857 / "
    "0.900 told each courier, 600 texts) is below the issue's targets; bench/classify.py "
    "reports it per language",
)
def test_held_out_accuracy_meets_the_targets():
    overall, _, _ = evaluate([row for row in ROWS if row.held_out], classify)
    assert overall.status_accuracy >= STATUS_TARGET
    assert overall.milestone_accuracy >= MILESTONE_TARGET


def test_the_development_part_is_fixed_about_one_in_four_training_rows_and_apart():
    training = [row for row in ROWS if not row.held_out]
    development = [row for row in training if row.development]
    assert 0.18 < len(development) / len(training) < 0.32
    assert not any(row.development for row in ROWS if row.held_out)
    assert all(row.visible != (row.held_out or row.development) for row in ROWS)
    assert [row.development for row in ROWS] == [row.development for row in load()]


def test_the_mistake_listing_for_rule_writers_shows_only_visible_rows():
    def wrong_about_everything(text):
        return classify("qqq zzz")  # unmatched: every labelled row counts as a mistake

    listed = [row for row, _ in training_mistakes(ROWS, wrong_about_everything)]
    assert listed
    assert not any(row.held_out or row.development for row in listed)
    assert {row.text for row in listed} <= {row.text for row in ROWS if row.visible}


def test_the_shipped_token_model_is_trained_on_the_current_corpus_and_rules():
    sys.path.insert(0, str(ROOT / "scripts"))
    from train_status_fallback import count_features, fit, lexicon_examples, phrases, word_classes

    from shiptrack.status.classifier.fallback import WordClasses
    from shiptrack.status.classifier.rules import load_rules

    shipped = json.loads(
        (resources.files("shiptrack.status.classifier") / "data" / "fallback.json").read_text(
            "utf-8"
        )
    )
    examples = [(row.text, row.status_code) for row in ROWS if not row.held_out]
    rule_set = load_rules()
    examples += lexicon_examples(phrases(rule_set))
    classes = word_classes(rule_set)
    bias, weights = fit(examples, rule_set.function_words, WordClasses(classes))
    counts, documents = count_features(examples, rule_set.function_words)
    assert shipped["ignored"] == sorted(rule_set.function_words)
    assert shipped["wordClasses"] == classes
    assert (shipped["bias"], shipped["weights"]) == (bias, weights), (
        "run scripts/train_status_fallback.py after changing the corpus or a rule file"
    )
    assert (shipped["counts"], shipped["documents"]) == (counts, documents)


def test_the_estimate_scores_the_development_part_apart_and_lists_only_visible_mistakes():
    sys.path.insert(0, str(ROOT / "bench"))
    import estimate

    found = estimate.estimate(ROWS)
    assert found.visible.total == sum(1 for row in ROWS if row.visible)
    assert found.development.total == sum(1 for row in ROWS if row.development)
    assert sum(s.total for s in found.development_per_language.values()) == (
        found.development.total
    )
    assert found.mistakes
    assert all(row.visible for row, _ in found.mistakes)
    assert sum(score.total for score in estimate.calibration.values()) == found.visible.total
    # Switching off the phrases only one row matches makes it stricter than the rules' fit.
    fit, _, _ = evaluate([row for row in ROWS if row.visible], classify)
    assert found.visible.status_accuracy < fit.status_accuracy
