"""The people's side end to end in a real headless Chromium (Debian's ``chromium`` driven by
Playwright), against a real ``shiptrack serve`` with a real webhook receiver on 127.0.0.1:
the tracking page from its link in three languages (its timeline against the API's), the
post-code search, and the operator console (sign in, find a tracker, resend its webhooks —
the receiver gets them again —, import a CSV). On every page axe-core finds no serious or
critical violation, and no request leaves 127.0.0.1 (every request the browser makes is
recorded and checked).

One server and one browser serve the whole module. With ``SHIPTRACK_SCREENSHOTS=1`` the
tests also write the screenshots of docs/images/ (shown in docs/tracking-pages.md and
docs/console.md).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from tests.conftest import Server
from tests.pages.test_browser import AXE

from shiptrack.accounts import service as accounts
from shiptrack.db.engine import Database
from shiptrack.pages import dates

pytestmark = pytest.mark.slow
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "images"
DELIVERED = "SHIP24_SAMPLE_DELIVERED_002"
POST_CODE = "75011"


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers 200 and records each delivery."""

    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def start(self) -> str:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:  # the probe when the webhook is saved
                self.send_response(200)
                self.end_headers()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                receiver.received.append((self.headers["webhook-id"], json.loads(body)))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def ids_for(self, tracker_id: str) -> list[str]:
        return [
            message_id
            for message_id, body in list(self.received)
            if any(t["tracker"]["trackerId"] == tracker_id for t in body.get("trackings", []))
        ]


