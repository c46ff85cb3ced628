"""The upstreams' lean HTTP/1.1 client (``connectors/keepalive.py``) against a real aiohttp
server on 127.0.0.1: keep-alive reuse, chunked and compressed bodies, a connection the server
closed, a call cut short, and what it sends."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from shiptrack.couriers.connectors.fakesource import serve
from shiptrack.couriers.connectors.keepalive import MAX_BODY_BYTES, Origin
from shiptrack.couriers.connectors.protocol import CourierResponseInvalid, CourierUnavailable


def _app(seen: list[dict[str, object]]) -> web.Application:
    async def echo(request: web.Request) -> web.Response:
        seen.append(
            {
                "method": request.method,
                "path": request.raw_path,
                "headers": dict(request.headers),
                "body": await request.read(),
                "peer": request.transport.get_extra_info("sockname") if request.transport else None,
                "port": request.transport.get_extra_info("peername")[1]
                if request.transport
                else None,
            }
        )
        return web.json_response({"ok": True, "n": len(seen)}, headers={"Retry-After": "3"})

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for part in (b'{"parts": [', b"1, 2", b"]}"):
            await response.write(part)
        await response.write_eof()
        return response

    async def gzipped(request: web.Request) -> web.Response:
        return web.Response(
            body=gzip.compress(b'{"zipped": true}'),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    async def closing(request: web.Request) -> web.Response:
        return web.json_response({"bye": True}, headers={"Connection": "close"})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.json_response({})

    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * (MAX_BODY_BYTES + 10))

    app = web.Application()
    app.router.add_route("*", "/echo/{rest:.*}", echo)
    app.router.add_get("/chunked", chunked)
    app.router.add_get("/gzip", gzipped)
    app.router.add_get("/closing", closing)
    app.router.add_get("/slow", slow)
    app.router.add_get("/huge", huge)
    return app


@pytest.fixture
async def served() -> AsyncIterator[tuple[Origin, list[dict[str, object]]]]:
    seen: list[dict[str, object]] = []
    async with serve(_app(seen)) as url:
        origin = Origin(url, {"Authorization": "Bearer k", "Accept": "application/json"})
        try:
            yield origin, seen
        finally:
            origin.close()
            await asyncio.sleep(0)


async def test_requests_reuse_one_connection_and_send_what_was_asked(served) -> None:
    origin, seen = served
    first = await origin.request("GET", "/echo/a b", params={"tracking_numbers": "1,2"})
    second = await origin.request("POST", "/echo/post", body=b'{"x": 1}')
    assert (first.status, second.status) == (200, 200)
    assert second.body == b'{"ok": true, "n": 2}'
    assert first.headers.get("Retry-After") == first.headers.get("retry-after") == "3"
    assert seen[0]["path"] == "/echo/a%20b?tracking_numbers=1%2C2"
    assert seen[0]["method"] == "GET"
    assert seen[1]["method"] == "POST"
    assert seen[1]["body"] == b'{"x": 1}'
    headers = seen[1]["headers"]
    assert isinstance(headers, dict)
    assert headers["Authorization"] == "Bearer k"
    assert headers["Content-Length"] == "8"
    assert seen[0]["port"] == seen[1]["port"], "the second request reused the connection"
    assert len(origin.open) == 1
    assert len(origin.idle) == 1


async def test_concurrent_requests_open_connections_then_reuse_them(served) -> None:
    origin, seen = served
    for _ in range(2):
        answers = await asyncio.gather(*(origin.request("GET", "/echo/x") for _ in range(5)))
        assert all(a.status == 200 for a in answers)
    assert len({s["port"] for s in seen}) == 5
    assert len(origin.open) == 5


async def test_chunked_and_compressed_bodies_are_read_whole(served) -> None:
    origin, _ = served
    assert (await origin.request("GET", "/chunked")).body == b'{"parts": [1, 2]}'
    assert (await origin.request("GET", "/gzip")).body == b'{"zipped": true}'


async def test_a_connection_the_server_closes_is_not_reused(served) -> None:
    origin, _seen = served
    assert (await origin.request("GET", "/closing")).status == 200
    assert not origin.idle
    assert not origin.open
    assert (await origin.request("GET", "/echo/after")).status == 200


async def test_a_request_on_a_connection_closed_while_idle_is_sent_again(served) -> None:
    origin, seen = served
    await origin.request("GET", "/echo/1")
    idle = origin.idle[0]
    idle.closed = False  # the close has not been noticed yet when the request leaves
    assert idle.transport is not None
    idle.transport.close()  # the server's keep-alive ran out
    answer = await origin.request("GET", "/echo/2")
    assert answer.status == 200
    assert len(seen) == 2


async def test_a_call_cut_short_closes_its_connection(served) -> None:
    origin, _ = served
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2):
            await origin.request("GET", "/slow")
    assert not origin.idle
    assert not origin.open
    assert (await origin.request("GET", "/echo/next")).status == 200


async def test_an_oversized_body_is_refused(served) -> None:
    origin, _ = served
    with pytest.raises(CourierResponseInvalid):
        await origin.request("GET", "/huge")
    assert not origin.idle


async def test_no_server_is_a_courier_unavailable() -> None:
    origin = Origin("http://127.0.0.1:9", {})
    with pytest.raises(CourierUnavailable):
        await origin.request("GET", "/")


def test_a_header_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        Origin("https://api.example.com", {"Authorization": "Bearer k\r\nX-Evil: 1"})
    origin = Origin("https://api.example.com:8443/prefix/", {})
    assert origin.head("GET", "/a b\r\n", None, None).startswith(
        b"GET /prefix/a%20b%0D%0A HTTP/1.1\r\nHost: api.example.com:8443\r\n"
    )


def _certificate(directory, name: str) -> tuple[str, str]:
    """A self-signed certificate for ``localhost`` only (made by the openssl command)."""
    import subprocess

    cert, key = str(directory / f"{name}.pem"), str(directory / f"{name}.key")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", key, "-out", cert,
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
async def tls_server(tmp_path) -> AsyncIterator[tuple[int, str, str]]:
    """An HTTPS server on 127.0.0.1 with a certificate for ``localhost``; yields its port,
    that certificate, and another one it does not use."""
    import ssl

    cert, key = _certificate(tmp_path, "server")
    stranger, _ = _certificate(tmp_path, "stranger")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def hello(request: web.Request) -> web.Response:
        return web.json_response({"tls": request.secure})

    app = web.Application()
    app.router.add_get("/hello", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield port, cert, stranger
    finally:
        await runner.cleanup()


async def test_https_checks_the_certificate_and_the_host_name(tls_server, monkeypatch) -> None:
    port, cert, stranger = tls_server
    # The trust store is the system's (``ssl.create_default_context``), read from
    # SSL_CERT_FILE when it is set: here, trust the server's certificate alone.
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    trusted = Origin(f"https://localhost:{port}", {"Accept": "application/json"})
    try:
        first = await trusted.request("GET", "/hello")
        again = await trusted.request("GET", "/hello")
        assert first.status == again.status == 200
        assert first.body == b'{"tls": true}'
        assert len(trusted.open) == 1  # kept alive over TLS
    finally:
        trusted.close()
    # The same certificate, but the name asked for is not the one it was issued to.
    by_address = Origin(f"https://127.0.0.1:{port}", {})
    with pytest.raises(CourierUnavailable, match="mismatch"):
        await by_address.request("GET", "/hello")
    # A certificate nobody trusts.
    monkeypatch.setenv("SSL_CERT_FILE", stranger)
    untrusted = Origin(f"https://localhost:{port}", {})
    with pytest.raises(CourierUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        await untrusted.request("GET", "/hello")
