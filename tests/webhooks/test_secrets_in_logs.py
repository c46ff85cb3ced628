"""No secret and no bound parameter reaches the logs: a database error during a webhook save
and a secret rotation, with everything the process logs captured through shiptrack's own
formatters (text and JSON), on both databases."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from shiptrack.app import services_of
from shiptrack.logs import JsonFormatter, KeyValueFormatter

FAIL_SQLITE = [
    "CREATE TRIGGER test_fail_update BEFORE UPDATE ON webhook_endpoints "
    "BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
]
FAIL_POSTGRES = [
    "CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'forced failure'; END $$",
    "CREATE TRIGGER test_fail_update BEFORE UPDATE ON webhook_endpoints "
    "FOR EACH ROW EXECUTE FUNCTION test_fail()",
]
UNDO_POSTGRES = [
    "DROP TRIGGER IF EXISTS test_fail_update ON webhook_endpoints",
    "DROP FUNCTION IF EXISTS test_fail()",
]


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Every record any logger emits, formatted as shiptrack formats it (text and JSON)."""
    output = io.StringIO()
    handlers = []
    for formatter in (KeyValueFormatter(), JsonFormatter()):
        handler = logging.StreamHandler(output)
        handler.setFormatter(formatter)
        handlers.append(handler)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    yield output
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)


async def _execute(db, statements):
    async with db.write() as conn:
        for statement in statements:
            await conn.execute(text(statement))


async def test_a_database_error_while_saving_or_rotating_logs_no_secret_or_parameter(
    client, receiver, captured
):
    db = services_of(client.app).db
    created = await client.put("/account/webhook", json={"url": receiver.url})
    assert created.status_code == 201, created.text
    first_secret = created.json()["data"]["webhook"]["secret"]
    rotated = await client.post("/account/webhook/rotate-secret", json={})
    assert rotated.status_code == 200, rotated.text
    second_secret = rotated.json()["data"]["webhook"]["secret"]
    assert first_secret.startswith("whsec_")
    assert second_secret.startswith("whsec_")

    await _execute(db, FAIL_POSTGRES if db.is_postgres else FAIL_SQLITE)
    try:
        failed_rotation = await client.post("/account/webhook/rotate-secret", json={})
        failed_save = await client.put(
            "/account/webhook", json={"url": receiver.url + "?recipient=alice"}
        )
    finally:
        await _execute(db, UNDO_POSTGRES if db.is_postgres else ["DROP TRIGGER test_fail_update"])
    assert failed_rotation.status_code == 500
    assert failed_save.status_code == 500, failed_save.text

    logged = captured.getvalue()
    # The failures were logged, with the database's error: there was something to leak.
    assert logged.count("unhandled error") == 4  # two failures, two formatters
    assert "forced failure" in logged
    # ... and nothing leaked: no secret (old, current, the one that failed to save), no
    # bound parameter (the URL and its query, the account id), no key.
    assert "whsec_" not in logged
    for secret in (first_secret, second_secret):
        assert secret.removeprefix("whsec_") not in logged
    assert "recipient=alice" not in logged
    assert client.account_id not in logged
    assert client.api_key not in logged
    assert "[parameters:" not in logged
    assert "SQL parameters hidden" in logged
