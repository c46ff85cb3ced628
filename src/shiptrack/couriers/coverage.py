"""Which data sources can track which couriers (a shiptrack extension; see ADR 0007).

A *source* is anything that turns tracking numbers into events: a carrier's own API, an
upstream tracking aggregator on the user's key, the sandbox. Each declares a ``SourceInfo``
(its courier codes, how to enable it) whether or not it is configured; the connectors the
process built say which ones are enabled. :class:`Coverage` joins the two, so an installation
can answer "who can track this courier here, and what would I configure to track it?".

Order of the sources for a courier, which is also the order in which they are asked:
carrier connectors first (the carrier's own API: free, most detailed), then aggregators,
then the sandbox; by name within a kind.

:func:`coverage_markdown` renders the same facts for ``docs/coverage.md`` from the sources
shiptrack itself ships, checked by a test as ``docs/configuration.md`` is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shiptrack.couriers import catalogue
from shiptrack.couriers.connectors.protocol import ConnectorInfo, SourceInfo
from shiptrack.couriers.sources import installed_sources

KIND_ORDER = {"carrier": 0, "aggregator": 1, "sandbox": 2}


@dataclass(frozen=True, slots=True)
class SourceState:
    """A source as this installation has it: declared, and enabled or not."""

    info: SourceInfo
    enabled: bool


def _ordered(sources: Iterable[SourceInfo]) -> list[SourceInfo]:
    return sorted(sources, key=lambda s: (KIND_ORDER[s.kind], s.name))


class Coverage:
    """The sources of one installation: every declared one, enabled where a connector runs.

    A connector running without a declaration (a plug-in without ``SOURCE``) still counts,
    as a carrier named after its source code, covering its ``ConnectorInfo`` codes.
    """

    def __init__(self, declared: Iterable[SourceInfo], running: Iterable[ConnectorInfo]) -> None:
        by_code = {s.source_code: s for s in declared}
        enabled: set[str] = set()
        for info in running:
            enabled.add(info.source_code)
            if info.source_code not in by_code:
                by_code[info.source_code] = SourceInfo(
                    name=info.source_code,
                    title=info.source_code,
                    kind="carrier",
                    source_code=info.source_code,
                    courier_codes=info.courier_codes,
                    enable="",
                )
        ordered = _ordered(by_code.values())
        self.sources = [SourceState(s, s.source_code in enabled) for s in ordered]
        self._by_courier: dict[str, list[SourceState]] = {}
        for state in self.sources:
            for code in state.info.courier_codes:
                self._by_courier.setdefault(code, []).append(state)

    def for_courier(self, courier_code: str) -> list[SourceState]:
        """The sources that could track this courier, in the order they are asked."""
        return self._by_courier.get(courier_code, [])


def source_json(state: SourceState, *, with_couriers: bool = False) -> dict[str, Any]:
    """A source as ``GET /sources`` and the courier view show it."""
    info = state.info
    item: dict[str, Any] = {
        "source": info.name,
        "name": info.title,
        "kind": info.kind,
        "sourceCode": info.source_code,
        "enabled": state.enabled,
        "enable": None if state.enabled or not info.enable else info.enable,
        "courierCount": len(info.courier_codes),
    }
    if with_couriers:
        item["courierCodes"] = sorted(info.courier_codes)
    return item


def courier_view_json(courier: catalogue.Courier, coverage: Coverage) -> dict[str, Any]:
    """Ship24's courier object plus what shiptrack adds: the carrier's tracking page template
    and the sources of this installation that could track the courier."""
    sources = coverage.for_courier(courier.code)
    return {
        **catalogue.courier_json(courier),
        "trackingUrl": courier.tracking_url,
        "trackable": any(s.enabled for s in sources),
        "sources": [source_json(s) for s in sources],
    }


def coverage_markdown(sources: Iterable[SourceInfo] | None = None) -> str:
    """``docs/coverage.md``'s generated part: shiptrack's own sources and what they cover,
    then the carriers' tracking pages (from the catalogue)."""
    declared = _ordered(installed_sources(own_only=True) if sources is None else sources)
    couriers = catalogue.all_couriers()
    covered = {code for s in declared for code in s.courier_codes}
    linked = [c for c in couriers if c.tracking_url]
    lines = [
        f"The catalogue holds **{len(couriers)}** couriers. Sources shipped with shiptrack "
        f"cover **{len(covered)}** of them; **{len(linked)}** have a link to the carrier's "
        "own tracking page.",
        "",
        "| Source | Kind | `sourceCode` | Couriers | To enable it |",
        "|---|---|---|---|---|",
    ]
    for s in declared:
        lines.append(
            f"| {s.title} (`{s.name}`) | {s.kind} | `{s.source_code}` | "
            f"{len(s.courier_codes)} | {s.enable} |"
        )
    lines += ["", "| Courier | Code | Sources, in the order they are asked |", "|---|---|---|"]
    for courier in couriers:
        if courier.code in covered:
            names = ", ".join(f"`{s.name}`" for s in declared if courier.code in s.courier_codes)
            lines.append(f"| {_cell(courier.name)} | `{courier.code}` | {names} |")
    lines += ["", "### Carrier tracking pages", ""]
    lines += ["| Courier | Code | Page for a number |", "|---|---|---|"]
    for courier in linked:
        lines.append(
            f"| {_cell(courier.name)} | `{courier.code}` | `{_cell(courier.tracking_url or '')}` |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
