"""Logs and metrics of real processes: ``shiptrack serve`` (one worker and several) and
``shiptrack worker``, over HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import orjson
import pytest
from tests.conftest import wait_for

pytestmark = pytest.mark.slow


def _json_lines(text: str) -> list[dict]:
    """Every log line; the API key banner (stdout, for people) is the only other output."""
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(orjson.loads(line))
        else:
            assert (
                "Created the default account" in line
                or "mode 0600" in line
                or (line.startswith("apik_"))
            ), line
    return lines


_wait_for = wait_for


def _sample(metrics: str, name: str, **labels: str) -> float | None:
    shown = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(shown) + r"\}" if labels else "") + r" (\S+)"
    match = re.search("^" + pattern + "$", metrics, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_serve_logs_json_lines_with_refreshes_and_access_lines_and_serves_metrics(
    tmp_path, server_factory
):
    server = server_factory(
        f"sqlite:///{tmp_path / 'shiptrack.db'}",
        env={"SHIPTRACK_LOG_JSON": "true", "SHIPTRACK_ACCESS_LOG": "true"},
    )
    key = (tmp_path / "shiptrack-api-key.txt").read_text().strip()
    created = httpx.post(
        f"{server.url}/public/v1/trackers",
        json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_123"},
        headers={"Authorization": f"Bearer {key}", "X-Request-Id": "req-logs-1"},
    )
    assert created.status_code == 201, created.text
    tracker_id = created.json()["data"]["tracker"]["trackerId"]

    def batch_line():
        return [
            line
            for line in _json_lines(server.output())
            if line["msg"] == "refresh batch" and line["new_events"] > 0
        ]

    # A check that found events is counted in its batch's line at INFO (decision 25); the
    # per-tracker line is DEBUG for such checks (INFO only for failures and stops).
    (batch,) = _wait_for(batch_line, "the refresh batch line")
    assert batch["logger"] == "shiptrack.engine"
    assert batch["level"] == "info"
    assert batch["trackers"] == 1
    assert batch["with_news"] == 1
    assert batch["errors"] == 0
    lines = _json_lines(server.output())
    own = [x for x in lines if x["msg"] == "refresh" and x.get("tracker") == tracker_id]
    assert not own
    messages = {line["msg"] for line in lines}
    assert {"engine started", "webhook dispatcher started", "Application startup complete."} <= (
        messages
    )
    (access,) = [line for line in lines if line.get("request_id") == "req-logs-1"]
    assert access["logger"] == "shiptrack.access"
    assert access["method"] == "POST"
    assert access["path"] == "/public/v1/trackers"
    assert access["status"] == 201
    assert access["ms"] > 0
    assert all("ts" in line and "level" in line for line in lines)
    assert key not in "\n".join(orjson.dumps(line).decode() for line in lines)

    # GET /metrics over HTTP: Prometheus' text format, with the engine's and the API's figures.
    scrape = httpx.get(f"{server.url}/metrics")
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain; version=")
    assert _sample(scrape.text, "shiptrack_refreshes_total", outcome="data") >= 1
    assert _sample(scrape.text, "shiptrack_events_discovered_total") > 0
    assert _sample(scrape.text, "shiptrack_http_requests_total", method="POST", status="201") == 1
    assert _sample(scrape.text, "shiptrack_due_backlog") is not None
    assert "# TYPE shiptrack_webhook_attempts_total counter" in scrape.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_worker(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "SHIPTRACK_DATABASE_URL": database_url,
        "SHIPTRACK_ENGINE_IDLE_POLL_SECONDS": "0.2",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "shiptrack", "worker", "--metrics-port", str(port)],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_serve_workers_and_a_dedicated_worker_each_report_their_metrics(
    database_url, tmp_path, server_factory
):
    postgres_url = database_url
    server = server_factory(postgres_url, workers=2, env={"SHIPTRACK_ENGINE_ENABLED": "false"})
    _wait_for(
        lambda: server.output().count("Application startup complete") >= 2, "both API workers"
    )
    metrics_port = _free_port()
    worker = _start_worker(postgres_url, metrics_port, tmp_path / "worker.log")
    try:
        # 40 requests on 40 connections opened together: the kernel spreads them over both
        # API workers' sockets (all on one: 2**-39).
        clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(40)]
        try:
            for client in clients:
                client.sendall(b"GET /no-such-page HTTP/1.1\r\nHost: x\r\n\r\n")
            for client in clients:
                assert client.recv(4096).startswith(b"HTTP/1.1 404")
        finally:
            for client in clients:
                client.close()
        # Whichever worker answers a scrape reports both workers' requests.
        for _ in range(6):
            with httpx.Client() as fresh:  # a new connection each time
                scrape = fresh.get(f"{server.url}/metrics").text
            assert (
                _sample(scrape, "shiptrack_http_requests_total", method="GET", status="404") == 40
            )

        key = (tmp_path / "shiptrack-api-key.txt").read_text().strip()
        created = httpx.post(
            f"{server.url}/public/v1/trackers",
            json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_123"},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert created.status_code == 201, created.text

        worker_url = f"http://127.0.0.1:{metrics_port}"

        def worker_refreshed():
            try:
                text = httpx.get(f"{worker_url}/metrics").text
            except httpx.HTTPError:
                return None
            count = _sample(text, "shiptrack_refreshes_total", outcome="data")
            # A refresh is counted as it is decided, its events once their transaction has
            # committed: a scrape in between sees the first without the second.
            discovered = _sample(text, "shiptrack_events_discovered_total")
            return text if count and count >= 1 and discovered else None

        scrape = _wait_for(worker_refreshed, "the worker's refresh and events in its metrics", 60)
        assert _sample(scrape, "shiptrack_events_discovered_total") > 0
        assert "# TYPE shiptrack_webhook_attempts_total counter" in scrape
        assert httpx.get(f"{worker_url}/healthz").json() == {"status": "ok"}
        assert httpx.get(f"{worker_url}/readyz").json() == {"status": "ok", "database": "ok"}
        # The API processes run no engine here: the refresh is the worker's alone.
        api_scrape = httpx.get(f"{server.url}/metrics").text
        assert _sample(api_scrape, "shiptrack_refreshes_total", outcome="data") is None
    finally:
        _stop(worker)
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()[-2000:]
