"""``api.protocol.OneWriteCycle``: a response's head leaves with its first body part, in one
transport write, through uvicorn's own request-response cycle."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import pytest
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import RequestResponseCycle

from shiptrack.api.protocol import OneWriteCycle


class RecordingTransport:
    """A transport that records each write and whether it was closed."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


def _cycle(cls: type, method: str = "GET", keep_alive: bool = True) -> Any:
    transport = RecordingTransport()
    cycle = cls(
        scope={"type": "http", "method": method, "http_version": "1.1"},
        transport=transport,
        flow=FlowControl(transport),
        logger=logging.getLogger("test"),
        access_logger=logging.getLogger("test"),
        access_log=False,
        default_headers=[],
        message_event=asyncio.Event(),
        expect_100_continue=False,
        keep_alive=keep_alive,
        on_response=lambda: None,
    )
    return cycle, transport


START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json"), (b"content-length", b"11")],
}
BODY = {"type": "http.response.body", "body": b'{"data":{}}'}


async def _answer(cls: type, method: str = "GET", keep_alive: bool = True) -> RecordingTransport:
    cycle, transport = _cycle(cls, method, keep_alive)
    await cycle.send(START)
    await cycle.send(BODY)
    assert cycle.response_complete
    return transport


async def test_head_and_body_leave_in_one_write_with_the_same_bytes_as_uvicorn():
    ours = await _answer(OneWriteCycle)
    uvicorns = await _answer(RequestResponseCycle)
    assert len(uvicorns.writes) == 2
    assert ours.writes == [b"".join(uvicorns.writes)]
    assert ours.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert ours.writes[0].endswith(b'\r\n\r\n{"data":{}}')


async def test_a_closing_connection_gets_the_whole_answer_before_the_close():
    transport = await _answer(OneWriteCycle, keep_alive=False)
    assert len(transport.writes) == 1
    assert b"connection: close\r\n" in transport.writes[0]
    assert transport.writes[0].endswith(b'{"data":{}}')
    assert transport.closed


async def test_a_head_request_is_answered_its_head_at_once():
    transport = await _answer(OneWriteCycle, method="HEAD")
    assert len(transport.writes) == 1
    assert transport.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert transport.writes[0].endswith(b"\r\n\r\n")


async def test_a_streamed_body_sends_the_head_with_its_first_part_only():
    cycle, transport = _cycle(OneWriteCycle)
    await cycle.send({"type": "http.response.start", "status": 200, "headers": []})
    assert transport.writes == []
    await cycle.send({"type": "http.response.body", "body": b"ab", "more_body": True})
    await cycle.send({"type": "http.response.body", "body": b"cd", "more_body": False})
    assert len(transport.writes) == 2
    head, _, first = transport.writes[0].partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head
    assert first == b"2\r\nab\r\n"
    assert transport.writes[1] == b"2\r\ncd\r\n0\r\n\r\n"


@pytest.mark.slow
def test_a_real_server_answers_kept_alive_and_pipelined_requests_whole(tmp_path, server_factory):
    """Through ``shiptrack serve``: requests on one connection, the last two pipelined, are
    each answered once and whole, in order."""
    server = server_factory(f"sqlite:///{tmp_path / 'one-write.db'}")
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        for _ in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while not answer.endswith(b'{"status":"ok"}'):
                chunk = sock.recv(65536)
                assert chunk, "connection closed"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
            assert answer.count(b"HTTP/1.1") == 1
        sock.sendall(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            + b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        answer = b""
        while answer.count(b"HTTP/1.1 200 OK") < 2:
            chunk = sock.recv(65536)
            assert chunk, "connection closed"
            answer += chunk
        first, _, second = answer.partition(b'{"status":"ok"}')
        assert first.startswith(b"HTTP/1.1 200 OK\r\n")
        assert second.startswith(b"HTTP/1.1 200 OK\r\n")
        assert second.endswith(b"\r\n\r\n")
