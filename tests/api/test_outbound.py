"""The outbound aiohttp session (``shiptrack.outbound``): opened on its first use, so a serve
worker that answers only API reads never imports aiohttp (docs/decisions/0030)."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import httpx
import pytest
from tests.conftest import wait_for

from shiptrack.outbound import OutboundSession, outbound_session


def _worker_pids(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


async def test_the_session_is_opened_by_its_first_use_with_the_options_given():
    lazy = OutboundSession(headers={"User-Agent": "shiptrack/test"}, limit=7, ttl_dns_cache=30)
    assert not lazy.opened
    assert not lazy.closed
    get = lazy.get  # any attribute of the session opens it
    assert lazy.opened
    session = lazy.session()
    assert isinstance(session, aiohttp.ClientSession)
    assert get == session.get
    assert session.headers["User-Agent"] == "shiptrack/test"
    assert session.connector is not None
    assert session.connector.limit == 7
    await lazy.close()
    assert lazy.closed
    assert session.closed


async def test_closing_a_session_never_used_opens_none_and_it_cannot_be_used_after():
    lazy = OutboundSession(headers={}, limit=1, ttl_dns_cache=1)
    await lazy.close()
    assert lazy.closed
    assert not lazy.opened
    with pytest.raises(RuntimeError, match="closed"):
        lazy.post  # noqa: B018 (the attribute is the use)


async def test_requests_go_through_the_session_it_stands_for(aiohttp_server_url):
    session = outbound_session(headers={"User-Agent": "shiptrack/test"}, limit=4, ttl_dns_cache=1)
    try:
        async with session.get(aiohttp_server_url) as response:
            assert response.status == 200
            assert await response.text() == "shiptrack/test"
    finally:
        await session.close()
    assert session.closed


@pytest.fixture
async def aiohttp_server_url():
    """A local HTTP server answering every GET with the request's User-Agent."""
    from aiohttp import web

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=request.headers.get("User-Agent", ""))

    app = web.Application()
    app.router.add_get("/", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/"
    await runner.cleanup()


def test_a_serve_worker_answering_reads_has_not_imported_aiohttp_or_yarl(
    tmp_path, server_factory
):
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}", workers=2)
    key = wait_for(lambda: (tmp_path / "shiptrack-api-key.txt").exists(), "the default key")
    assert key
    api_key = (tmp_path / "shiptrack-api-key.txt").read_text().strip()
    headers = {"Authorization": f"Bearer {api_key}"}
    for _ in range(20):  # reach both workers
        assert httpx.get(server.url + "/readyz", timeout=5).status_code == 200
        got = httpx.get(server.url + "/public/v1/trackers/nope/results", headers=headers, timeout=5)
        assert got.status_code == 404
    workers = _worker_pids(server.process.pid)
    assert len(workers) == 2
    for worker in workers:
        mapped = Path(f"/proc/{worker}/maps").read_text()
        assert "uvloop" in mapped  # the maps are the serving worker's
        assert "sqlalchemy" in mapped or "_sqlite3" in mapped
        for library in ("aiohttp", "yarl", "multidict"):
            assert f"/{library}/" not in mapped, library
