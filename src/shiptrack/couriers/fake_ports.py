"""Where ``shiptrack fake-couriers`` listens (apart from ``couriers/fakes.py``, so that the
CLI can show it without importing the fake servers)."""

from __future__ import annotations

#: The carriers, in port order: ``usps`` listens on the base port, ``ups`` on base + 1, …
CARRIERS: tuple[str, ...] = (
    "usps",
    "ups",
    "fedex",
    "dhl",
    "laposte",
    "inpost",
    "bring",
    "postnord",
    "auspost",
    "canadapost",
    "postnl",
    "royalmail",
    "purolator",
)
DEFAULT_BASE_PORT = 8801