def _wait(condition: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def site(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A server, its account (branding with post-code search, a webhook to a live receiver)
    and three journeys."""
    folder = tmp_path_factory.mktemp("console-browser")
    shutil.copy(sqlite_template, folder / "shiptrack.db")
    url = f"sqlite:///{folder / 'shiptrack.db'}"
    receiver = Receiver()
    hook_url = receiver.start()
    server = Server(url, folder, env={"SHIPTRACK_WEBHOOK_ALLOW_PRIVATE": "true"})

    async def key() -> tuple[str, str]:
        db = Database(url)
        try:
            made = await accounts.create_account(db, "acme")
            return made.key, made.account.id
        finally:
            await db.dispose()

    api_key, account_id = asyncio.run(key())
    api = httpx.Client(
        base_url=server.url + "/v1", headers={"Authorization": f"Bearer {api_key}"}, timeout=30
    )
    try:
        assert api.put("/account/webhook", json={"url": hook_url}).status_code in (200, 201)
        branding = {"name": "Acme Outdoor", "primaryColour": "#005a9c", "postCodeSearch": True}
        assert api.put("/account/page-branding", json=branding).status_code == 200
        trackings = {}
        for number, extra in (
            ("SHIP24_SAMPLE_PENDING_010", {}),
            ("SHIP24_SAMPLE_IN_TRANSIT_010", {"shipmentReference": "REF-77"}),
            (DELIVERED, {"clientTrackerId": "order-1001", "destinationPostCode": POST_CODE}),
        ):
            answer = api.post("/trackers/track", json={"trackingNumber": number, **extra})
            assert answer.status_code == 201, answer.text
            trackings[number] = answer.json()["data"]["trackings"][0]
        delivered_id = trackings[DELIVERED]["tracker"]["trackerId"]
        link = api.get(f"/trackers/{delivered_id}/page-link").json()["data"]["pageLink"]
        _wait(lambda: receiver.ids_for(delivered_id))
        yield {
            "origin": server.url,
            "api": api,
            "key": api_key,
            "account_id": account_id,
            "trackings": trackings,
            "delivered_id": delivered_id,
            "page_url": link["url"],
            "receiver": receiver,
        }
    finally:
        api.close()
        server.stop()
        receiver.server.shutdown()
        receiver.server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: run 'bash scripts/browser-deps.sh'"
    assert AXE.exists(), "axe-core is missing: run 'bash scripts/browser-deps.sh'"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Visit:
    """A browser context whose every request and console error is recorded."""

    context: BrowserContext
    page: Page
    requests: list[str]
    problems: list[str]

    def elsewhere(self, origin: str) -> list[str]:
        return [url for url in self.requests if not url.startswith(origin + "/")]


@pytest.fixture
def visit(browser: Browser, site: dict) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_context(**options: Any) -> Visit:
        context = browser.new_context(**options)
        requests: list[str] = []
        problems: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        made = Visit(context, page, requests, problems)
        opened.append(made)
        return made

    yield open_context
    for made in opened:
        # Nothing left 127.0.0.1, and the CSP blocked nothing the pages needed.
        assert made.requests, "the visit made no request"
        assert made.elsewhere(site["origin"]) == []
        assert all(url.startswith("http://127.0.0.1:") for url in made.requests)
        assert made.problems == []
        made.context.close()


def serious_violations(page: Page) -> list[str]:
    # Evaluated through the DevTools protocol, which the pages' CSP does not govern.
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    if os.environ.get("SHIPTRACK_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


@pytest.mark.parametrize(("locale", "lang"), [("en-GB", "en"), ("fr-FR", "fr"), ("pl-PL", "pl")])
def test_the_tracking_page_from_its_link(site, visit, locale, lang) -> None:
    seen = visit(locale=locale, viewport={"width": 1100, "height": 900})
    response = seen.page.goto(site["page_url"])
    assert response is not None
    assert response.status == 200
    assert seen.page.get_attribute("html", "lang") == lang
    api = site["api"].get(f"/trackers/{site['delivered_id']}/results").json()
    events = api["data"]["trackings"][0]["events"]
    times = seen.page.locator(".timeline time")
    assert [times.nth(i).get_attribute("datetime") for i in range(times.count())] == [
        e["occurrenceDatetime"] for e in events
    ]
    assert times.all_inner_texts() == [dates.local(e["occurrenceDatetime"], lang) for e in events]
    assert seen.page.locator(".carrier-text").all_inner_texts() == [e["status"] for e in events]
    assert serious_violations(seen.page) == []
    if lang == "en":
        screenshot(seen.page, "tracking-page-desktop.png")
        phone = visit(locale=locale, viewport={"width": 360, "height": 780})
        phone.page.goto(site["page_url"])
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
        screenshot(phone.page, "tracking-page-phone.png")


def test_the_post_code_search(site, visit) -> None:
    seen = visit(locale="de-DE")
    page = seen.page
    page.goto(f"{site['origin']}/track/find/{site['account_id']}")
    assert page.inner_text("h1") == "Sendung finden"
    assert serious_violations(page) == []
    page.fill("#number", DELIVERED)
    page.fill("#postcode", "75012")
    with page.expect_navigation() as wrong:
        page.click("button[type=submit]")
    assert wrong.value is not None
    assert wrong.value.status == 404
    assert "Keine Sendung passt" in page.inner_text("[role=alert]")
    # Chromium reports the 404 answer itself as a console error: that one is expected.
    seen.problems.remove(
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    )
    assert serious_violations(page) == []
    screenshot(page, "tracking-search.png")
    page.fill("#postcode", " 75 011 ")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/track/[A-Za-z0-9_-]{32}\?lang=de$"))
    assert DELIVERED in page.inner_text("h1")
    assert site["page_url"].split("/track/")[1] in page.url


def _sign_in(seen: Visit, site: dict) -> Page:
    page = seen.page
    page.goto(f"{site['origin']}/console/trackers")
    assert "/console/sign-in" in page.url
    assert serious_violations(page) == []
    page.fill("#key", site["key"])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{site['origin']}/console/trackers")
    return page


def test_the_console_finds_a_tracker_and_resends_its_webhooks(site, visit) -> None:
    seen = visit(viewport={"width": 1280, "height": 900})
    page = _sign_in(seen, site)
    assert page.locator("table.trackers tbody tr").count() == 3
    assert serious_violations(page) == []
    screenshot(page, "console-trackers.png")
    page.fill("#q", "order-1001")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*q=order-1001.*"))
    rows = page.locator("table.trackers tbody tr")
    assert rows.count() == 1
    rows.locator("a").click()
    page.wait_for_url(f"{site['origin']}/console/trackers/{site['delivered_id']}")
    api = site["api"].get(f"/trackers/{site['delivered_id']}/results").json()
    events = api["data"]["trackings"][0]["events"]
    assert page.locator("td.carrier-text").all_inner_texts() == [e["status"] for e in events]
    assert page.get_attribute("a.page-link", "href") == site["page_url"].removeprefix(
        site["origin"]
    )
    assert serious_violations(page) == []
    screenshot(page, "console-tracker.png", full_page=False)

    receiver = site["receiver"]
    before = receiver.ids_for(site["delivered_id"])
    page.click("text=Resend this tracker's webhooks")
    page.wait_for_url(re.compile(r".*resent=\d+.*"))
    resent = int(re.search(r"resent=(\d+)", page.url).group(1))
    assert resent == len(set(before))
    _wait(lambda: len(receiver.ids_for(site["delivered_id"])) >= len(before) + resent)
    after = receiver.ids_for(site["delivered_id"])
    # The same messages again: the same webhook-ids (Ship24's resend keeps them).
    assert sorted(after[len(before) :]) == sorted(set(before))
    assert "queued again" in page.inner_text("[role=status]")

    for section in ("webhooks", "health", "charts"):
        page.goto(f"{site['origin']}/console/{section}")
        assert page.locator("h1").count() == 1
        assert serious_violations(page) == [], section
    screenshot(page, "console-charts.png")
    page.goto(f"{site['origin']}/console/health")
    screenshot(page, "console-health.png", full_page=False)


def test_the_console_imports_a_csv(site, visit, tmp_path) -> None:
    seen = visit()
    page = _sign_in(seen, site)
    page.goto(f"{site['origin']}/console/imports")
    assert serious_violations(page) == []
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "trackingNumber,clientTrackerId\n"
        "SHIP24_SAMPLE_IN_TRANSIT_020,imp-1\n"
        "SHIP24_SAMPLE_DELIVERED_020,imp-2\n"
        "x,imp-3\n"
    )
    page.set_input_files("#file", str(csv))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/imports/[0-9a-f-]{36}$"))
    # The page's script follows the progress and reloads when the import is done.
    page.wait_for_selector('[data-status="done"]', timeout=20_000)
    counts = page.inner_text(".import-counts")
    assert "3 of 3 rows: 2 created, 0 already there, 1 failed" in counts
    assert page.locator("tbody tr").count() == 1
    assert serious_violations(page) == []
    listed = site["api"].get("/trackers", params={"limit": 100}).json()["data"]["trackers"]
    assert {"imp-1", "imp-2"} <= {t["clientTrackerId"] for t in listed}
