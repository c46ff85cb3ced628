"""Numbers detected as UPS Mail Innovations (Ship24 code ``ups-mail-innovations``) are routed
to the UPS connector, whose Track API answers them."""

from __future__ import annotations

from shiptrack.couriers.connectors.ups.client import UpsConnector
from shiptrack.couriers.detection import detect


def test_mail_innovations_numbers_reach_the_ups_connector() -> None:
    for number in ("MI26894912345678901234", "801234567890123456"):
        codes = [c.courier_code for c in detect(number)]
        assert "ups-mail-innovations" in codes, number
        assert UpsConnector.courier_codes & set(codes), number
    assert {"ups", "ups-mail-innovations"} == UpsConnector.courier_codes
