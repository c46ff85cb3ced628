"""A revoked API key stops working in every API process within ``auth_cache_seconds``.

Real processes: ``shiptrack serve`` with two workers (each with its own key cache, each on
its own socket), the key revoked from this test's process as ``shiptrack keys revoke`` does,
and every request on a new connection, so both workers answer.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from shiptrack.accounts import service
from shiptrack.db.engine import Database

pytestmark = pytest.mark.slow

CACHE_SECONDS = 1.5


def _status(url: str, key: str) -> int:
    with httpx.Client(timeout=10) as client:  # a new connection each time: either worker
        return client.get(url, headers={"Authorization": f"Bearer {key}"}).status_code


async def _revoke(database_url: str, prefix: str) -> None:
    db = Database(database_url)
    try:
        assert (await service.revoke_key(db, prefix)) is not None
    finally:
        await db.dispose()


def test_a_revoked_key_is_refused_by_every_worker_within_the_cache_time(tmp_path, server_factory):
    database_url = f"sqlite:///{tmp_path / 'shiptrack.db'}"
    server = server_factory(
        database_url,
        workers=2,
        env={
            "SHIPTRACK_AUTH_CACHE_SECONDS": str(CACHE_SECONDS),
            "SHIPTRACK_ENGINE_ENABLED": "0",
            # The loop below fails authentication hundreds of times from one address: without
            # a higher limit, the failure limit would answer 429 before the cache is proven.
            "SHIPTRACK_AUTH_FAILURE_LIMIT": "100000",
        },
    )
    key = (tmp_path / "shiptrack-api-key.txt").read_text().strip()
    url = f"{server.url}/public/v1/trackers"
    # Both workers have the key cached as valid: many connections, all accepted.
    assert {_status(url, key) for _ in range(40)} == {200}

    asyncio.run(_revoke(database_url, key[:11]))
    revoked_at = time.monotonic()

    answers: list[tuple[float, int]] = []
    while time.monotonic() < revoked_at + CACHE_SECONDS + 3.0:
        started = time.monotonic()
        answers.append((started - revoked_at, _status(url, key)))
    late = [status for after, status in answers if after > CACHE_SECONDS]
    assert len(late) >= 5, answers
    assert set(late) == {401}, [a for a in answers if a[0] > CACHE_SECONDS and a[1] != 401]
