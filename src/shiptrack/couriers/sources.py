"""The sources of this process: the built-in sandbox plus every installed connector factory.

:func:`load_connectors` builds the configured connectors (the sandbox first, then each
``shiptrack.connectors`` entry point in name order). A factory returns ``None`` when its
connector is not configured; a factory that raises is logged and skipped, never fatal. The
module an entry point names also exposes ``SOURCE``, a ``SourceInfo`` saying what the source
could track once configured (:func:`installed_sources`).

It lives beside ``connectors/`` and ``sandbox/`` rather than in ``connectors/registry.py``
because it joins the two: the sandbox is a connector (it imports the connector protocol),
so the registry importing the sandbox back made ``connectors`` and ``sandbox`` a cycle.
"""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from shiptrack.config import Settings
from shiptrack.couriers.connectors.protocol import Connector, SourceInfo
from shiptrack.couriers.connectors.registry import GROUP
from shiptrack.couriers.sandbox.connector import SOURCE as SANDBOX_SOURCE
from shiptrack.couriers.sandbox.connector import build_sandbox_connector

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger("shiptrack.couriers")


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
