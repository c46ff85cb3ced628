"""The status normaliser on hand-picked cases: negation, near misses, spelling, codes."""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import LANGUAGES, UNMATCHED, Classifier, classify
from shiptrack.status.classifier.rules import RuleFileError, RuleSet, parse_rules
from shiptrack.status.taxonomy import MILESTONES, STATUS_CODES, next_milestone


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Not delivered", "en"),
        ("Die Sendung konnte nicht zugestellt werden", "de"),
        ("Votre colis n'a pas pu être livré", "fr"),
        ("Zending is niet bezorgd", "nl"),
        ("El envío no ha sido entregado", "es"),
        ("Pacco non consegnato", "it"),
        ("Objeto não entregue ao destinatário", "pt"),
        ("Przesyłka nie doręczona", "pl"),
        ("Не удалось вручить", "ru"),
        ("未妥投", "zh"),
        ("Kunde inte levereras", "sv"),
        ("Teslim edilemedi", "tr"),
    ],
)
def test_a_negated_delivery_is_a_failed_attempt(text, language):
    result = classify(text)
    assert result.status_code == "delivery_attempted", result
    assert result.status_milestone == "failed_attempt"
    assert result.language == language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Delivered somewhere other than to the recipient is not "delivered".
        ("Delivered to the pickup point", "delivery_available_for_pickup"),
        ("Colis livré en point relais", "delivery_available_for_pickup"),
        ("Die Sendung wurde in die Packstation eingeliefert", "delivery_available_for_pickup"),
        ("Afgeleverd bij het servicepunt", "delivery_available_for_pickup"),
        ("Försändelsen har levererats till ett serviceställe.", "delivery_available_for_pickup"),
        ("Przesyłka dostarczona do paczkomatu", "delivery_available_for_pickup"),
        # Delivered back to the sender is a return.
        ("Delivered to sender", "exception_return"),
        ("Distribué à l'expéditeur", "exception_return"),
        ("Вручение отправителю", "exception_return"),
        ("Retour afzender", "exception_return"),
        ("Devuelto al remitente", "exception_return"),
        ("差出人に返送", "exception_return"),
        # An attempt is not a delivery.
        ("Delivery attempted", "delivery_attempted"),
        ("Tentative de livraison", "delivery_attempted"),
        ("Zustellversuch", "delivery_attempted"),
        ("Intento de entrega", "delivery_attempted"),
        ("Неудачная попытка вручения", "delivery_attempted"),
        ("Tentativa de entrega", "delivery_attempted"),
        # Customs: held is not cleared, cleared is not merely received.
        ("Held at customs", "customs_exception"),
        ("Customs cleared", "customs_cleared"),
        ("Retenu en douane", "customs_exception"),
        ("Sortie de douane", "customs_cleared"),
        ("Vom Zoll freigegeben", "customs_cleared"),
        ("Beim Zoll angehalten", "customs_exception"),
        ("Выпущено таможней", "customs_cleared"),
        ("Задержано таможней", "customs_exception"),
        ("海关放行", "customs_cleared"),
        ("海关扣留", "customs_exception"),
    ],
)
def test_near_misses(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    "text",
    ["DELIVERED", "delivered", "Livré", "LIVRE", "livre", "Doręczona", "doreczona", "ZUGESTELLT"],
)
def test_case_and_accents_do_not_matter(text):
    assert classify(text).status_code == "delivery_delivered"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vruchenie adresatu", "delivery_delivered"),  # Russian in Latin letters
        ("neudachnaya popytka vrucheniya", "delivery_attempted"),
        ("OFD", "delivery_out_for_delivery"),  # carriers' abbreviations
        ("POD", "delivery_delivered"),
        ("RTS", "exception_return"),
        ("ＤＥＬＩＶＥＲＥＤ", "delivery_delivered"),  # full-width letters
        ("配達 完了", "delivery_delivered"),  # CJK with or without spaces
        ("배달 완료", "delivery_delivered"),
    ],
)
def test_transliteration_abbreviations_and_widths(text, expected):
    assert classify(text).status_code == expected


def test_a_upu_code_decides_alone():
    result = classify("Arrived somewhere", carrier_status_code="emi")
    assert (result.status_code, result.rule_id, result.confidence) == (
        "delivery_delivered",
        "upu.EMI",
        1.0,
    )


def test_an_informational_scan_is_explained_but_has_no_code():
    result = classify("Arrived at facility")  # an arrival scan anywhere but a pickup place
    assert result.status_code is None
    assert result.status_milestone == "in_transit"
    assert result.rule_id == "en.scan.arrived"


