"""Per-account branding of tracking pages: validation, contrast, the stored logo."""

from __future__ import annotations

import base64
import re

import pytest
from tests.pages.conftest import page_path, tracked

from shiptrack.pages.branding import contrast

#: The smallest valid PNG (1×1, transparent).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
BRAND = {
    "name": "Chez Léa <Boutique>",
    "primaryColour": "#7A1F5C",
    "textColour": "#222222",
    "backgroundColour": "#FFFDF8",
    "supportEmail": "aide@lea.example",
    "supportPhone": "+33 1 23 45 67 89",
    "supportUrl": "https://lea.example/aide",
    "footer": "Merci de votre commande !\n<i>Chez Léa</i>",
    "logo": "data:image/png;base64," + base64.b64encode(PNG).decode(),
}


async def test_the_page_wears_the_accounts_branding(client, other_client, browser) -> None:
    stored = await client.put("/account/page-branding", json=BRAND)
    assert stored.status_code == 200, stored.text
    shown = stored.json()["data"]["branding"]
    assert shown["primaryColour"] == "#7a1f5c"
    assert shown["logo"] == BRAND["logo"]
    assert (await client.get("/account/page-branding")).json() == stored.json()
    response = await browser.get(await page_path(client, await tracked(client, "SBX-OC-1M-DL")))
    page = response.text
    assert "--primary:#7a1f5c;--text:#222222;--background:#fffdf8" in page
    assert "Chez Léa &lt;Boutique&gt;" in page
    assert 'href="mailto:aide@lea.example"' in page
    assert 'href="tel:+33123456789"' in page
    assert "&lt;i&gt;Chez Léa&lt;/i&gt;" in page
    (logo_path,) = re.findall(r'<img class="logo" src="([^"]+)"', page)
    logo = await browser.get(logo_path)
    assert logo.status_code == 200
    assert logo.headers["content-type"] == "image/png"
    assert logo.content == PNG
    assert logo.headers["x-content-type-options"] == "nosniff"
    # Another account's page keeps the defaults.
    other = await browser.get(
        await page_path(other_client, await tracked(other_client, "SBX-OC-1M-DL"))
    )
    assert "--primary:#1d4ed8" in other.text
    assert "Chez Léa" not in other.text
    assert "<img" not in other.text


async def test_a_hard_to_read_colour_is_refused_with_its_ratio(client) -> None:
    response = await client.put(
        "/account/page-branding", json={"primaryColour": "#ffff00", "backgroundColour": "#ffffff"}
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["code"] == "validation_error"
    assert (
        "primaryColour #ffff00 on backgroundColour #ffffff has a contrast of 1.07:1"
        in (error["message"])
    )
    assert (await client.get("/account/page-branding")).json()["data"]["branding"][
        "primaryColour"
    ] is None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"textColour": "red"}, "textColour must be a colour as '#rrggbb'"),
        ({"textColour": "#12345"}, "textColour must be a colour as '#rrggbb'"),
        ({"logo": "https://cdn.example/logo.png"}, "URLs are refused"),
        ({"logo": "data:image/svg+xml;base64,PHN2Zz4="}, "logo must be a data URI"),
        ({"logo": "data:image/png;base64,R0lGODlhAQABAAAAACw="}, "not a image/png image"),
        ({"supportEmail": "not-an-email"}, "supportEmail 'not-an-email' is not valid"),
        ({"supportUrl": "javascript:alert(1)"}, "supportUrl 'javascript:alert(1)' is not valid"),
        ({"colour": "#000000"}, "Unknown member 'colour'"),
        ({"footer": "x" * 1001}, "footer is 1001 characters; at most 1000"),
        ([], "must be a JSON object"),
    ],
)
async def test_bad_branding_is_refused(client, body, words) -> None:
    response = await client.put("/account/page-branding", json=body)
    assert response.status_code == 400
    messages = " ".join(e["message"] for e in response.json()["errors"])
    assert words in messages


def test_wcag_contrast_ratios() -> None:
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # famously just below AA
    assert contrast("#1d4ed8", "#ffffff") >= 4.5
    assert contrast("#ffffff", "#ffffff") == 1.0
