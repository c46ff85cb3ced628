"""Qualifier words: a word in the same clause changes what a matched phrase means.

"Delivered" to a pickup place is ready for pickup; customs clearance with a hold word is
stopped and with a completion word done; a pickup place with a problem word is a failed
delivery; an arrival scan at a pickup place or in the destination country says more than a
transit scan. Each class has its near misses: the phrase alone keeps its meaning, and a
qualifier in another clause, or around a rule that does not declare it, changes nothing.
"""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import Classifier, classify
from shiptrack.status.classifier.rules import RuleFileError, RuleSet, parse_rules


def _classifier() -> Classifier:
    rule_set = RuleSet()
    parse_rules(
        "en",
        "@negation: not\n@pickup: locker parcelshop*\n@hold: suspended\n@done: completed\n"
        "[customs] customs_received hold=customs_exception done=customs_cleared\ncustoms\n"
        "[delivered] delivery_delivered pickup=delivery_available_for_pickup\ndelivered\n"
        "[attempted] delivery_attempted neg=delivery_exception\ndelivery .. attempted\n"
        "[scan] -\nsorted\n",
        rule_set,
    )
    return Classifier(rule_set)


def test_a_qualifier_reads_in_the_clause_before_or_after_the_match():
    classifier = _classifier()
    assert classifier.classify("delivered to the locker").rule_id == "en.delivered.pickup"
    assert classifier.classify("locker: delivered").rule_id == "en.delivered"
    assert classifier.classify("delivered, locker full").rule_id == "en.delivered"
    assert classifier.classify("delivered to parcelshops").status_code == (
        "delivery_available_for_pickup"
    )
    assert classifier.classify("completed customs").rule_id == "en.customs.done"
    # Too far away: the window is six tokens.
    far = "customs a b c d e f g completed"
    assert classifier.classify(far).rule_id == "en.customs"


def test_qualifiers_are_tried_in_order_and_only_where_declared():
    classifier = _classifier()
    # A hold outranks a completion in the same clause ("release completed? no: suspended").
    assert classifier.classify("customs completed suspended").rule_id == "en.customs.hold"
    # "sorted" declares no qualifier: a pickup word next to it changes nothing.
    assert classifier.classify("sorted at the locker").rule_id == "en.scan"
    # A delivered rule declares no hold reading.
    assert classifier.classify("delivered, suspended").rule_id == "en.delivered"


def test_a_negation_inside_a_gap_negates_the_phrase():
    classifier = _classifier()
    assert classifier.classify("delivery not attempted").status_code == "delivery_exception"
    assert classifier.classify("delivery was attempted").status_code == "delivery_attempted"


