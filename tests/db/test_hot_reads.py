"""The API's hottest reads (a tracker, and its results, by id) on the driver itself.

On PostgreSQL it runs on an asyncpg pool of its own (``db/pgread.py``): the answer must be
the one the SQLAlchemy path gives, byte for byte, and a connection PostgreSQL drops (a
restart) must cost a retry or a quick 503 in the API's error format, never a hang.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from tests.conftest import ApiClient, _client_for, make_settings

from shiptrack.accounts import service as accounts
from shiptrack.app import create_app, services_of
from shiptrack.db.tables import trackers
from shiptrack.trackers import presenter, repository


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # No engine: a check landing between the two reads compared would change the answer.
    return {"engine_enabled": False}


async def _results_both_ways(client: ApiClient, tracker_id: str) -> tuple[bytes, bytes]:
    """The results as the API serves them (the hot read) and as the SQLAlchemy path reads
    the same tracker, rendered by the same presenter."""
    served = await client.get(f"/trackers/{tracker_id}/results")
    assert served.status_code == 200, served.text
    db = services_of(client.app).db  # type: ignore[arg-type]
    async with db.read() as conn:
        row = await repository.tracker_with_results(
            conn, client.account_id, tracker_id, by_client_id=False
        )
    return served.content, presenter.trackings_body([row])


async def _tracker_both_ways(client: ApiClient, tracker_id: str) -> tuple[bytes, bytes]:
    """``GET /trackers/{id}`` as served (on the driver) and as SQLAlchemy reads it."""
    served = await client.get(f"/trackers/{tracker_id}")
    assert served.status_code == 200, served.text
    db = services_of(client.app).db  # type: ignore[arg-type]
    async with db.read() as conn:
        row = await repository.get_tracker(
            conn, client.account_id, tracker_id, by_client_id=False, columns=[trackers]
        )
    return served.content, presenter.tracker_body(row)


async def test_the_hot_read_answers_what_the_sqlalchemy_path_reads(client: ApiClient) -> None:
    with_results = await client.post(
        "/trackers/track",
        json={
            "trackingNumber": "SHIP24_SAMPLE_DELIVERED_123",
            "clientTrackerId": "order-é-1",
            "courierCode": ["dhl", "ups"],
        },
    )
    without = await client.post("/trackers", json={"trackingNumber": "SBX-OC-1M-DL"})
    assert with_results.status_code == 201, with_results.text
    assert without.status_code == 201, without.text
    for tracker_id in (
        with_results.json()["data"]["trackings"][0]["tracker"]["trackerId"],
        without.json()["data"]["tracker"]["trackerId"],
    ):
        served, read = await _results_both_ways(client, tracker_id)
        assert served == read
        served, read = await _tracker_both_ways(client, tracker_id)
        assert served == read
    events = with_results.json()["data"]["trackings"][0]["events"]
    assert events, "the sample journey has events: the comparison covers stored results"
    for path in (
        "/trackers/01HZZZZZZZZZZZZZZZZZZZZZZZ",
        "/trackers/01HZZZZZZZZZZZZZZZZZZZZZZZ/results",
    ):
        missing = await client.get(path)
        assert missing.status_code == 404
        assert missing.json()["errors"][0]["code"] == "tracker_not_found"


def _postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the asyncpg read pool is PostgreSQL's")


async def test_connections_postgresql_drops_are_replaced(client: ApiClient, database_url: str):
    """``pg_terminate_backend`` is what a restart does to every connection: the next read
    finds its pooled connection gone, and is retried on a new one."""
    _postgres_only(database_url)
    created = await client.post("/trackers", json={"trackingNumber": "SBX-OC-1M-DL"})
    tracker_id = created.json()["data"]["tracker"]["trackerId"]
    assert created.status_code == 201, created.text
    first = await client.get(f"/trackers/{tracker_id}/results")
    assert first.status_code == 200
    admin = await asyncpg.connect(database_url)
    try:
        for _ in range(3):
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND query LIKE 'SELECT t.id, t.tracking_number%'"
            )
            assert killed >= 1, "the hot read's connection was found and dropped"
            served, read = await _results_both_ways(client, tracker_id)
            assert served == read
    finally:
        await admin.close()


class _Proxy:
    """A TCP relay to PostgreSQL that can be cut (every connection closed, the port refusing
    new ones, as while PostgreSQL restarts) and restored on the same port."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        self._writers.clear()
        await self._server.wait_closed()


@pytest.fixture
async def proxied(database_url: str) -> AsyncIterator[tuple[ApiClient, _Proxy]]:
    _postgres_only(database_url)
    url = make_url(database_url)
    proxy = _Proxy(url.port or 5432)
    await proxy.start()
    through = url.set(port=proxy.port).render_as_string(hide_password=False)
    app = create_app(make_settings(through))
    async with app.router.lifespan_context(app):
        new = await accounts.create_account(services_of(app).db, "acme")
        async with await _client_for(app, new.key, new.account.id) as client:
            yield client, proxy
    await proxy.cut()


async def test_postgresql_down_answers_503_at_once_and_up_again_200(proxied) -> None:
    client, proxy = proxied
    created = await client.post("/trackers", json={"trackingNumber": "SBX-OC-1M-DL"})
    tracker_id = created.json()["data"]["tracker"]["trackerId"]
    before = await client.get(f"/trackers/{tracker_id}/results")
    assert before.status_code == 200

    await proxy.cut()
    began = time.monotonic()
    down = await client.get(f"/trackers/{tracker_id}/results")
    assert time.monotonic() - began < 3, "no hang while PostgreSQL is away"
    assert down.status_code == 503, down.text
    assert down.headers["retry-after"] == "1"
    assert down.json() == {
        "errors": [
            {
                "code": "database_unavailable",
                "message": "The database did not answer (it may be restarting). Retry in a moment.",
            }
        ],
        "data": None,
    }

    await proxy.start()  # PostgreSQL is back, on the same address
    after = await client.get(f"/trackers/{tracker_id}/results")
    assert after.status_code == 200, after.text
    assert after.json()["data"]["trackings"][0]["tracker"]["trackerId"] == tracker_id
