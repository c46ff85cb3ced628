"""``shiptrack trackers link`` and ``shiptrack accounts branding`` against a real database."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest
from tests.pages.conftest import page_path, tracked
from tests.pages.test_branding import PNG
from typer.testing import CliRunner

from shiptrack.cli.accounts import accounts_app
from shiptrack.cli.trackers import trackers_app
from shiptrack.config import get_settings


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("SHIPTRACK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    async def invoke(app, *args: str):
        # The CLI runs its own event loop (asyncio.run): in a thread beside the test's.
        return await asyncio.to_thread(runner.invoke, app, list(args))

    yield invoke
    get_settings.cache_clear()


async def test_the_cli_hands_out_the_apis_link(cli, client, browser) -> None:
    tracker_id = await tracked(client, "SBX-OC-1M-HO-1M-DL")
    shown = await cli(
        trackers_app, "link", tracker_id, "--account", "acme", "--base-url", "https://t.example/"
    )
    assert shown.exit_code == 0, shown.output
    path = await page_path(client, tracker_id)
    assert shown.output.strip() == "https://t.example" + path
    rotated = await cli(trackers_app, "link", tracker_id, "--account", "acme", "--rotate")
    assert rotated.exit_code == 0, rotated.output
    assert rotated.output.strip() != path
    assert (await browser.get(path)).status_code == 404
    assert (await browser.get(rotated.output.strip())).status_code == 200
    revoked = await cli(trackers_app, "link", tracker_id, "--account", "acme", "--revoke")
    assert revoked.exit_code == 0, revoked.output
    assert (await browser.get(rotated.output.strip())).status_code == 404
    missing = await cli(trackers_app, "link", "no-such-tracker", "--account", "acme")
    assert missing.exit_code == 1
    assert "Tracker not found" in missing.output


async def test_branding_from_the_cli(cli, client, tmp_path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    done = await cli(
        accounts_app,
        "branding",
        "acme",
        "--name",
        "Acme",
        "--primary-colour",
        "#005a9c",
        "--logo",
        str(logo),
    )
    assert done.exit_code == 0, done.output
    stored = (await client.get("/account/page-branding")).json()["data"]["branding"]
    assert stored["name"] == "Acme"
    assert stored["primaryColour"] == "#005a9c"
    assert stored["logo"] == "data:image/png;base64," + base64.b64encode(PNG).decode()
    # Changing one member keeps the others; clearing one resets it.
    await cli(accounts_app, "branding", "acme", "--footer", "Thanks!", "--clear", "name")
    stored = (await client.get("/account/page-branding")).json()["data"]["branding"]
    assert (stored["name"], stored["footer"], stored["primaryColour"]) == (
        None,
        "Thanks!",
        "#005a9c",
    )
    refused = await cli(accounts_app, "branding", "acme", "--text-colour", "#eeeeee")
    assert refused.exit_code == 1
    assert "WCAG AA" in refused.output
    shown = await cli(accounts_app, "branding", "acme")
    assert json.loads(shown.output)["footer"] == "Thanks!"
