"""Which fake carriers exist: found, never listed.

A carrier is one package under ``couriers/connectors/<carrier>/`` plus ONE entry point in the
``shiptrack.connectors`` group (``usps = "shiptrack.couriers.connectors.usps:build"``). The
connector registry loads that entry point's factory; this module looks in the same package for
a ``fake`` module exposing ``FAKE``, a :class:`~shiptrack.couriers.connectors.fakespec.FakeSpec`
(number format, status tables, credentials, app factory). A package without ``fake.py`` or
without ``FAKE`` has no fake server and is skipped; a ``fake`` module that fails to import is
an error (a broken fake should fail the tests that use it, not vanish).

Fakes are ordered by ``(FAKE.order, FAKE.name)``: the first listens on the base port, the next
on base + 1, and so on (USPS, UPS, FedEx, DHL, La Poste first, as before discovery).
"""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import entry_points

from shiptrack.couriers.connectors.fakespec import FakeSpec
from shiptrack.couriers.connectors.registry import GROUP


def _fake_of(package: str) -> FakeSpec | None:
    name = f"{package}.fake"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    spec = getattr(module, "FAKE", None)
    return spec if isinstance(spec, FakeSpec) else None


@functools.cache
def discover() -> dict[str, FakeSpec]:
    """Carrier name → its fake, in port order (every installed connector package with one)."""
    found = [
        spec for entry in entry_points(group=GROUP) if (spec := _fake_of(entry.module)) is not None
    ]
    names = [spec.name for spec in found]
    if len(set(names)) != len(names):
        raise RuntimeError(f"two fake carriers share a name: {sorted(names)}")
    return {spec.name: spec for spec in sorted(found, key=lambda s: (s.order, s.name))}
