"""The health page's reading of /metrics, and the SVG charts' figures."""

from __future__ import annotations

import datetime as dt
import math
import re

from shiptrack.console import charts, health

EXPOSITION = """\
# HELP shiptrack_check_lag_seconds Delay
# TYPE shiptrack_check_lag_seconds histogram
shiptrack_check_lag_seconds_bucket{le="0.1"} 2.0
shiptrack_check_lag_seconds_bucket{le="1.0"} 8.0
shiptrack_check_lag_seconds_bucket{le="10.0"} 9.0
shiptrack_check_lag_seconds_bucket{le="+Inf"} 10.0
shiptrack_check_lag_seconds_count 10.0
shiptrack_check_lag_seconds_sum 30.0
# HELP shiptrack_courier_errors_total Errors
# TYPE shiptrack_courier_errors_total counter
shiptrack_courier_errors_total{source="usps-tracking",error="timeout"} 3.0
shiptrack_courier_errors_total{source="usps-tracking",error="http_5xx"} 1.0
# HELP shiptrack_source_budget_remaining Left
# TYPE shiptrack_source_budget_remaining gauge
shiptrack_source_budget_remaining{source="aftership",budget="registrations_day"} 7.0
shiptrack_source_budget_remaining{source="aftership",budget="calls_minute"} 0.0
# HELP shiptrack_source_budget_exhausted_total Refused
# TYPE shiptrack_source_budget_exhausted_total counter
shiptrack_source_budget_exhausted_total{source="aftership",budget="calls_minute"} 4.0
"""


def test_quantiles_and_labels_from_the_exposition() -> None:
    found = health.samples(EXPOSITION)
    assert health.quantile(found, "shiptrack_check_lag_seconds", 0.5) == 1.0
    assert health.quantile(found, "shiptrack_check_lag_seconds", 0.9) == 10.0
    assert health.quantile(found, "shiptrack_check_lag_seconds", 0.99) == math.inf
    assert health.quantile(found, "shiptrack_nothing", 0.5) is None
    assert health.total(found, "shiptrack_check_lag_seconds_count") == 10
    assert health.by_label(found, "shiptrack_courier_errors_total", "error") == {
        "timeout": 3.0,
        "http_5xx": 1.0,
    }


def test_budgets_per_source_from_the_exposition() -> None:
    found = health.samples(EXPOSITION)
    by_name = {s.name: s for s in health.sources_from(found, [])}
    assert by_name["aftership"].budget_left == {"registrations_day": 7.0, "calls_minute": 0.0}
    assert by_name["aftership"].budget_exhausted == {"calls_minute": 4.0}
    assert by_name["usps-tracking"].budget_left == {}
    assert by_name["usps-tracking"].errors == {"timeout": 3.0, "http_5xx": 1.0}


async def test_the_health_page_shows_the_process_figures(client, operator) -> None:
    await client.post("/trackers/track", json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_002"})
    page = (await operator.get("/console/health")).text
    assert "Due backlog" in page
    assert re.search(r'<dd class="webhook-backlog">\d+</dd>', page)
    # The sandbox answered the track call: its calls are counted in its row.
    row = re.search(r"<code>sandbox[^<]*</code></th>(.*?)</tr>", page, re.S)
    assert row is not None, page
    assert re.search(r"\d", row.group(1))


def _tracking(courier: str, start: str, end: str) -> dict:
    return {
        "statistics": {"timestamps": {"infoReceivedDatetime": start, "deliveredDatetime": end}},
        "events": [
            {"courierCode": courier, "occurrenceDatetime": end},
            {"courierCode": courier, "occurrenceDatetime": start},
        ],
    }


def test_transit_times_per_courier() -> None:
    trackings = [
        _tracking("us-post", "2026-11-01T10:00:00", "2026-11-03T16:00:00"),  # 2.25 d
        _tracking("us-post", "2026-11-01T10:00:00", "2026-11-02T09:00:00"),  # 0.96 d
        _tracking("us-post", "2026-11-01T10:00:00Z", "2026-11-20T10:00:00+01:00"),  # 18.96 d
        _tracking("dhl", "2026-11-01T10:00:00", "2026-11-05T10:00:00"),  # 4 d
        {"statistics": {"timestamps": {}}, "events": []},
    ]
    assert charts.transit_days(trackings[0]) == ("us-post", 2.25)
    chart = charts.transit_chart(trackings)
    assert chart.header[1:] == [
        "0–1 d",
        "1–2 d",
        "2–3 d",
        "3–5 d",
        "5–7 d",
        "7–10 d",
        "10–14 d",
        "14+ d",
    ]
    assert chart.rows[0] == ["USPS", "1", "0", "1", "0", "0", "0", "0", "1"]
    assert chart.rows[1][1:] == ["0", "0", "0", "1", "0", "0", "0", "0"]
    assert chart.svg.startswith("<svg")
    assert 'role="img"' in chart.svg


def test_milestones_per_day() -> None:
    today = dt.date(2026, 12, 6)
    at = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
    created = [
        (at, "delivered"),
        (at, "delivered"),
        (at, None),
        (at - dt.timedelta(days=40), "in_transit"),  # outside the 30 days
    ]
    chart = charts.milestones_chart(created, today)
    (row,) = chart.rows
    figures = dict(zip(chart.header, row, strict=True))
    assert figures["Day"] == "2026-12-05"
    assert figures["delivered"] == "2"
    assert figures["pending"] == "1"
    assert figures["in_transit"] == "0"
    assert chart.svg.count("<rect") == 2  # one day, two milestones stacked


async def test_the_charts_page(client, operator) -> None:
    await client.post("/trackers/track", json={"trackingNumber": "SHIP24_SAMPLE_DELIVERED_002"})
    page = (await operator.get("/console/charts")).text
    assert page.count('<svg class="chart"') == 2
    assert "<script" not in page
