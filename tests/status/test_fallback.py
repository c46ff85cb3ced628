"""The token model behind texts no rule explains: features, evidence, abstention."""

from __future__ import annotations

from shiptrack.status.classifier import classify
from shiptrack.status.classifier.fallback import MODEL_ID, TokenModel, features
from shiptrack.status.classifier.normalise import tokens

CLASSES = ["-", "delivery_delivered", "transit_handover"]


def _model(examples: list[tuple[str, str]], ignored: set[str] | None = None) -> TokenModel:
    counts: dict[str, dict[str, int]] = {}
    documents = [0] * len(CLASSES)
    for text, label in examples:
        index = CLASSES.index(label)
        documents[index] += 1
        for feature in features(tokens(text), ignored or ()):
            per_class = counts.setdefault(feature, {})
            per_class[str(index)] = per_class.get(str(index), 0) + 1
    return TokenModel(CLASSES, counts, documents, ignored=ignored or ())


def test_features_are_words_pairs_and_character_four_grams():
    found = features(tokens("Zugestellt heute, 123"))
    assert {"zugestellt", "heute", "zugestellt_heute", "<zug", "ellt", "llt>"} <= found
    assert "123" not in found
    assert not any("|" in feature for feature in found)  # no pair across a boundary


def test_an_inflected_form_no_example_has_is_recognised_by_its_character_n_grams():
    model = _model(
        [("zugestellt", "delivery_delivered"), ("abgeholt", "transit_handover"), ("x", "-")]
    )
    guess = model.guess(tokens("zugestellte"))
    assert guess is not None
    assert guess.status_code == "delivery_delivered"
    assert guess.evidence in features(tokens("zugestellt"))  # explained by a shared feature


def test_the_model_abstains_without_known_features_or_clear_evidence():
    model = _model([("zugestellt", "delivery_delivered"), ("zugestellt", "transit_handover")])
    assert model.guess(tokens("qqqq")) is None
    assert model.guess(tokens("zugestellt")) is None  # an even split is no answer


def test_the_shipped_model_explains_its_guess_with_a_feature_of_the_text():
    result = classify("Zustellungen erfolgt")  # no rule knows this inflected form
    assert result.rule_id.startswith(f"{MODEL_ID}:")
    assert result.status_code == "delivery_delivered"
    assert result.rule_id.split(":", 1)[1] in features(tokens("Zustellungen erfolgt"))
    assert 0.45 <= result.confidence <= 0.75


def test_function_words_give_the_model_no_evidence():
    examples = [
        ("the zugestellt", "delivery_delivered"),
        ("the zugestellt heute", "delivery_delivered"),
        ("abgeholt", "transit_handover"),
        ("x", "-"),
    ]
    # Counted, "the" alone would read as a delivery; ignored, it is no evidence at all.
    assert _model(examples).guess(tokens("the")) is not None
    model = _model(examples, {"the"})
    assert model.guess(tokens("the")) is None
    assert model.guess(tokens("the zugestellt")).status_code == "delivery_delivered"
    assert "<the" not in features(tokens("the zugestellt"), {"the"})


def test_the_shipped_model_ignores_the_rules_function_words():
    from shiptrack.status.classifier import classifier

    assert {"the", "zending", "colis"} <= classifier().model.ignored
    assert "到" not in classifier().model.ignored  # one Han character carries meaning


def test_one_word_shared_with_a_phrase_is_no_confident_answer():
    # "nouvel" shares its n-grams with "nouvelle livraison" only: counted as one vote per
    # n-gram it would read as a delivery; a word's own features count as √k votes.
    model = _model(
        [
            ("nouvelle livraison", "delivery_delivered"),
            ("livraison", "delivery_delivered"),
            ("abgeholt", "transit_handover"),
            ("x", "-"),
        ]
    )
    assert model.guess(tokens("nouvel")) is None
    assert model.guess(tokens("livraisons")).status_code == "delivery_delivered"
    assert classify("Nouvel événement").rule_id == "unmatched"
