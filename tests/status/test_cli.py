"""``shiptrack statuses classify`` and ``shiptrack statuses unknown``."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid

from typer.testing import CliRunner

from shiptrack.cli.statuses import statuses_app
from shiptrack.config import get_settings
from shiptrack.db.engine import Database
from shiptrack.db.migrate import upgrade
from shiptrack.db.tables import events


def test_classify_prints_the_decision():
    result = CliRunner().invoke(statuses_app, ["classify", "Przesyłka doręczona", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "statusCode": "delivery_delivered",
        "statusMilestone": "delivered",
        "ruleId": "pl.delivered",
        "language": "pl",
        "confidence": 0.9,
    }


def test_classify_uses_the_couriers_table_and_the_location():
    runner = CliRunner()
    args = ["classify", "Delivered", "--courier", "us-post", "--code", "03", "--json"]
    result = runner.invoke(statuses_app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ruleId"] == "table:us-post:03"
    result = runner.invoke(
        statuses_app, ["classify", "Retour", "--location", "Utrecht, NL", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ruleId"] == "nl.return"


async def _store(url: str, rows: list[tuple[str, str | None, str]]) -> None:
    await upgrade(url)
    db = Database(url, pool_size=1)
    now = dt.datetime.now(dt.UTC)
    try:
        async with db.write() as conn:
            await conn.execute(
                events.insert(),
                [
                    {
                        "id": str(uuid.uuid4()),
                        "shipment_id": str(uuid.uuid4()),
                        "sequence": 1,
                        "event_tracking_number": "X1",
                        "courier_code": "fr-post",
                        "carrier_status_code": code,
                        "status": text,
                        "occurrence_datetime": "2026-12-01T10:00:00",
                        "rule_id": rule,
                        "fingerprint": str(uuid.uuid4()),
                        "discovered_at": now,
                    }
                    for text, code, rule in rows
                ],
            )
    finally:
        await db.dispose()


def test_unknown_lists_unmatched_texts_with_counts(database_url, monkeypatch):
    asyncio.run(
        _store(
            database_url,
            [
                ("Colis en vadrouille", "ZZ1", "unmatched"),
                ("Colis en vadrouille", "ZZ1", "unmatched"),
                ("Objet égaré au pôle Nord", None, "unmatched"),
                ("Votre colis est livré", "DI1", "table:fr-post:DI1"),
            ],
        )
    )
    monkeypatch.setenv("SHIPTRACK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(statuses_app, ["unknown"], terminal_width=200)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "fr-post" in line]
    assert len(lines) == 2
    assert "Colis en vadrouille" in lines[0]
    assert lines[0].split()[1] == "2"  # the most frequent first, with its count
    assert "livré" not in result.output
