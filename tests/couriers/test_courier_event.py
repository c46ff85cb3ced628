"""``CourierEvent.with_courier`` keeps every other field (a field added to the event and
forgotten there would be lost from every pushed checkpoint)."""

from __future__ import annotations

import dataclasses

from shiptrack.couriers.connectors.protocol import CourierEvent


def test_with_courier_is_replace_of_the_courier_code_alone():
    values = {
        f.name: (index if f.type == "int | None" else f"value-{f.name}")
        for index, f in enumerate(dataclasses.fields(CourierEvent), start=1)
    }
    event = CourierEvent(**values)  # type: ignore[arg-type]
    moved = event.with_courier("us-post")
    assert moved == dataclasses.replace(event, courier_code="us-post")
    assert moved.courier_code == "us-post"
    assert {
        f.name for f in dataclasses.fields(CourierEvent) if getattr(moved, f.name) is None
    } == set()
