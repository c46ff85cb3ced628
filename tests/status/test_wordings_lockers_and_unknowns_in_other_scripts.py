"""Eleventh round of status rules in Cyrillic, CJK, Arabic and Greek scripts: who took a
parcel out of a locker, a delivery on its way somewhere versus to the customer, arrival at the
sender's warehouse, anything "unknown" that keeps a parcel from its addressee."""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import classify


@pytest.mark.parametrize(
    ("text", "courier", "expected", "rule"),
    [
        # Taken out of a parcel locker: by the customer a delivery, otherwise the way back.
        ("Посылка изъята из постамата клиентом", "cdek-ru", "delivery_delivered", "ru."),
        ("Отправление изъято из постамата клиентом", None, "delivery_delivered", "ru.locker"),
        ("Изъято из постамата", None, "exception_return", "ru.locker"),
        ("Отправление изъято из постамата курьером", "cdek-ru", "exception_return", "ru."),
        # Arrival at the warehouse in the sender's city is the hand-over.
        ("Приход на склад в городе отправителе", "cdek-ru", "transit_handover", "ru.handover"),
        ("Оформлен приход груза на склад в городе-отправителе", None, "transit_handover", "ru."),
        # "Доставляется" alone is the way there; to the customer it is out for delivery.
        ("Доставляется", None, None, "ru.scan"),
        ("Посылка доставляется в пункт выдачи", None, None, "ru.scan"),
        ("Посылка доставляется до пункта выдачи", None, None, "ru.scan"),
        ("Отправление доставляется клиенту", None, "delivery_out_for_delivery", "ru."),
        ("Отправление доставляется получателю", None, "delivery_out_for_delivery", "ru."),
        ("Посылка доставляется курьером", None, "delivery_out_for_delivery", "ru."),
        # Handed to the customer is a delivery, handed to the courier out for delivery.
        ("Посылка передана клиенту", None, "delivery_delivered", "ru.delivered"),
        ("Посылка передана курьеру", None, "delivery_out_for_delivery", "ru."),
        # A deleted order is a cancelled one.
        ("Заказ удален", "cdek-ru", "data_order_cancelled", "ru.order.cancelled"),
        ("Накладная удалена", None, "data_order_cancelled", "ru.order.cancelled"),
    ],
)
def test_russian_wordings(text, courier, expected, rule):
    answer = classify(text, courier_code=courier)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Sent to a branch or a post office is a transit scan, not an arrival for pickup.
        ("Посилку відправлено до відділення №12", None),
        ("Відправлення до сортувального центру", None),
        ("Відправлено до країни призначення", "transit_origin_country_departure"),
        # The branch itself still waits for pickup once the parcel is there.
        ("Посилка прибула у відділення", "delivery_available_for_pickup"),
    ],
)
def test_ukrainian_sent_to_a_branch(text, expected):
    assert classify(text, courier_code="ua-post").status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An unknown address, addressee or destination outranks the attempt it ends.
        ("持戻（宛先不明）", "delivery_exception"),
        ("持ち戻り（受取人不明）", "delivery_exception"),
        ("持戻（あて所不明）", "delivery_exception"),
        ("お届け先不明のため持戻", "delivery_exception"),
        # Missing (行方不明) stays a loss; an absent recipient stays an attempt.
        ("荷物の行方不明", "exception_lost"),
        ("持戻（ご不在）", "delivery_attempted"),
    ],
)
def test_japanese_unknown_addressee(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        # Can now be collected (可领取) is ready for pickup, not the collection itself.
        ("包裹已可领取", "delivery_available_for_pickup", "zh.pickup"),
        ("您的包裹已到达快递柜，可以领取", "delivery_available_for_pickup", "zh.pickup"),
        ("快件已到驿站，可以取件", "delivery_available_for_pickup", "zh.pickup"),
        # Collected by the recipient (被收件人领取) is the delivery.
        ("包裹已被收件人领取", "delivery_delivered", "zh.delivered"),
        ("快件已被收件人取走", "delivery_delivered", "zh.delivered"),
        ("包裹已领取", "delivery_delivered", "zh.delivered"),
    ],
)
def test_chinese_collectable_versus_collected(text, expected, rule):
    answer = classify(text)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


def test_ukrainian_storage_ended_in_either_word_order_is_the_way_back():
    for text in ("Зберігання припинено", "Припинено зберігання"):
        assert classify(text, courier_code="ua-post").status_code == "exception_return"
