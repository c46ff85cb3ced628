"""Where ``shiptrack fake-couriers`` listens (apart from ``couriers/fakes/``, so that the CLI
can show it without importing the fake servers). The fakes themselves, and their port order,
are discovered from the carrier packages (``couriers/fakes/discovery.py``)."""

from __future__ import annotations

DEFAULT_BASE_PORT = 8801