def test_gibberish_is_unmatched():
    result = classify("qqq zzz 12345")
    assert (result.status_code, result.rule_id, result.confidence) == (None, UNMATCHED, 0.0)
    assert not result.matched


def test_a_language_hint_prefers_that_languages_rules():
    # "Transit" is informational in several languages; the hint names the one the text is in.
    assert classify("transit", language="fr").language == "fr"


def test_every_rule_maps_to_a_ship24_code_and_every_language_ships():
    classifier = Classifier()
    languages = {rule.language for rule in classifier.rules.rules.values()}
    assert languages == set(LANGUAGES)
    for rule in classifier.rules.rules.values():
        assert rule.status_code is None or rule.status_code in STATUS_CODES


def test_a_broken_rule_file_fails_loudly():
    with pytest.raises(RuleFileError, match="unknown statusCode"):
        parse_rules("en", "[x] delivery_teleported\nbeamed", RuleSet())
    with pytest.raises(RuleFileError, match="before any"):
        parse_rules("en", "delivered", RuleSet())


@pytest.mark.parametrize("milestone", [m for m in MILESTONES if m not in ("pending",)])
def test_a_late_informational_scan_never_moves_a_milestone_backwards(milestone):
    scan = classify("Departed facility")
    assert scan.status_code is None
    after = next_milestone(milestone, scan.status_code)
    assert after == ("in_transit" if milestone == "info_received" else milestone)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OFD", "delivery_out_for_delivery"),
        ("Out for dlvy", "delivery_out_for_delivery"),
        ("Attmpt failed", "delivery_attempted"),
        ("Cust. clrd", "customs_cleared"),
        ("Ret. to sender", "exception_return"),
        ("CNEE refused", "delivery_refused"),
    ],
)
def test_carriers_abbreviations(text, expected):
    result = classify(text)
    assert result.status_code == expected
    assert not result.rule_id.startswith("model.")  # a rule, not a guess


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("貨件已送達", "货件已送达"), ("收件人拒絕收件", "收件人拒绝收件")],
)
def test_traditional_and_simplified_chinese_are_one_text(traditional, simplified):
    assert classify(traditional) == classify(simplified)
    assert classify(traditional).matched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A conditional sentence describes no event: the parcel is waiting, not returned.
        (
            "If the parcel is not collected within 7 days, it will be returned to the sender. "
            "The parcel is waiting in the parcel locker.",
            "delivery_available_for_pickup",
        ),
        (
            "Falls die Sendung nicht abgeholt wird, geht sie an den Absender zurück. "
            "Die Sendung liegt zur Abholung bereit.",
            "delivery_available_for_pickup",
        ),
        (
            "Jeśli paczka nie zostanie odebrana, wróci do nadawcy. "
            "Paczka czeka na odbiór w paczkomacie.",
            "delivery_available_for_pickup",
        ),
        # Without the condition the same words are the event.
        ("The parcel will be returned to the sender.", "exception_return"),
        ("Die Sendung geht an den Absender zurück.", "exception_return"),
    ],
)
def test_a_conditional_sentence_describes_no_event(text, expected):
    assert classify(text).status_code == expected


def test_a_gap_never_reaches_across_a_clause_boundary():
    rule_set = RuleSet()
    parse_rules("en", "[x] delivery_delivered\nleft .. door\n[y] -\nleft", rule_set)
    classifier = Classifier(rule_set)
    assert classifier.classify("left at the door").rule_id == "en.x"
    assert classifier.classify("left at depot, door closed").rule_id == "en.y"
    assert classifier.classify("left at depot. Door closed").rule_id == "en.y"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Where a parcel was posted is not where it waits for the recipient.
        ("Paczka nadana w automacie Paczkomat", "transit_handover"),
        ("Zending past niet in de pakketautomaat", "delivery_exception"),
        # A place named alone, or what was put there, is still a pickup.
        ("Przesyłka w paczkomacie", "delivery_available_for_pickup"),
        ("Die Sendung wurde in die Packstation eingeliefert", "delivery_available_for_pickup"),
        ("Votre colis a été déposé dans un point relais", "delivery_available_for_pickup"),
    ],
)
def test_what_happened_at_a_pickup_place_outranks_the_place(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Delay and damage are notes on the event they accompany.
        ("Received by carrier, delayed", "transit_handover"),
        ("Delivered with damage", "delivery_delivered"),
        ("Shipment delayed", "delivery_exception"),
        # The specific phrase over the same words ("delivery not attempted" is no attempt).
        ("Delivery not attempted", "delivery_exception"),
    ],
)
def test_notes_and_the_more_specific_phrase(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Przesyłki doręczone", "pl"),
        ("Zásilky doručeny", "cs"),
        ("Entregadas", "es"),
        ("Посылки вручены адресатам", "ru"),
        ("Pakketten afgeleverd", "nl"),
        ("Lähetykset toimitettiin", "fi"),
    ],
)
def test_inflected_forms_of_delivered(text, language):
    result = classify(text)
    assert (result.status_code, result.language) == ("delivery_delivered", language), result


