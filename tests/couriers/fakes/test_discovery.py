"""The fake carriers are found through the carriers' own entry points, not listed centrally."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from shiptrack.couriers.connectors.fakespec import FakeSpec
from shiptrack.couriers.connectors.registry import GROUP
from shiptrack.couriers.fakes import CARRIERS, discover, expressible


def test_every_own_carrier_package_with_a_fake_is_discovered_in_port_order() -> None:
    own = {e.name for e in entry_points(group=GROUP) if e.module.startswith("shiptrack.")}
    found = discover()
    assert {"usps", "ups", "fedex", "dhl", "laposte"} <= set(found) <= own
    assert CARRIERS[:5] == ("usps", "ups", "fedex", "dhl", "laposte")
    assert all(isinstance(spec, FakeSpec) and spec.name == name for name, spec in found.items())
    orders = [(spec.order, spec.name) for spec in found.values()]
    assert orders == sorted(orders)


@pytest.mark.parametrize("name", CARRIERS)
def test_each_fake_recognises_the_numbers_it_makes(name: str) -> None:
    spec = discover()[name]
    for selector in range(10):
        number = spec.make(12345 % spec.serials, selector)
        recognised = spec.recognise(number)
        assert recognised is not None, number
        assert recognised[0] in spec.courier_codes
        assert recognised[1] == selector
    assert spec.recognise("NOT-A-NUMBER") is None


@pytest.mark.parametrize("name", CARRIERS)
def test_each_fake_says_only_ship24_codes_of_its_own_tables(name: str) -> None:
    codes = expressible(name)
    assert codes, name
    assert all(code.islower() and " " not in code for code in codes)
