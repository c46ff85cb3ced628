"""``shiptrack webhooks …``: settings, the delivery log, replay and test-send from the CLI."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiohttp
import pytest
from standardwebhooks import Webhook
from typer.testing import CliRunner
from webhook_helpers import fast_settings, new_account, new_journey

from shiptrack.cli.webhooks import webhooks_app
from shiptrack.config import get_settings
from shiptrack.db.engine import Database
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher


class _Sink:
    """A threaded receiver for the CLI's synchronous world; verifies with ``secret``."""

    def __init__(self) -> None:
        self.secret = ""
        self.verified: list[dict] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:
                self.send_response(200)
                self.end_headers()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                payload = Webhook(sink.secret).verify(body, dict(self.headers))
                assert self.headers["Authorization"] == f"Bearer {sink.secret}"
                sink.verified.append(payload)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def sink() -> Iterator[_Sink]:
    live = _Sink()
    yield live
    live.server.shutdown()
    live.server.server_close()


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("SHIPTRACK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(webhooks_app, list(args))
        return result

    yield invoke
    get_settings.cache_clear()


def _with_db(url, main):
    async def runner():
        db = Database(url)
        try:
            return await main(db)
        finally:
            await db.dispose()

    return asyncio.run(runner())


def test_settings_from_the_cli(cli, database_url, sink):
    account_id = _with_db(database_url, lambda db: new_account(db, "acme"))
    created = cli("set", "acme", "--url", sink.url, "--max-updates", "2")
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    sink.secret = secret

    shown = cli("show", account_id, "--reveal-secret")
    assert shown.exit_code == 0, shown.output
    assert sink.url in shown.output
    assert secret in shown.output
    assert "messages: pending 0" in shown.output

    sent = cli("test-send", "acme")
    assert sent.exit_code == 0, sent.output
    assert "OK" in sent.output
    assert len(sink.verified) == 1

    rotated = cli("rotate-secret", "acme", "--overlap-hours", "0")
    assert rotated.exit_code == 0, rotated.output
    new_secret = rotated.output.strip().splitlines()[-1]
    assert new_secret.startswith("whsec_")
    assert new_secret != secret
    sink.secret = new_secret
    assert cli("test-send", "acme").exit_code == 0
    assert len(sink.verified) == 2

    paused = cli("set", "acme", "--url", sink.url, "--disable")
    assert paused.exit_code == 0
    assert "manual" in paused.output

    deleted = cli("delete", "acme")
    assert deleted.exit_code == 0
    assert "0 undelivered" in deleted.output
    missing = cli("show", "acme")
    assert missing.exit_code == 1
    assert "no webhook" in missing.output
    assert cli("show", "nobody").exit_code == 1


def test_log_and_replay_from_the_cli(cli, database_url, sink):
    async def prepare(db):
        account_id = await new_account(db, "acme")
        settings = fast_settings()
        async with aiohttp.ClientSession() as session:
            from shiptrack.webhooks.endpoints import service

            state = await service.set_webhook(
                db, session, settings, account_id, {"url": sink.url}, probe_url=False
            )
            sink.secret = state.secret
            journey = await new_journey(db, account_id)
            await journey.step(db, 2)
            dispatcher = WebhookDispatcher(db, session, settings)
            while await dispatcher.dispatch_due_once():
                pass
            await dispatcher.stop()
        return journey

    journey = _with_db(database_url, prepare)
    assert len(sink.verified) == 2
    listed = cli("log", "acme")
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("delivered") == 2
    message_id = sink.verified[0]["trackings"][0]["metadata"]["messageId"]
    detail = cli("log", "acme", "--message", message_id)
    assert detail.exit_code == 0, detail.output
    assert "success" in detail.output
    assert json.loads(detail.output[detail.output.index('{\n  "trackings"') :])["trackings"]
    replayed = cli("replay", "acme", "--tracker", journey.tracker_id)
    assert replayed.exit_code == 0
    assert "2 message(s)" in replayed.output
    one = cli("replay", "acme", "--message", message_id)
    assert one.exit_code == 0
    assert cli("replay", "acme").exit_code == 2
    pending = cli("log", "acme", "--status", "pending")
    assert pending.output.count("pending") == 2
