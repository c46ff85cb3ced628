"""The tracking page in a real headless Chromium (Debian's ``chromium``, driven by Playwright),
served by a real ``shiptrack serve`` process: axe-core finds no serious or critical
violation, the page fits 360 px without horizontal scrolling, the keyboard reaches the skip
link first, no request leaves the server and the Content-Security-Policy blocks nothing.

Chromium and axe-core are installed by ``scripts/browser-deps.sh`` (run by scripts/test.sh).
"""

from __future__ import annotations

import asyncio
import base64
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, async_playwright
from tests.pages.test_branding import PNG

from shiptrack.accounts import service as accounts
from shiptrack.db.engine import Database

pytestmark = pytest.mark.slow
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"


def _chromium() -> str:
    found = shutil.which("chromium")
    assert found, "Debian's chromium is missing: run 'bash scripts/browser-deps.sh'"
    assert AXE.exists(), "axe-core is missing: run 'bash scripts/browser-deps.sh'"
    return found


@pytest.fixture
def site(database_url: str, server_factory: Any) -> dict[str, Any]:
    """A running server with an account, its branding and three journeys' page links."""
    server = server_factory(database_url)

    async def key() -> str:
        db = Database(database_url)
        try:
            return (await accounts.create_account(db, "acme")).key
        finally:
            await db.dispose()

    api = httpx.Client(
        base_url=server.url + "/v1",
        headers={"Authorization": f"Bearer {asyncio.run(key())}"},
        timeout=30,
    )
    branded = api.put(
        "/account/page-branding",
        json={
            "name": "Acme Outdoor",
            "primaryColour": "#005a9c",
            "supportEmail": "help@acme.example",
            "footer": "Thank you for shopping with us.",
            "logo": "data:image/png;base64," + base64.b64encode(PNG).decode(),
        },
    )
    assert branded.status_code == 200, branded.text
    pages = {}
    for number in (
        "SHIP24_SAMPLE_DELIVERED_010",
        "SHIP24_SAMPLE_EXCEPTION_010",
        "SHIP24_SAMPLE_PENDING_010",
    ):
        created = api.post("/trackers/track", json={"trackingNumber": number})
        tracking = created.json()["data"]["trackings"][0]
        link = api.get(f"/trackers/{tracking['tracker']['trackerId']}/page-link")
        pages[number] = (link.json()["data"]["pageLink"]["url"], tracking)
    api.close()
    return {"origin": server.url, "pages": pages}


async def _open(page: Page, url: str, origin: str) -> tuple[list[str], list[str]]:
    """Load ``url``; the requests that went elsewhere than ``origin`` and console errors."""
    elsewhere: list[str] = []
    problems: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(origin + "/") else elsewhere.append(r.url),
    )
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    response = await page.goto(url)
    assert response is not None
    assert response.status == 200
    await page.wait_for_load_state("load")
    return elsewhere, problems


async def _serious_violations(page: Page) -> list[str]:
    # Evaluated through the DevTools protocol, which the page's CSP does not govern.
    await page.evaluate(AXE.read_text())
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("locale", "lang", "delivered"),
    [("en-GB", "en", "Delivered"), ("de-DE", "de", "Zugestellt"), ("pl-PL", "pl", "Doręczono")],
)
async def test_the_page_in_chromium(site, locale, lang, delivered) -> None:
    executable = _chromium()
    url, tracking = site["pages"]["SHIP24_SAMPLE_DELIVERED_010"]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            context = await browser.new_context(locale=locale, java_script_enabled=True)
            page = await context.new_page()
            elsewhere, problems = await _open(page, url, site["origin"])
            assert await page.get_attribute("html", "lang") == lang
            assert await page.inner_text(".milestone") == delivered
            texts = await page.locator(".carrier-text").all_inner_texts()
            assert texts == [e["status"] for e in tracking["events"]]
            # The stylesheet applied (CSP let it and the nonce'd colours through).
            colour = await page.eval_on_selector(
                ".brand", "e => getComputedStyle(e).borderBottomColor"
            )
            assert colour == "rgb(0, 90, 156)"
            await page.keyboard.press("Tab")
            focused = await page.evaluate("document.activeElement.className")
            assert focused == "skip"
            box = await page.locator(".skip").bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["width"] > 0
            assert await _serious_violations(page) == []
            assert elsewhere == []
            assert problems == []
        finally:
            await browser.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "number",
    ["SHIP24_SAMPLE_DELIVERED_010", "SHIP24_SAMPLE_EXCEPTION_010", "SHIP24_SAMPLE_PENDING_010"],
)
async def test_every_state_fits_a_360_px_phone_without_javascript(site, number) -> None:
    executable = _chromium()
    url, _ = site["pages"][number]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            context = await browser.new_context(
                viewport={"width": 360, "height": 740}, java_script_enabled=False
            )
            page = await context.new_page()
            elsewhere, problems = await _open(page, url, site["origin"])
            assert await page.locator("h1").count() == 1
            # Measured with script allowed again only for the measuring (and axe).
            measure = await browser.new_context(viewport={"width": 360, "height": 740})
            measured = await measure.new_page()
            await _open(measured, url, site["origin"])
            widths = await measured.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1] == 360
            assert await _serious_violations(measured) == []
            assert elsewhere == []
            assert problems == []
        finally:
            await browser.close()
