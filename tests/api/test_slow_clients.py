"""``serve`` refuses huge request heads and drops slow or half-sent requests on time
(``api/protocol.py``), through a real server and raw sockets."""

from __future__ import annotations

import socket
import time

import httpx
import orjson
import pytest

pytestmark = pytest.mark.slow

LIMITS = {
    "SHIPTRACK_HTTP_MAX_HEADER_BYTES": "16384",
    "SHIPTRACK_HTTP_HEADER_TIMEOUT_SECONDS": "1",
    "SHIPTRACK_HTTP_BODY_TIMEOUT_SECONDS": "1",
}


def _read_until_closed(sock: socket.socket, seconds: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it did."""
    started = time.monotonic()
    sock.settimeout(seconds)
    received = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return received, time.monotonic() - started
        received += chunk




def _an_8_mib_header_is_refused_with_431_and_the_connection_closed(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        chunk = b"X-Filler: " + b"a" * 65_000 + b"\r\n"
        sent = 0
        try:
            while sent < 8 * 1024 * 1024:
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed by the server while we were still sending: what we want
        try:
            answer, _ = _read_until_closed(sock, 5)
        except ConnectionResetError:
            answer = b""
    assert sent < 8 * 1024 * 1024 or answer  # refused early, or at least answered
    if answer:
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 431")
        assert orjson.loads(body)["errors"][0]["code"] == "request_header_too_large"
    # The server is fine for everyone else.
    assert httpx.get(f"{server.url}/healthz").status_code == 200


def _a_header_under_the_limit_is_served(server):
    response = httpx.get(f"{server.url}/healthz", headers={"X-Filler": "a" * 8000})
    assert response.status_code == 200


def _a_half_sent_request_head_is_dropped_within_the_configured_time(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # no blank line: never ends
        answer, waited = _read_until_closed(sock, 10)
    assert answer.startswith(b"HTTP/1.1 408")
    assert 0.9 <= waited < 3.0


def _a_connection_that_sends_nothing_is_dropped(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        answer, waited = _read_until_closed(sock, 10)
    assert answer.startswith(b"HTTP/1.1 408")
    assert waited < 3.0


def _a_stalled_request_body_is_dropped_within_the_configured_time(server):
    key = (server.log.parent / "shiptrack-api-key.txt").read_text().strip()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(
            b"POST /public/v1/trackers HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + key.encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            b'{"trackingNu'
        )
        _answer, waited = _read_until_closed(sock, 10)
    assert 0.9 <= waited < 3.0


def _a_slow_but_steady_body_is_read_in_full(server):
    """The body timeout is a pause between parts, not a limit on the whole body."""
    key = (server.log.parent / "shiptrack-api-key.txt").read_text().strip()
    body = b'{"trackingNumber": "SLOWBODY123456"}'
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(
            b"POST /public/v1/trackers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Authorization: Bearer " + key.encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
        )
        for part in (body[:12], body[12:24], body[24:]):
            time.sleep(0.6)
            sock.sendall(part)
        answer, _ = _read_until_closed(sock, 10)
    assert answer.startswith(b"HTTP/1.1 201"), answer[:200]


def test_huge_slow_and_half_sent_requests_are_refused_or_dropped_on_time(
    tmp_path, server_factory
):
    # One server for every case (starting one costs seconds on a busy machine).
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}", env=LIMITS)
    _an_8_mib_header_is_refused_with_431_and_the_connection_closed(server)
    _a_header_under_the_limit_is_served(server)
    _a_half_sent_request_head_is_dropped_within_the_configured_time(server)
    _a_connection_that_sends_nothing_is_dropped(server)
    _a_stalled_request_body_is_dropped_within_the_configured_time(server)
    _a_slow_but_steady_body_is_read_in_full(server)
