"""European carriers' wordings added in the eleventh round, with their near misses.

Texts written for these tests in the carriers' style (PostNL, GLS, DAO/PostNord freight,
Correios, CTT Express, BRT, DHL Parcel Polska, Česká pošta): a collection from the sender
that failed is an exception, not an attempt or a hand-over; a postponed delivery is an
exception; a recipient's reception that was closed is an attempt at GLS Romania, where other
"not delivered" reasons are exceptions.
"""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import classify


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        ("Intento de recogida fallido", "delivery_exception", "es.collection.failed"),
        ("No se pudo recoger el envío", "delivery_exception", "es.collection.failed"),
        ("Coleta não realizada", "delivery_exception", "pt.collection.failed"),
        ("Tentativa de coleta sem sucesso", "delivery_exception", "pt.collection.failed"),
        ("Abholung nicht erfolgreich", "delivery_exception", "de.collection.failed"),
        ("Abholung beim Versender gescheitert", "delivery_exception", "de.collection.failed"),
        ("Ophaalopdracht niet uitgevoerd", "delivery_exception", "nl.collection.failed"),
        ("Ophalen niet gelukt", "delivery_exception", "nl.collection.failed"),
        ("Nieudany odbiór od nadawcy", "delivery_exception", "pl.collection.failed"),
        # Near misses: the collection done is a hand-over, a delivery that failed an attempt.
        ("Recogida realizada", "transit_handover", "es.handover"),
        ("Coleta realizada", "transit_handover", "pt.handover"),
        ("Abholung erfolgreich", "transit_handover", "de.handover"),
        ("Afhaalopdracht gecollecteerd", "transit_handover", "nl.handover"),
        ("Entrega fallida", "delivery_attempted", "es."),
    ],
)
def test_a_failed_collection_from_the_sender_is_an_exception(text, expected, rule):
    answer = classify(text)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zustellung verschoben", "delivery_exception"),
        ("Entrega aplazada", "delivery_exception"),
        ("Consegna posticipata", "delivery_exception"),
        ("Consegna rinviata su richiesta del destinatario", "delivery_exception"),
        ("Doręczenie przełożone na jutro", "delivery_exception"),
        ("Je zending kan niet worden bezorgd", "delivery_exception"),
        ("Zending kan niet worden afgeleverd", "delivery_exception"),
        # Near miss: not delivered (this time) is an attempt.
        ("Zending niet bezorgd, adres onbekend", "delivery_attempted"),
    ],
)
def test_postponed_or_undeliverable_is_an_exception(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "courier", "expected"),
    [
        ("Nu s-a livrat — recepția închisă", "gls-ro", "delivery_attempted"),
        ("Nu s-a livrat — recepție închisă la ora livrării", "gls-ro", "delivery_attempted"),
        ("Nu s-a livrat — timp insuficient", "gls-ro", "delivery_exception"),
        (
            "Colet reținut în depozit — documente de transport incomplete",
            None,
            "delivery_exception",
        ),
        ("Coletul a fost livrat la recepție", None, "delivery_delivered"),
    ],
)
def test_romanian_reception_and_incomplete(text, courier, expected):
    assert classify(text, courier_code=courier).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Partial deliveries are deliveries; sent back is a return.
        ("Teilzustellung", "delivery_delivered"),
        ("Teillieferung erfolgt", "delivery_delivered"),
        ("Envío entregado parcialmente", "delivery_delivered"),
        ("Sendung geht zurück zum Absender", "exception_return"),
        ("Envío mal encaminado", "delivery_exception"),
        # The recipient collected it at a pickup place: a delivery; waiting there: a pickup.
        ("Hentet i pakkeshop", "delivery_delivered"),
        ("Pakken er hentet af modtageren", "delivery_delivered"),
        ("Klar til afhentning i pakkeshop", "delivery_available_for_pickup"),
        ("Mercadoria retirada pelo cliente na unidade", "delivery_delivered"),
        ("Aguardando retirada pelo cliente", "delivery_available_for_pickup"),
        ("Házhoz szállítottuk", "delivery_delivered"),
        # The courier collected it from the sender: a hand-over; the recipient: a delivery.
        ("Spedizione ritirata dal corriere", "transit_handover"),
        ("Spedizione ritirata dal destinatario", "delivery_delivered"),
        ("Mamy Twoją przesyłkę", "transit_handover"),
        ("Carteiro não foi atendido", "delivery_attempted"),
        ("Forsendelsen genkøres i dag", "delivery_out_for_delivery"),
        # Order data: an invoice issued, an order received, a transport ordered.
        ("Nota fiscal emitida", "data_order_created"),
        ("Pedido recebido", "data_order_created"),
        ("Přeprava objednána", "data_order_created"),
        # Transit scans say nothing of their own.
        ("Overgivet til ekstern vognmand", None),
        ("Disponeret på bil", None),
        ("Paczka jest w drodze", None),
        ("Zásilka na cestě", None),
        ("Sendingen er underveis", None),
    ],
)
def test_european_carrier_wordings(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Held (wstrzymana) is a delivery exception; held at customs is a customs one.
        ("Doręczenie wstrzymane", "delivery_exception"),
        ("Wysyłka wstrzymana", "delivery_exception"),
        ("Przesyłka wstrzymana w odprawie celnej", "customs_exception"),
        # A business that closed down or a flooded area: the delivery cannot be made.
        ("Estabelecimento encerrou atividades no endereço", "delivery_exception"),
        ("Destinatario in zona alluvionata", "delivery_exception"),
        # A collection ordered from the carrier is order data.
        ("Vyzvednutí objednáno", "data_order_created"),
    ],
)
def test_held_closed_down_and_ordered(text, expected):
    assert classify(text).status_code == expected
