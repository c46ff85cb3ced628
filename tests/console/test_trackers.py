"""The console's tracker list (search, filters, pages) and a tracker's page."""

from __future__ import annotations

import re

from shiptrack.console import tracker_pages


async def _track(client, number: str, **extra) -> str:
    answer = await client.post("/trackers/track", json={"trackingNumber": number, **extra})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["data"]["trackings"][0]["tracker"]["trackerId"])


def _listed(html: str) -> list[str]:
    return re.findall(r'href="/console/trackers/([0-9a-f-]{36})"', html)


async def test_search_by_number_client_id_and_reference(client, operator) -> None:
    delivered = await _track(
        client, "SHIP24_SAMPLE_DELIVERED_002", clientTrackerId="order-7", shipmentReference="R-9"
    )
    moving = await _track(client, "SHIP24_SAMPLE_IN_TRANSIT_003")
    everything = await operator.get("/console/trackers")
    assert _listed(everything.text) == [moving, delivered]  # newest first
    for q in ("ship24_sample_delivered_002", "order-7", "R-9"):
        assert _listed((await operator.get(f"/console/trackers?q={q}")).text) == [delivered]
    assert _listed((await operator.get("/console/trackers?q=nothing")).text) == []


async def test_filters(client, operator) -> None:
    delivered = await _track(client, "SHIP24_SAMPLE_DELIVERED_002")
    moving = await _track(client, "SHIP24_SAMPLE_IN_TRANSIT_003", courierCode=["sandbox"])
    by_milestone = await operator.get("/console/trackers?milestone=delivered")
    assert _listed(by_milestone.text) == [delivered]
    # The sandbox handed the delivered parcel to USPS: a courier that answered counts.
    assert _listed((await operator.get("/console/trackers?courier=us-post")).text) == [delivered]
    assert moving in _listed((await operator.get("/console/trackers?courier=sandbox")).text)
    stopped = _listed((await operator.get("/console/trackers?state=stopped")).text)
    tracked = _listed((await operator.get("/console/trackers?state=tracked")).text)
    assert moving in tracked
    assert moving not in stopped
    assert not set(stopped) & set(tracked)
    future = await operator.get("/console/trackers?from=2099-01-01")
    assert _listed(future.text) == []
    past = await operator.get("/console/trackers?to=2000-01-01")
    assert _listed(past.text) == []
    bad = await operator.get("/console/trackers?from=yesterday&milestone=lost")
    assert "From must be a date as YYYY-MM-DD" in bad.text
    assert "milestone must be one of" in bad.text


async def test_pages_of_trackers(client, operator, monkeypatch) -> None:
    monkeypatch.setattr(tracker_pages, "PAGE_SIZE", 2)
    created = []
    for n in range(5):
        answer = await client.post("/trackers", json={"trackingNumber": f"SHIP24_PAGED_{n}0"})
        created.append(answer.json()["data"]["tracker"]["trackerId"])
    first = await operator.get("/console/trackers")
    assert _listed(first.text) == created[::-1][:2]
    assert "page 1 of 3" in first.text
    third = await operator.get("/console/trackers?page=3")
    assert _listed(third.text) == [created[0]]
    assert 'rel="next"' not in third.text
    assert 'href="?page=2" rel="prev"' in third.text


async def test_a_tracker_page(client, operator) -> None:
    tracker_id = await _track(client, "SHIP24_SAMPLE_DELIVERED_002")
    api = (await client.get(f"/trackers/{tracker_id}/results")).json()["data"]["trackings"][0]
    diagnostics = (await client.get(f"/trackers/{tracker_id}/diagnostics")).json()["data"]
    link = (await client.get(f"/trackers/{tracker_id}/page-link")).json()["data"]["pageLink"]
    page = (await operator.get(f"/console/trackers/{tracker_id}")).text
    times = re.findall(r'<time datetime="([^"]+)">', page)
    assert times == [e["occurrenceDatetime"] for e in api["events"]]
    texts = re.findall(r'<td class="carrier-text">([^<]*)</td>', page)
    assert texts == [e["status"] for e in api["events"]]
    assert f'href="{link["path"]}"' in page
    assert diagnostics["routing"]["explanation"].replace("'", "&#39;") in page
    rules = re.findall(r"<td><code>([^<]*)</code></td>", page)
    assert rules == [e["ruleId"] or "" for e in diagnostics["events"]]
    assert "Resend this tracker" in page


async def test_resend_without_a_webhook_says_so(client, operator) -> None:
    from tests.console.conftest import post_form

    tracker_id = await _track(client, "SHIP24_SAMPLE_DELIVERED_002")
    page = f"/console/trackers/{tracker_id}"
    answer = await post_form(operator, page, f"{page}/resend", {}, follow_redirects=True)
    assert "This account has no webhook to resend to" in answer.text