@pytest.mark.parametrize(
    "text",
    ["Обработка - Прибыло в место вручения", "Неудачная попытка вручения"],
)
def test_the_nouns_genitive_is_not_the_participle(text):
    # "вручения" (of delivery) is no "вручено" (delivered).
    assert classify(text).status_code != "delivery_delivered"


@pytest.mark.parametrize(
    ("text", "expected", "rule_id"),
    [
        # A delivery whose recipient is the sender, in the same clause, is a return...
        ("Zugestellt an Absender", "exception_return", "de.delivered.sender"),
        ("Consegnato al mittente", "exception_return", "it.delivered.sender"),
        ("Doręczono do nadawcy", "exception_return", "pl.delivered.sender"),
        ("Entregado a remitente", "exception_return", "es.delivered.sender"),
        ("Coletul a fost livrat expeditorului", "exception_return", "ro.delivered.sender"),
        ("Levererad till avsändaren", "exception_return", "sv.delivered.sender"),
        ("Toimitettu lähettäjälle", "exception_return", "fi.delivered.sender"),
        ("Παραδόθηκε στον αποστολέα", "exception_return", "el.delivered.sender"),
        # ...but a sender named in another clause or sentence is no recipient: the delivery
        # stands.
        ("Objeto entregue, remetente notificado", "delivery_delivered", "pt.delivered"),
        ("Objeto entregue. Remetente notificado", "delivery_delivered", "pt.delivered"),
        ("Zugestellt. Absender informiert", "delivery_delivered", "de.delivered"),
        ("Delivered, sender notified", "delivery_delivered", "en.delivered"),
    ],
)
def test_a_delivery_to_the_sender_is_a_return(text, expected, rule_id):
    result = classify(text)
    assert (result.status_code, result.rule_id) == (expected, rule_id), result
    assert result.status_milestone == next_milestone("in_transit", expected)


def test_sender_and_future_words_read_only_around_rules_that_declare_them():
    rule_set = RuleSet()
    parse_rules(
        "en",
        "@sender: sender\n@future: will\n[delivered] delivery_delivered\ndelivered\n"
        "[out] delivery_out_for_delivery +1 sender=exception_return fut=-\nout for delivery\n",
        rule_set,
    )
    classifier = Classifier(rule_set)
    assert classifier.classify("delivered to sender").status_code == "delivery_delivered"
    assert classifier.classify("will be delivered").status_code == "delivery_delivered"
    assert classifier.classify("out for delivery to sender").rule_id == "en.out.sender"
    assert classifier.classify("will be out for delivery").rule_id == "en.out.future"
    assert classifier.classify("will be out for delivery").status_code is None


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        # A delivery announced for later has not happened: informational...
        ("Il sera livré demain", "fr.delivered.future"),
        ("Votre colis devrait être livré demain", "fr.delivered.future"),
        ("Su envío será entregado mañana", "es.delivered.future"),
        ("La spedizione sarà consegnata domani", "it.delivered.future"),
        ("O objeto será entregue amanhã", "pt.delivered.future"),
        ("Die Sendung wird morgen zugestellt", "de.delivered.future"),
        ("Zending wordt morgen bezorgd", "nl.delivered.future"),
        ("Przesyłka zostanie doręczona jutro", "pl.delivered.future"),
    ],
)
def test_an_announced_delivery_is_no_delivery(text, rule_id):
    result = classify(text)
    assert (result.status_code, result.rule_id) == (None, rule_id), result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ...while the same participle after a past auxiliary, or with the future word in
        # another clause, is the delivery itself.
        ("Votre colis a été livré", "delivery_delivered"),
        ("Die Sendung wurde zugestellt", "delivery_delivered"),
        ("Zending is bezorgd", "delivery_delivered"),
        ("Przesyłka została doręczona", "delivery_delivered"),
        ("O objeto foi entregue", "delivery_delivered"),
        ("Sera remboursé, colis livré", "delivery_delivered"),
        # A negated future stays a failed attempt (negation reads first).
        ("Votre colis ne sera pas livré", "delivery_attempted"),
    ],
)
def test_a_past_delivery_is_not_announced(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("発送", "ja"), ("引受", "ja"), ("保管中", "ja"), ("已签收", "zh"), ("派送中", "zh")],
)
def test_han_characters_alone_name_japanese_when_its_rules_share_more_of_them(text, language):
    assert classify(text).language == language
