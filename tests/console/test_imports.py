"""CSV imports: rows checked like the bulk API's items, progress counted, failures by line."""

from __future__ import annotations

import asyncio
import re

import pytest
from tests.console.conftest import post_form

from shiptrack.console import imports


async def _finished(operator, location: str) -> dict:
    for _ in range(100):
        counts = (await operator.get(location + "/progress")).json()
        if counts["status"] != "running":
            return counts
        await asyncio.sleep(0.05)
    raise AssertionError("the import did not finish")


async def test_an_import_creates_trackers_and_lists_failures(client, operator, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)  # several batches, progress after each
    csv = (
        "trackingNumber,clientTrackerId,courierCode,recipientName\n"
        "SHIP24_SAMPLE_IN_TRANSIT_001,c-1,sandbox,Ann\n"
        "SHIP24_SAMPLE_DELIVERED_002,c-2,,\n"
        "x,c-3,,\n"
        "SHIP24_SAMPLE_IN_TRANSIT_001,c-1,sandbox,Ann\n"
        "SHIP24_SAMPLE_PENDING_001,c-4,no-such-courier,\n"
    )
    answer = await post_form(
        operator,
        "/console/imports",
        "/console/imports",
        {},
        files={"file": ("orders.csv", csv.encode(), "text/csv")},
    )
    assert answer.status_code == 303
    location = answer.headers["location"]
    counts = await _finished(operator, location)
    assert counts == {
        "total": 5,
        "processed": 5,
        "created": 2,
        "existing": 1,
        "failed": 2,
        "status": "done",
    }
    page = (await operator.get(location)).text
    assert re.findall(r"<tr><td>(\d+)</td><td>", page) == ["4", "6"]
    api = (await client.get("/trackers?limit=10")).json()["data"]["trackers"]
    assert sorted(t["clientTrackerId"] for t in api) == ["c-1", "c-2"]
    assert "orders.csv" in (await operator.get("/console/imports")).text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"number\nX\n", "must name the columns and include trackingNumber"),
        (b"trackingNumber,colour\nX,red\n", "Unknown column(s) colour"),
        (b"trackingNumber\n", "no rows below its header"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
async def test_files_that_cannot_be_imported(operator, content, message) -> None:
    answer = await post_form(
        operator,
        "/console/imports",
        "/console/imports",
        {},
        files={"file": ("bad.csv", content, "text/csv")},
    )
    assert answer.status_code == 400
    assert message in answer.text
