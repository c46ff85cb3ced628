"""One upstream event, normalised: the provider's code through its table, else the status
normaliser on the raw text (``fallback.decide``); the raw text and the provider's code are
kept on the event (``status``, ``carrier_status_code``)."""

from __future__ import annotations

from collections.abc import Mapping

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import logistics_datetime, text_value
from shiptrack.couriers.connectors.protocol import CourierEvent


def upstream_event(
    *,
    number: str,
    when: object,
    text: object,
    location: object,
    code: str | None,
    table: Mapping[str, str | None],
    table_name: str,
    courier_code: str,
    source_code: str,
    order: int,
) -> CourierEvent | None:
    """The event, or None when it has no readable date (nothing to place it in a timeline).

    ``table_name`` names the table in rule ids (``table:<table_name>:<code>``); ``code`` is
    the provider's own code of the event (a sub-status, a tag...).
    """
    occurred = logistics_datetime(when)
    if occurred is None:
        return None
    status = text_value(text)
    status_code, rule_id = decide(
        code in table,
        table.get(code or ""),
        text=status,
        courier_code=table_name,
        carrier_code=code,
    )
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=occurred,
        status=status,
        status_code=status_code,
        location=text_value(location),
        courier_code=courier_code,
        source_code=source_code,
        carrier_status_code=code,
        order=order,
        rule_id=rule_id,
    )
