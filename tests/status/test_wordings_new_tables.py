"""Wordings of the Hungarian, Czech, Turkish, Finnish, Danish and Norwegian carriers' tables.

Magyar Posta gives the reason an item could not be delivered in brackets after "nem
kézbesíthető": a move, an unknown recipient or a sender's recall send it back, a refusal is a
refusal, a faulty address or an obstacle is an exception, and only an absence stays an attempt.
"""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import classify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hungarian: the bracketed reason decides over "nem kézbesíthető".
        ("A küldemény nem kézbesíthető (címzett elköltözött)", "exception_return"),
        ("Nem kézbesíthető: címzett ismeretlen", "exception_return"),
        ("Nem kézbesíthető, a cég megszűnt", "exception_return"),
        ("Nem kézbesíthető (címzés hiányos)", "delivery_exception"),
        ("Kézbesítés akadályozott", "delivery_exception"),
        ("A címzett visszautasította az átvételt", "delivery_refused"),
        ("A küldemény nem kézbesíthető (címzett nem volt otthon)", "delivery_attempted"),
        # A payment to the sender is no return; a call is no problem.
        ("Utánvét összege a feladónak kifizetve", None),
        ("Telefonos egyeztetés a címzettel", None),
        ("Visszaküldve a feladónak", "exception_return"),
        ("A csomag kiadva a futárnak", "delivery_out_for_delivery"),
        ("Sikeresen kézbesítve", "delivery_delivered"),
        ("Futárrendelés beérkezett", "data_order_created"),
        ("Küldemény beszállítva a postára", None),
        # Finnish: a deviation is an exception; EDI data is the order, not the parcel.
        ("Poikkeama kirjattu lähetykselle", "delivery_exception"),
        ("Lähetys haettu lähettäjältä", "transit_handover"),
        ("EDI-tiedot vastaanotettu", "data_order_created"),
        # Turkish: not yet processed is the order; processed is the hand-over.
        ("Kargo işlem görmemiş", "data_order_created"),
        ("Kargo işlem gördü", "transit_handover"),
        ("Kargo teslimat şubesinde", None),
        # Czech: on the way back is a return; a forwarding says nothing of its own.
        ("Zásilka na cestě zpátky k odesílateli", "exception_return"),
        ("Dosílka zásilky na novou adresu", None),
        # Norwegian: arrived at a grocery pickup point is ready for pickup, at a terminal not.
        ("Sendingen er ankommet Rema 1000 Majorstuen", "delivery_available_for_pickup"),
        ("Sendingen er ankommet terminal", None),
        # Danish: "returneres" alone is a return.
        ("Pakken returneres", "exception_return"),
        # More reasons, and the sender's recall read from the sender word after the attempt.
        ("A küldemény nem kézbesíthető (a feladó visszakérte)", "exception_return"),
        ("A küldemény nem kézbesíthető (címzett elhunyt)", "exception_return"),
        ("A küldemény nem kézbesíthető (házszám nem létezik)", "delivery_exception"),
        ("A futár nem tudta kézbesíteni a csomagot", "delivery_attempted"),
        ("A címzett nem tartózkodott a címen", "delivery_attempted"),
        ("A csomag a feladóhoz visszaérkezett", "exception_return"),
        ("A csomagot a futár felvette", "transit_handover"),
        ("Beérkezett a Sameday csomagautomatába", "delivery_available_for_pickup"),
        ("A csomag beérkezett a depóba", None),
        ("Utánvét összege átutalva a feladónak", None),
        # A problem word next to the attempt makes it an exception; an absence stays an attempt.
        ("A küldemény nem kézbesíthető (hibás cím)", "delivery_exception"),
        ("Nem kézbesíthető, a kézbesítés akadályozott", "delivery_exception"),
        ("Nem kézbesíthető (címzett nincs otthon)", "delivery_attempted"),
        ("Nincs hely a csomagautomatában", "delivery_exception"),
        ("A csomagautomata megtelt", "delivery_exception"),
        ("A csomag átvehető a csomagautomatában", "delivery_available_for_pickup"),
        # Czech: a storage period run out goes back; a Z-BOX is a pickup place.
        ("Uplynula úložní doba", "exception_return"),
        ("Zásilka doručena do Z-BOXu", "delivery_available_for_pickup"),
        ("Zásilka vyzvednuta příjemcem", "delivery_delivered"),
        ("Adresát nebyl zastižen", "delivery_attempted"),
        ("Obdrženy elektronické údaje o zásilce", "data_order_created"),
        # Finnish: pre-advice is the order; handed to transport is a hand-over.
        ("Ennakkotieto vastaanotettu", "data_order_created"),
        ("Lähetys on luovutettu kuljetukseen", "transit_handover"),
        ("Lähetys on luovutettu vastaanottajalle", "delivery_delivered"),
        ("Lähetyksen toimitus myöhästyy", "delivery_exception"),
        # Finnish: picked up *from the sender* is a hand-over, picked up alone a delivery.
        ("Lähetys on noudettu lähettäjältä", "transit_handover"),
        ("Paketti noudettu lähettäjältä tänään", "transit_handover"),
        ("Lähetys on noudettu", "delivery_delivered"),
        ("Lähetystä ei noudettu määräaikaan mennessä", "exception_return"),
        ("Noutomuistutus lähetetty", "delivery_available_for_pickup"),
        # Turkish: the recipient collecting at the branch is a delivery; a transfer says nothing.
        ("Alıcı kargoyu şubeden teslim aldı", "delivery_delivered"),
        ("Kargo teslim alınmak üzere şubede bekletiliyor", "delivery_available_for_pickup"),
        ("Kargo devir yapıldı", None),
        ("Kargo yükleme yapıldı", None),
        # Swedish, Norwegian and Danish: pre-advice is the order; refusals; customs cleared.
        ("Elektronisk förhandsinformation har mottagits", "data_order_created"),
        ("Försändelsen har mottagits", "transit_handover"),
        ("Mottagaren har vägrat ta emot försändelsen", "delivery_refused"),
        ("Försändelsen har förtullats", "customs_cleared"),
        ("Försändelsen har lämnats utanför dörren", "delivery_delivered"),
        ("Melding om sending er mottatt", "data_order_created"),
        ("Sendingen er mottatt", "transit_handover"),
        ("Modtager nægtede at modtage pakken", "delivery_refused"),
        # Danish: a parcel shop named alone ranks below what happened there.
        ("Udleveret fra pakkeshop via app", "delivery_delivered"),
        ("Pakken er afhentet i pakkeshop", "delivery_delivered"),
        ("Pakken er indleveret i pakkeshop", "transit_handover"),
        ("Pakken er leveret til pakkeshop", "delivery_available_for_pickup"),
        ("Pakken er i pakkeshop", "delivery_available_for_pickup"),
        # Swedish and Norwegian.
        ("Försändelsen har kvitterats", "delivery_delivered"),
        ("Sendingen er klar for utlevering", "delivery_available_for_pickup"),
    ],
)
def test_new_table_wordings(text, expected):
    assert classify(text).status_code == expected
