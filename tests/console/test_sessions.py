"""Signing in to the console: the API key, the cookie's flags, CSRF on every form, sign-out."""

from __future__ import annotations

import httpx
from tests.console.conftest import csrf_of, post_form, sign_in


async def _browser(client) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=client._transport, base_url="http://shiptrack.test")


async def test_pages_need_a_session(client) -> None:
    async with await _browser(client) as anonymous:
        for path in ("/console/trackers", "/console/webhooks", "/console/health"):
            answer = await anonymous.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/console/sign-in?next={path}"


async def test_the_console_s_address_leads_to_its_trackers(client) -> None:
    async with await _browser(client) as anonymous:
        for path in ("/console", "/console/"):
            answer = await anonymous.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == "/console/trackers"


async def test_signing_in_sets_a_strict_http_only_cookie(client) -> None:
    async with await _browser(client) as browser:
        answer = await sign_in(browser, client.api_key)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/console/trackers"
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("shiptrack_console=")
        )
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert {"httponly", "samesite=strict", "path=/console"} <= flags
        assert "secure" not in flags  # plain HTTP here; Secure over TLS (next test)
        page = await browser.get("/console/trackers")
        assert page.status_code == 200
        assert "acme" in page.text
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "script-src 'self'" in csp
        assert page.headers["cache-control"] == "no-store"


async def test_the_cookie_is_secure_over_tls(client) -> None:
    async with httpx.AsyncClient(
        transport=client._transport, base_url="https://shiptrack.test"
    ) as browser:
        form = await browser.get("/console/sign-in")
        answer = await browser.post(
            "/console/sign-in",
            data={"key": client.api_key, "csrf": csrf_of(form.text)},
            headers={"Origin": "https://shiptrack.test"},
        )
        assert answer.status_code == 303
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("shiptrack_console=")
        )
        assert "secure" in cookie.lower()


async def test_a_wrong_key_or_a_forged_form_is_refused(client) -> None:
    async with await _browser(client) as browser:
        wrong = await sign_in(browser, "not-a-key")
        assert wrong.status_code == 401
        assert "not valid" in wrong.text
        await browser.get("/console/sign-in")
        forged = await browser.post(
            "/console/sign-in", data={"key": client.api_key, "csrf": "guessed"}
        )
        assert forged.status_code == 403
        assert "shiptrack_console=" not in " ".join(forged.headers.get_list("set-cookie"))


async def test_forms_need_the_session_csrf_token_and_our_origin(client, operator) -> None:
    no_token = await operator.post("/console/webhooks/rotate", data={})
    assert no_token.status_code == 403
    html = (await operator.get("/console/webhooks")).text
    other_site = await operator.post(
        "/console/webhooks/rotate",
        data={"csrf": csrf_of(html)},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403


async def test_signing_out_ends_the_session(client, operator) -> None:
    answer = await post_form(operator, "/console/trackers", "/console/sign-out", {})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in"
    assert (await operator.get("/console/trackers")).status_code == 303


async def test_sign_in_goes_back_to_console_pages_only(client) -> None:
    async with await _browser(client) as browser:
        form = await browser.get("/console/sign-in?next=//evil.example/")
        answer = await browser.post(
            "/console/sign-in",
            data={"key": client.api_key, "csrf": csrf_of(form.text), "next": "//evil.example/"},
        )
        assert answer.headers["location"] == "/console/trackers"


async def test_one_account_never_sees_another_s_tracker(client, other_client, operator) -> None:
    created = await other_client.post("/trackers", json={"trackingNumber": "SHIP24_SAMPLE_X_1"})
    theirs = created.json()["data"]["tracker"]["trackerId"]
    assert (await operator.get(f"/console/trackers/{theirs}")).status_code == 404