def test_a_qualifier_with_an_unknown_code_fails_loudly():
    with pytest.raises(RuleFileError):
        parse_rules("en", "[x] delivery_delivered pickup=delivery_teleported\nx", RuleSet())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Parcel delivered at Packstation 104", "en.delivered.pickup"),
        ("Sendung in Paketshop Müller zugestellt", "de.delivered.pickup"),
        ("Zending bezorgd op servicepunt Albert Heijn", "nl.delivered.pickup"),
        ("Zásilka doručena na pobočku Praha 1", "cs.delivered.pickup"),
        ("Toimitettu pakettiautomaattiin K-Market", "fi.delivered.pickup"),
        ("Paketet har levererats till ombudet", "sv.delivered.pickup"),
        # Near misses: delivered alone, and a pickup place in another clause.
        ("Parcel delivered", "en.delivered"),
        ("Parcel delivered, Packstation 104 full", "en.delivered"),
        ("Sendung zugestellt", "de.delivered"),
        ("Zásilka doručena", "cs.delivered"),
    ],
)
def test_delivered_to_a_pickup_place_is_ready_for_pickup(text, expected):
    assert classify(text).rule_id == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Customs: import declaration approved", "customs_cleared"),
        ("Customs clearance suspended", "customs_exception"),
        ("Zollabfertigung angehalten", "customs_exception"),
        ("Zollabfertigung abgeschlossen", "customs_cleared"),
        ("Douane a validé la déclaration", "customs_cleared"),
        ("Inklaring vertraagd", "customs_exception"),
        ("Inklaring afgerond", "customs_cleared"),
        ("Despacho de aduana finalizado", "customs_cleared"),
        ("Odprawa celna wstrzymana", "customs_exception"),
        ("Таможенное оформление - Выпуск приостановлен", "customs_exception"),
        # Near misses: clearance alone is under way; a completion in the next clause
        # belongs to another event.
        ("Zollabfertigung", "customs_received"),
        ("Inklaring", "customs_received"),
        ("Odprawa celna", "customs_received"),
        ("Таможенное оформление", "customs_received"),
        ("Customs, shipment released", "customs_received"),
    ],
)
def test_customs_with_a_hold_or_a_completion_word(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Packstation voll", "delivery_exception"),
        ("Pakketautomaat vol", "delivery_exception"),
        ("Paczkomat pełny, brak skrytki", "delivery_exception"),
        ("Paket passt nicht in die Packstation", "delivery_exception"),
        ("Le colis est trop volumineux pour le point relais", "delivery_exception"),
        ("Shipment not allowed in the parcel locker", "delivery_exception"),
        # Near misses: the place alone, and "te"/"zu"/"for" (to) are no problem words.
        ("Pakket ligt klaar om af te halen bij het PostNL-punt", "delivery_available_for_pickup"),
        ("Paket liegt zur Abholung in der Packstation bereit", "delivery_available_for_pickup"),
        ("Klar for henting på hentestedet", "delivery_available_for_pickup"),
        ("Paczka czeka w paczkomacie", "delivery_available_for_pickup"),
    ],
)
def test_a_problem_at_a_pickup_place_is_a_failed_delivery(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arrived at Packstation 12", "delivery_available_for_pickup"),
        ("Saapunut pakettiautomaattiin", "delivery_available_for_pickup"),
        ("Automatában megérkezett", "delivery_available_for_pickup"),
        ("Arrived in country: Netherlands", "destination_arrival"),
        ("Arrivé en Belgique", "destination_arrival"),
        ("Zending aangekomen in Nederland", "destination_arrival"),
        ("Lähetys on saapunut kohdemaahan", "destination_arrival"),
        # Near misses: an arrival anywhere else is a transit scan.
        ("Arrived at the sorting centre", None),
        ("Angekommen im Verteilzentrum", None),
        ("Aangekomen in het sorteercentrum", None),
        ("Saapunut lajittelukeskukseen", None),
        ("Прибыло в сортировочный центр", None),
    ],
)
def test_an_arrival_says_where(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delivery not attempted", "delivery_exception"),
        ("Delivery to the address not attempted", "delivery_exception"),
        ("Collection failed, no new attempt", "delivery_exception"),
        ("Delivery attempted", "delivery_attempted"),
        ("Delivery attempted at the address", "delivery_attempted"),
        # Not sorted is a problem with the parcel; sorted alone a transit scan.
        ("Shipment not sorted", "delivery_exception"),
        ("Sendung nicht sortiert", "delivery_exception"),
        ("Zending niet gesorteerd", "delivery_exception"),
        ("Shipment sorted", None),
        ("Sendung sortiert", None),
        # A closed business or reception is a failed attempt, in every language.
        ("Reception closed", "delivery_attempted"),
        ("Geschäft geschlossen", "delivery_attempted"),
        ("Winkel gesloten", "delivery_attempted"),
        ("Magasin fermé", "delivery_attempted"),
        ("Negozio chiuso", "delivery_attempted"),
    ],
)
def test_no_attempt_is_an_exception_and_closed_is_an_attempt(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your parcel is on its way to the addressee", "delivery_out_for_delivery"),
        ("Sendung ist unterwegs zum Empfänger", "delivery_out_for_delivery"),
        ("Colis en route vers le destinataire", "delivery_out_for_delivery"),
        ("Paquete en camino hacia el destinatario", "delivery_out_for_delivery"),
        ("Przesyłka w drodze do adresata", "delivery_out_for_delivery"),
        ("Посылка в пути к получателю", "delivery_out_for_delivery"),
        ("Zásilka je na cestě k příjemci", "delivery_out_for_delivery"),
        # Near misses: underway anywhere else is a transit scan.
        ("Your parcel is on its way to the next hub", None),
        ("Sendung ist unterwegs zum Verteilzentrum", None),
        ("Посылка в пути", None),
    ],
)
def test_underway_to_the_recipient_is_out_for_delivery(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Parcel missing at arrival", "delivery_exception"),
        ("Missing after loading", "delivery_exception"),
        ("Manco aankomst", "delivery_exception"),
        # Near miss: missing alone is a loss.
        ("Parcel missing", "exception_lost"),
        ("Manco", "exception_lost"),
    ],
)
def test_missing_at_a_handling_stage_is_a_shortage_not_a_loss(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Paket versandt nach Zielland", "transit_origin_country_departure"),
        ("Colis expédié vers le pays de destination", "transit_origin_country_departure"),
        ("Parcel dispatched to the destination country", "transit_origin_country_departure"),
        # Near misses: sent anywhere else is a transit scan.
        ("Sent to the hub", None),
        ("Paket versandt nach Leipzig", None),
    ],
)
def test_sent_to_the_destination_country_has_left_the_origin(text, expected):
    assert classify(text).status_code == expected
