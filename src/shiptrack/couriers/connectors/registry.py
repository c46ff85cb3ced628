"""The connector entry points and the set of connectors a process asks.

Factories are found through the ``shiptrack.connectors`` entry-point group (:data:`GROUP`;
shiptrack's own carriers are registered there too, in pyproject.toml), so a third-party
package adds a courier by declaring ``[project.entry-points."shiptrack.connectors"] mine =
"pkg:build"``. ``shiptrack.couriers.sources`` builds a process's connectors from them (the
built-in sandbox first) and lists the installed sources; :class:`ConnectorSet` chooses which
connectors to ask about a number.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from shiptrack.couriers.connectors.protocol import Connector

log = logging.getLogger("shiptrack.couriers")

GROUP = "shiptrack.connectors"


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

    def number_problems(self, number: str) -> list[tuple[str, str]]:
        """``(sourceCode, why)`` for each connector that recognises ``number`` as written in
        its own form but can never track it (``Connector.number_problem``), in asking order."""
        return [
            (connector.info.source_code, problem)
            for connector in self.connectors
            if (problem := connector.number_problem(number)) is not None
        ]

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
