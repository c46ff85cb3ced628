"""Wordings of the languages other than English added in the twelfth round, with near misses.

Texts written for these tests in the carriers' style (La Poste, Colissimo, Poste Italiane, BRT,
Magyar Posta, Foxpost, PostNL, Correios, PostNord, Poczta Polska, Sameday, ELTA, Japanese and
Korean carriers and aggregators' translations, Russian Post, Nova Poshta, Chinese couriers).
"""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import classify


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        # French: an investigation is a problem with the parcel; an address the deliverer
        # could not reach is an exception (the English "pu", picked up, no longer answers).
        ("Votre colis fait l'objet d'une investigation", "delivery_exception", "fr."),
        ("Enquête en cours", "delivery_exception", "fr."),
        ("Le livreur n'a pas pu accéder à l'adresse", "delivery_exception", "fr."),
        ("Accès impossible au domicile du destinataire", "delivery_exception", "fr."),
        ("Commande en préparation chez le vendeur", "data_order_created", "fr."),
        # Italian: waiting for the courier's collection is order data; a parcel that "can be
        # collected" at a pickup place is ready there, not collected.
        ("In attesa di ritiro da parte del corriere", "data_order_created", "it."),
        (
            "La spedizione può essere ritirata presso l'ufficio postale",
            "delivery_available_for_pickup",
            "it.",
        ),
        ("Pacco da ritirare presso il Punto Poste", "delivery_available_for_pickup", "it."),
        ("Consegna prevista in giornata", "delivery_out_for_delivery", "it."),
        ("Spedizione ritirata dal destinatario", "delivery_delivered", "it."),
        # Hungarian: posted in a parcel locker is a hand-over; the recipient taking the parcel
        # (out of a locker, too) is a delivery.
        ("Feladva a Foxpost automatában", "transit_handover", "hu.handover"),
        (
            "A címzett átvette a csomagot az automatából",
            "delivery_delivered",
            "hu.delivered.collected",
        ),
        ("A csomagot a címzett átvette", "delivery_delivered", "hu."),
        ("A csomag átvehető a csomagautomatában", "delivery_available_for_pickup", "hu."),
        # Polish and Greek: leaving the country of posting.
        ("Wysłano z kraju nadania", "transit_origin_country_departure", "pl.origin"),
        ("Αναχώρηση από τη χώρα αποστολής", "transit_origin_country_departure", "el.origin"),
        ("Σε διαμετακόμιση", None, "el.scan.transit"),
        # Dutch: handed in by the sender is a hand-over; the recipient's own collection a
        # delivery; waiting for further handling says nothing of its own.
        ("Zending is afgeleverd bij DHL door de verzender", "transit_handover", "nl.handover"),
        ("Je hebt je pakket opgehaald", "delivery_delivered", "nl.delivered.collected"),
        (
            "Zending afgehaald uit de PostNL pakketautomaat",
            "delivery_delivered",
            "nl.delivered.collected",
        ),
        ("Zending wacht op verdere verwerking", None, "nl.scan.transit"),
        ("Zending is bezorgd", "delivery_delivered", "nl.delivered"),
        # German: customs left behind is a clearance.
        ("Die Sendung hat den Zoll verlassen", "customs_cleared", "de.customs.cleared"),
        ("Die Sendung hat das Zollamt verlassen", "customs_cleared", "de.customs.cleared"),
        # Spanish, Portuguese, Romanian.
        (
            "Tu envío está disponible en el punto de recogida",
            "delivery_available_for_pickup",
            "es.pickup",
        ),
        ("Morador ausente", "delivery_attempted", "pt.attempted"),
        ("Reentrega agendada", "data_delivery_decided", "pt."),
        ("Cliente retirou a mercadoria", "delivery_delivered", "pt.delivered"),
        ("Coletul poate fi ridicat din easybox", "delivery_available_for_pickup", "ro.pickup"),
        ("Coletul a fost ridicat din easybox", "delivery_delivered", "ro."),
        # Swedish: a collection from the sender done or failed; lost; customs payment due,
        # customs stopping the parcel in any form of the verb.
        ("Upphämtning genomförd", "transit_handover", "sv.handover"),
        ("Upphämtning misslyckades", "delivery_exception", "sv.collection.failed"),
        ("Försändelsen har förlorats", "exception_lost", "sv.lost"),
        ("Väntar på tullbetalning", "customs_exception", "sv."),
        ("Försändelsen har stoppats i tullen", "customs_exception", "sv."),
        # Russian, Ukrainian, Chinese.
        ("Уничтожено таможней", "exception_discarded", "ru.discarded"),
        ("Прямує до одержувача", "delivery_out_for_delivery", "uk.out.for.delivery"),
        ("丢弃处理", "exception_discarded", "zh.discarded"),
        ("快件已离开转运中心", None, "zh.scan.transit"),
        ("等待快递员揽收", "data_order_created", "zh.order.created"),
    ],
)
def test_european_and_other_wordings(text, expected, rule):
    answer = classify(text)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Japanese: the recipient not at home, not delivered, not handed over are attempts; a
        # signed delivery or a hand-over a delivery; a recipient or address not found an
        # address problem (not an unregistered tracking number).
        ("受取人が家にいませんでした", "delivery_attempted"),
        ("配達されませんでした", "delivery_attempted"),
        ("ご不在のため、手渡しできませんでした", "delivery_attempted"),
        ("署名済みでお届けしました", "delivery_delivered"),
        ("お客様にお渡ししました", "delivery_delivered"),
        ("受取人によって拒否されました", "delivery_refused"),
        ("宛先が見つかりません", "delivery_exception"),
        ("受取人が見つかりませんでした", "delivery_exception"),
        ("伝票番号が見つかりません", None),
        # Korean: waybill printed is order data; picked up by the courier a hand-over; ready
        # to collect a pickup; not at home an attempt; an exception, customs detention, a
        # recipient or address not found.
        ("송장 출력", "data_order_created"),
        ("택배기사가 집하했습니다", "transit_handover"),
        ("수령할 준비가 되었습니다", "delivery_available_for_pickup"),
        ("수취인이 집에 없음", "delivery_attempted"),
        ("배송 예외", "delivery_exception"),
        ("세관에 억류되었습니다", "customs_exception"),
        ("주소를 찾을 수 없습니다", "delivery_exception"),
        ("목적지 국가에 도착", "destination_arrival"),
    ],
)
def test_japanese_and_korean_wordings(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French: handed to the carrier is a hand-over; leaving a site a transit scan; on the
        # way to a pickup place is no pickup yet; handed to the recipient at a pickup place a
        # delivery; a full pickup place a failed delivery; the deliverer arriving the round.
        ("Le colis a été remis au transporteur", "transit_handover"),
        ("Le colis a quitté l'installation", None),
        ("Le colis est prêt à être retiré", "delivery_available_for_pickup"),
        ("Colis en cours d'acheminement vers le Point Relais", None),
        ("Colis remis au destinataire en Point Relais", "delivery_delivered"),
        ("Colis remis au destinataire", "delivery_delivered"),
        ("Point Relais saturé", "delivery_exception"),
        ("Votre livreur arrive entre 10h et 11h", "delivery_out_for_delivery"),
        ("Colis disponible en Point Relais", "delivery_available_for_pickup"),
        # Italian, Polish, Hungarian, Greek aggregators' and postal wordings.
        ("Il pacco ha lasciato la struttura", None),
        ("Il pacco è stato ritirato dal Locker", "delivery_delivered"),
        ("Paczka opuściła placówkę", None),
        ("Wyjątek w doręczeniu", "delivery_exception"),
        ("Paczka nie została odebrana i wraca do Nadawcy", "exception_return"),
        ("Zmieniono adres doręczenia", "data_delivery_decided"),
        ("Kézbesítési kivétel", "delivery_exception"),
        ("A csomag vámkezelése megtörtént", "customs_cleared"),
        ("Csomag a GLS depóban", None),
        ("Ο μεταφορέας παρέλαβε το δέμα", "transit_handover"),
        ("Ο παραλήπτης παρέλαβε το δέμα", "delivery_delivered"),
        ("Εξαίρεση παράδοσης", "delivery_exception"),
        ("Το δέμα κρατείται από το τελωνείο", "customs_exception"),
        ("Το δέμα παραλήφθηκε από το locker", "delivery_delivered"),
        # Dutch, Japanese, Korean, Russian.
        ("Het pakket is onderweg voor bezorging", "delivery_out_for_delivery"),
        ("荷物が施設を出発しました", None),
        ("荷物は通関しました", "customs_cleared"),
        ("소포가 세관에 보류되었습니다", "customs_exception"),
        ("소포가 통관되었습니다", "customs_cleared"),
        ("Посылка получена в пункте выдачи", "delivery_delivered"),
        ("Посылка ожидает получения в пункте выдачи", "delivery_available_for_pickup"),
        ("Посылка не получена в пункте выдачи", None),
    ],
)
def test_aggregator_and_pickup_place_wordings(text, expected):
    assert classify(text).status_code == expected
