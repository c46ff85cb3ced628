"""What the couriers add to the status normaliser: their own code tables, their country as a
language prior; and the event's location."""

from __future__ import annotations

import importlib

import pytest

from shiptrack.couriers.event_status import TABLES, carrier_table, courier_country
from shiptrack.couriers.event_status import classify_event as classify
from shiptrack.couriers.sources import installed_sources
from shiptrack.status.classifier.hints import country_language


@pytest.mark.parametrize(
    ("courier", "code", "expected"),
    [
        ("us-post", "03", "transit_handover"),  # Publication 199: acceptance
        ("us-post", "10", None),  # an explicit informational scan stays one
        ("ups", "011", "delivery_delivered"),
        ("fedex", "dl", "delivery_delivered"),  # FedEx event types are upper-case codes
        ("colissimo", "DI1", "delivery_delivered"),
        ("dhl-express", "OK", "delivery_delivered"),
        ("dhl", "delivered", "delivery_delivered"),
        ("inpost-pl", "ready_to_pickup", "delivery_available_for_pickup"),
        ("bring", "DELIVERED", "delivery_delivered"),
        ("postnord", "21", "delivery_delivered"),
        ("gb-post", "EVKSP", "delivery_delivered"),
        ("purolator", "OnDelivery", "delivery_out_for_delivery"),
        ("nl-post", "A01", "data_order_created"),
    ],
)
def test_a_couriers_own_code_decides_and_the_text_cannot_override_it(courier, code, expected):
    result = classify("Return to sender", carrier_status_code=code, courier_code=courier)
    assert result.status_code == expected
    assert result.rule_id == f"table:{courier}:{code}"
    assert result.confidence == 1.0


@pytest.mark.parametrize(
    ("courier", "code"),
    [
        ("us-post", "Q7"),  # not in Publication 199
        ("dhl", "unknown"),  # DHL's own "we do not know": the text decides
        ("bring", "CUSTOMS"),  # Bring's connector reads the text first for this one
        ("nl-post", "03"),  # a courier without a connector table
        (None, "03"),  # a code without its courier means nothing by itself
    ],
)
def test_without_a_known_code_the_text_decides(courier, code):
    result = classify("Return to sender", carrier_status_code=code, courier_code=courier)
    assert (result.status_code, result.rule_id) == ("exception_return", "en.return")


def test_canada_posts_leading_zeros_are_not_part_of_its_code():
    assert carrier_table("ca-post", "01408") == carrier_table("ca-post", "1408")
    assert carrier_table("ca-post", "1408")[0]


def test_every_table_is_a_connectors_table_for_couriers_it_serves():
    served = {
        source.source_code: set(source.courier_codes) for source in installed_sources(own_only=True)
    }
    for table in TABLES:
        entries = getattr(importlib.import_module(table.module), table.attribute)
        assert isinstance(entries, dict)
        assert entries
        # The couriers are those of the connector whose package holds the table.
        package = table.module.rsplit(".", 2)[-2]
        (source,) = [code for code in served if code.startswith(package)]
        assert table.couriers <= served[source], (table, served[source])
        assert carrier_table(sorted(table.couriers)[0], "no such code") == (False, None)


@pytest.mark.parametrize(
    ("courier", "language"),
    [("nl-post", "nl"), ("colissimo", "fr"), ("us-post", "en"), ("no-such-courier", None)],
)
def test_a_couriers_country_names_a_language(courier, language):
    assert country_language(courier_country(courier)) == language


def test_the_courier_is_a_prior_that_the_texts_own_words_outvote():
    # "Retour" is French and Dutch; the courier breaks the tie.
    assert classify("Retour", courier_code="nl-post").rule_id == "nl.return"
    assert classify("Retour", courier_code="colissimo").rule_id == "fr.return"
    # A German text stays German whatever the courier's country.
    assert classify("Zugestellt", courier_code="nl-post").language == "de"
    # A text no vocabulary knows takes the courier's language.
    assert classify("qqq zzz", courier_code="nl-post").language == "nl"


@pytest.mark.parametrize(
    ("location", "language"),
    [("Utrecht, NL", "nl"), ("Lyon FR", "fr"), ("", "fr")],
)
def test_a_locations_country_breaks_a_tie_between_languages(location, language):
    assert classify("Retour", location=location).language == language


@pytest.mark.parametrize(("location", "language"), [("Москва", "ru"), ("東京", "zh")])
def test_a_locations_script_names_the_language_of_a_text_no_vocabulary_knows(location, language):
    assert classify("XQ-17", location=location).language == language
    assert classify("Retour", location=location).language == "fr"  # the words outvote it


def test_an_explicit_language_beats_every_prior():
    result = classify("Retour", language="nl", courier_code="colissimo", location="Lyon, FR")
    assert result.rule_id == "nl.return"
