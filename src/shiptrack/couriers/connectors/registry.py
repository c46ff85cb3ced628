"""The connectors of this process: the built-in sandbox plus every installed factory.

Factories are found through the ``shiptrack.connectors`` entry-point group (shiptrack's own
carriers are registered there too, in pyproject.toml), so a third-party package adds a
courier by declaring ``[project.entry-points."shiptrack.connectors"] mine = "pkg:build"``.
A factory returns ``None`` when its connector is not configured; a factory that raises is
logged and skipped, never fatal. The module an entry point names also exposes ``SOURCE``, a
``SourceInfo`` saying what the source could track once configured (:func:`installed_sources`).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Sequence
from importlib.metadata import entry_points

import aiohttp

from shiptrack.config import Settings
from shiptrack.couriers.connectors.protocol import Connector, SourceInfo
from shiptrack.couriers.sandbox.connector import SOURCE as SANDBOX_SOURCE
from shiptrack.couriers.sandbox.connector import build_sandbox_connector

log = logging.getLogger("shiptrack.couriers")

GROUP = "shiptrack.connectors"


def load_connectors(settings: Settings, session: aiohttp.ClientSession) -> list[Connector]:
    connectors: list[Connector] = []
    if settings.sandbox_enabled:
        connectors.append(
            build_sandbox_connector(
                time_scale=settings.sandbox_time_scale, latency=settings.sandbox_latency
            )
        )
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            connector = entry.load()(settings, session)
        except Exception:
            log.exception("connector factory failed", extra={"connector": entry.name})
            continue
        if connector is not None:
            connectors.append(connector)
            log.info("connector enabled", extra={"connector": connector.info.source_code})
    return connectors


def installed_sources(*, own_only: bool = False) -> list[SourceInfo]:
    """Every source this installation could use, configured or not: the sandbox and the
    ``SOURCE`` of each entry point's module (``own_only``: shiptrack's own packages only, for
    the generated docs). A module without a ``SOURCE`` is skipped (it shows up once enabled,
    from its ``ConnectorInfo``); one that fails to import is logged and skipped."""
    sources = [SANDBOX_SOURCE]
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if own_only and not entry.module.startswith("shiptrack."):
            continue
        try:
            declared = vars(importlib.import_module(entry.module)).get("SOURCE")
        except Exception:
            log.exception("source module failed to import", extra={"connector": entry.name})
            continue
        if isinstance(declared, SourceInfo):
            sources.append(declared)
    return sources


class ConnectorSet:
    """Chooses the connectors to ask about a tracking number."""

    def __init__(self, connectors: Iterable[Connector]) -> None:
        self.connectors = list(connectors)
        self._by_code: dict[str, list[Connector]] = {}
        for connector in self.connectors:
            for code in connector.info.courier_codes:
                self._by_code.setdefault(code, []).append(connector)

    def timeouts(self) -> dict[str, float]:
        """Each connector's call timeout in seconds, by source code."""
        return {c.info.source_code: c.info.timeout for c in self.connectors}

    def claiming(self, number: str) -> list[Connector]:
        """Connectors that recognise the number as their own (the sandbox's numbers)."""
        return [c for c in self.connectors if c.claims(number)]

    def for_codes(self, codes: Sequence[str]) -> list[Connector]:
        """Connectors answering for any of ``codes``, in the codes' order, without repeats."""
        chosen: list[Connector] = []
        for code in codes:
            for connector in self._by_code.get(code, ()):
                if connector not in chosen:
                    chosen.append(connector)
        return chosen

    async def aclose(self) -> None:
        for connector in self.connectors:
            try:
                await connector.aclose()
            except Exception:
                log.exception("connector close failed")
