"""The results read's hot path renders a tracker from the columns as the driver reads them
(``presenter.stored_results_body``); it must give the bytes the typed path gives."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from shiptrack.clock import format_stored_timestamp, format_timestamp
from shiptrack.trackers import presenter
from shiptrack.trackers.repository import _results_row
from shiptrack.tracking import render

CREATED = dt.datetime(2026, 12, 7, 14, 50, 0, 123456, tzinfo=dt.UTC)
SQLITE = (
    "trk_1",
    'RA"12\\34\u00e9',
    None,
    '["dhl","us-post"]',
    "client/1",
    1,
    0,
    "2026-12-07 14:50:00.123456",
    "shp_1",
    None,
)
POSTGRES = (
    "trk_1",
    'RA"12\\34\u00e9',
    None,
    '["dhl", "us-post"]',
    "client/1",
    True,
    False,
    CREATED.astimezone(dt.timezone(dt.timedelta(hours=2))),
    "shp_1",
    b'"shipment":{},"events":[],"statistics":{}',
)


@pytest.mark.parametrize("raw", [SQLITE, POSTGRES], ids=["sqlite", "postgresql"])
def test_the_stored_row_renders_as_the_typed_one(raw):
    typed = presenter.trackings_body([_results_row(raw)])
    fast = presenter.stored_results_body(raw)
    assert orjson.loads(fast) == orjson.loads(typed)
    tracker = orjson.loads(fast)["data"]["trackings"][0]["tracker"]
    assert list(tracker) == list(render.tracker_dict(_results_row(raw)))
    assert tracker["createdAt"] == "2026-12-07T14:50:00.123Z"


@pytest.mark.parametrize(
    "stored",
    [
        "2026-12-07 14:50:00.123456",
        "2026-12-07 14:50:00",
        "2026-12-07T14:50:00.999999",
        "2026-12-07 14:50:00.123456+00:00",
    ],
)
def test_stored_timestamps_format_as_datetimes_do(stored):
    parsed = dt.datetime.fromisoformat(stored)
    expected = format_timestamp(parsed.replace(tzinfo=parsed.tzinfo or dt.UTC))
    assert format_stored_timestamp(stored) == expected


def test_pending_members_are_the_shipment_with_no_data():
    members = render.pending_tracking_members("shp_9", 'N"1\u00e9')
    body = orjson.loads(b"{" + members + b"}")
    assert body["shipment"]["shipmentId"] == "shp_9"
    assert body["shipment"]["trackingNumbers"] == [{"tn": 'N"1\u00e9'}]
    assert body["shipment"]["statusMilestone"] == "pending"
    assert body["shipment"]["statusCode"] is None
    assert body["events"] == []
    assert body["statistics"]["timestamps"]["deliveredDatetime"] is None
