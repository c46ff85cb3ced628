"""The tracking page over HTTP, on SQLite and PostgreSQL: links, states, languages, escaping."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from sqlalchemy import text
from tests.pages.conftest import page_path, tracked

from shiptrack.app import services_of
from shiptrack.couriers.catalogue import tracking_page_url
from shiptrack.pages import dates, i18n
from shiptrack.trackers.schemas import Tracker


async def test_the_link_is_stable_and_leaves_ship24s_tracker_alone(client, browser) -> None:
    tracker_id = await tracked(client, "SHIP24_SAMPLE_IN_TRANSIT_001")
    first = (await client.get(f"/trackers/{tracker_id}/page-link")).json()["data"]["pageLink"]
    again = (await client.get(f"/trackers/{tracker_id}/page-link")).json()["data"]["pageLink"]
    assert first == again
    assert re.fullmatch(r"/track/[A-Za-z0-9_-]{32}", first["path"])
    assert first["url"] == "http://shiptrack.test" + first["path"]
    tracker = (await client.get(f"/trackers/{tracker_id}")).json()["data"]["tracker"]
    assert set(tracker) == set(Tracker.model_fields)  # Ship24's members, no more
    assert (await browser.get(first["path"])).status_code == 200


async def test_another_accounts_tracker_has_no_link(client, other_client) -> None:
    tracker_id = await tracked(client, "SHIP24_SAMPLE_IN_TRANSIT_002")
    response = await other_client.get(f"/trackers/{tracker_id}/page-link")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "tracker_not_found"
    assert (await client.get("/trackers/no-such-tracker/page-link")).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "A" * 32,
        "short",
        "%3Cscript%3E",
        "a" * 500,
        "..%2F..%2Fetc",
    ],
)
async def test_a_bad_token_answers_the_404_page(client, browser, token: str) -> None:
    await tracked(client, "SHIP24_SAMPLE_IN_TRANSIT_003")
    response = await browser.get(f"/track/{token}", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Lien de suivi introuvable" in response.text
    assert "<script>" not in response.text
    assert response.headers["cache-control"] == "private, max-age=0"


async def test_rotating_and_revoking_retire_the_old_link(client, browser) -> None:
    tracker_id = await tracked(client, "SHIP24_SAMPLE_IN_TRANSIT_004")
    old = await page_path(client, tracker_id)
    rotated = await client.post(f"/trackers/{tracker_id}/page-link/rotate")
    new = rotated.json()["data"]["pageLink"]["path"]
    assert new != old
    assert (await browser.get(old)).status_code == 404
    assert (await browser.get(new)).status_code == 200
    assert (await client.delete(f"/trackers/{tracker_id}/page-link")).status_code == 204
    assert (await browser.get(new)).status_code == 404
    again = await client.delete(f"/trackers/{tracker_id}/page-link")
    assert again.status_code == 404
    assert again.json()["errors"][0]["code"] == "page_link_not_found"


async def test_security_headers_and_no_third_party_request(client, browser) -> None:
    path = await page_path(client, await tracked(client, "SHIP24_SAMPLE_DELIVERED_001"))
    response = await browser.get(path)
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "script-src" not in csp  # default-src 'none': no script at all
    (nonce,) = re.findall(r"<style nonce=\"([^\"]+)\">", response.text)
    assert f"'nonce-{nonce}'" in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-robots-tag"].startswith("noindex")
    assert headers["cache-control"] == "private, max-age=60"
    assert "<script" not in response.text
    resources = re.findall(r"<(?:link|img)[^>]+(?:href|src)=\"([^\"]+)\"", response.text)
    assert resources
    assert all(url.startswith("/track/") for url in resources)
    css = await browser.get(resources[0])
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")


async def test_a_delivered_journey_with_a_hand_over(client, browser) -> None:
    number = "SHIP24_SAMPLE_DELIVERED_002"
    tracker_id = await tracked(client, number)
    api = (await client.get(f"/trackers/{tracker_id}/results")).json()["data"]["trackings"][0]
    page = (await browser.get(await page_path(client, tracker_id) + "?lang=en")).text
    signed_by = api["shipment"]["delivery"]["signedBy"]
    assert signed_by
    assert f'<dd class="signed-by">{signed_by}</dd>' in page
    # The timeline: the API's events in the API's order (newest first), times as given.
    shown = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', page)
    assert [at for at, _ in shown] == [e["occurrenceDatetime"] for e in api["events"]]
    assert [text for _, text in shown] == [dates.local(at, "en") for at, _ in shown]
    texts = re.findall(r'<p class="carrier-text">([^<]*)</p>', page)
    assert texts == [e["status"] for e in api["events"]]
    # Handed over from the sandbox to USPS, with USPS's own tracking page for its number.
    leg = next(e["eventTrackingNumber"] for e in api["events"] if e["courierCode"] == "us-post")
    assert "Handed over to USPS" in page
    assert f'href="{tracking_page_url("us-post", leg)}"' in page
    assert (
        'class="step step-current" aria-current="step"><span class="step-label">Delivered' in page
    )


async def test_not_found_yet(client, browser) -> None:
    path = await page_path(client, await tracked(client, "SHIP24_SAMPLE_PENDING_001"))
    page = (await browser.get(path + "?lang=en")).text
    assert "No tracking information yet" in page
    assert 'class="timeline"' not in page


async def test_an_exception(client, browser) -> None:
    path = await page_path(client, await tracked(client, "SHIP24_SAMPLE_EXCEPTION_001"))
    page = (await browser.get(path, headers={"Accept-Language": "es"})).text
    assert "Hay un problema con esta entrega" in page
    assert 'role="alert"' in page


LANGUAGE_HEADERS = [
    ("en", "en-GB,en;q=0.9"),
    ("fr", "fr-CH, fr;q=0.9, en;q=0.8"),
    ("de", "de"),
    ("es", "es-ES;q=0.9, en;q=0.2"),
    ("it", "en;q=0.3, it;q=0.7"),
    ("nl", "ja, nl-BE;q=0.8"),
    ("pt", "pt-BR"),
    ("pl", "pl;q=1, en;q=0.9"),
]


@pytest.mark.parametrize(("lang", "header"), LANGUAGE_HEADERS)
async def test_the_language_follows_accept_language(client, browser, lang, header) -> None:
    path = await page_path(client, await tracked(client, "SHIP24_SAMPLE_DELIVERED_003"))
    page = (await browser.get(path, headers={"Accept-Language": header})).text
    texts = i18n.catalogue(lang)
    assert f'<html lang="{lang}">' in page
    assert f">{texts['milestones']['delivered']}</p>" in page
    assert texts["statusCodes"]["customs_received"] in page
    assert f'hreflang="{lang}" lang="{lang}" aria-current="true"' in page
    # The switcher's plain link wins over the header.
    switched = (await browser.get(path + "?lang=pl", headers={"Accept-Language": header})).text
    assert '<html lang="pl">' in switched


async def test_hostile_carrier_texts_are_shown_as_text(client, browser, app) -> None:
    tracker_id = await tracked(client, "SHIP24_SAMPLE_DELIVERED_004")
    hostile = '<script>alert("x")</script><img src=//evil.example/x>'
    async with services_of(app).db.write() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT s.id, s.tracking_json FROM shipments s "
                    "JOIN trackers t ON t.shipment_id = s.id WHERE t.id = :id"
                ),
                {"id": tracker_id},
            )
        ).one()
        members = json.loads(b"{" + bytes(row.tracking_json) + b"}")
        members["events"][0]["status"] = hostile
        members["events"][0]["location"] = "</p><a href=javascript:x>"
        members["shipment"]["delivery"]["signedBy"] = "<b>M</b>"
        stored = json.dumps(members).encode()[1:-1]
        await conn.execute(
            text("UPDATE shipments SET tracking_json = :j WHERE id = :id"),
            {"j": stored, "id": row.id},
        )
    page = (await browser.get(await page_path(client, tracker_id))).text
    assert "<script>" not in page
    assert "<img src=//evil" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;/p&gt;&lt;a href=javascript:x&gt;" in page
    assert "&lt;b&gt;M&lt;/b&gt;" in page


async def test_the_page_shows_no_recipient_data(client, browser) -> None:
    body = {
        "trackingNumber": "SHIP24_SAMPLE_DELIVERED_005",
        "destinationPostCode": "11201",
        "recipient": {"email": "jane.doe@example.com", "name": "Jane Doe"},
    }
    created = await client.post("/trackers/track", json=body)
    assert created.status_code == 201, created.text
    tracker_id = created.json()["data"]["trackings"][0]["tracker"]["trackerId"]
    page = (await browser.get(await page_path(client, tracker_id))).text
    assert "jane.doe" not in page
    assert "Jane Doe" not in page
    assert "11201" not in page.replace("NY 11201", "")


def test_every_language_file_translates_every_key() -> None:
    reference = i18n.catalogue("en")
    for lang in i18n.LANGUAGES:
        texts = i18n.catalogue(lang)
        for section in ("ui", "milestones", "statusCodes"):
            assert set(texts[section]) == set(reference[section]), (lang, section)
            assert all(value.strip() for value in texts[section].values()), (lang, section)
        if lang != "en":
            assert texts["milestones"]["delivered"] != reference["milestones"]["delivered"]


def test_accept_language_q_values() -> None:
    assert i18n.choose(None, "en;q=0.2, pl;q=0.8") == "pl"
    assert i18n.choose(None, "xx, de;q=0") == "en"
    assert i18n.choose(None, "ja, *;q=0.5, fr;q=0.1") == "en"
    assert i18n.choose(None, "nl;q=abc, pt;q=0.4") == "pt"
    assert i18n.choose("IT", "de") == "it"
    assert i18n.choose("xx", "de") == "de"
    assert i18n.choose(None, None) == "en"


async def test_concurrent_first_requests_get_one_link(client) -> None:
    tracker_id = await tracked(client, "SHIP24_SAMPLE_IN_TRANSIT_005")
    answers = await asyncio.gather(
        *(client.get(f"/trackers/{tracker_id}/page-link") for _ in range(8))
    )
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["data"]["pageLink"]["path"] for a in answers}) == 1


async def test_the_estimated_delivery_window(client, browser) -> None:
    tracker_id = await tracked(client, "SHIP24_SAMPLE_IN_TRANSIT_006")
    api = (await client.get(f"/trackers/{tracker_id}/results")).json()["data"]["trackings"][0]
    window = api["shipment"]["delivery"]["courierEstimatedDeliveryDate"]
    assert window["from"]
    assert window["to"]
    page = (await browser.get(await page_path(client, tracker_id) + "?lang=en")).text
    (shown,) = re.findall(r'<dd class="eta">([^<]+)</dd>', page)
    assert shown == dates.window(window["from"], window["to"], "en")
    assert shown.startswith(dates.local(window["from"], "en"))
    assert "Estimated delivery" in page


async def test_a_page_seen_again_is_fresh_and_has_its_own_nonce(client, browser) -> None:
    path = await page_path(client, await tracked(client, "SHIP24_SAMPLE_IN_TRANSIT_008"))
    nonces = []
    for _ in range(2):
        answer = await browser.get(path + "?lang=en")
        (nonce,) = re.findall(r'<style nonce="([^"]+)">', answer.text)
        assert f"'nonce-{nonce}'" in answer.headers["content-security-policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    # A new branding shows at once: the page's key includes the branding's version.
    put = await client.put("/account/page-branding", json={"name": "Renamed Shop"})
    assert put.status_code == 200
    assert "Renamed Shop" in (await browser.get(path + "?lang=en")).text
