"""The client address behind a reverse proxy: taken from ``X-Forwarded-For`` only when the
connection comes from a trusted proxy (real server processes, real HTTP)."""

from __future__ import annotations

import httpx
import pytest

GUESS = {"Authorization": "Bearer apik_guessing_0000"}


def _statuses(server, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        return [
            http.get(
                "/public/v1/trackers", headers={**GUESS, "X-Forwarded-For": address}
            ).status_code
            for address in forwarded_for
        ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_forwarded_for_is_believed_only_from_trusted_proxies(database_url, server_factory):
    spread = [f"198.51.100.{n}" for n in range(1, 7)]
    limits = {"SHIPTRACK_AUTH_FAILURE_LIMIT": "3"}
    # Not trusted: every failure is the connection's own address, throttled after 3.
    untrusted = server_factory(
        database_url, env={**limits, "SHIPTRACK_FORWARDED_ALLOW_IPS": "192.0.2.1"}
    )
    assert _statuses(untrusted, spread) == [401, 401, 401, 429, 429, 429]
    untrusted.stop()
    # The proxy on 127.0.0.1 trusted: each forwarded client has its own budget...
    trusted = server_factory(
        database_url, env={**limits, "SHIPTRACK_FORWARDED_ALLOW_IPS": "127.0.0.1"}
    )
    assert _statuses(trusted, spread) == [401] * 6
    # ...and one forwarded client is throttled on its own.
    assert _statuses(trusted, ["198.51.100.9"] * 4) == [401, 401, 401, 429]
