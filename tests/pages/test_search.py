"""Finding a tracking page by tracking number and destination post code: only when the
account allows it, the same answer for an unknown number and a wrong post code, guesses
limited, messages in the visitor's language."""

from __future__ import annotations

import pytest

from shiptrack.pages import search

NUMBER = "SHIP24_SAMPLE_IN_TRANSIT_007"


async def _tracker_with_post_code(client, number: str = NUMBER, post_code: str = "75011") -> str:
    response = await client.post(
        "/trackers/track",
        json={"trackingNumber": number, "destinationPostCode": post_code},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["trackings"][0]["tracker"]["trackerId"])


async def _enable(client, on: bool = True) -> None:
    response = await client.put("/account/page-branding", json={"postCodeSearch": on})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["branding"]["postCodeSearch"] is on


async def test_the_form_is_off_unless_the_account_turns_it_on(client, browser) -> None:
    path = f"/track/find/{client.account_id}"
    assert (await browser.get(path)).status_code == 404
    assert (await browser.post(path, data={"number": NUMBER, "postcode": "1"})).status_code == 404
    await _enable(client)
    form = await browser.get(path + "?lang=fr")
    assert form.status_code == 200
    assert "Retrouver votre colis" in form.text
    assert "default-src 'none'" in form.headers["content-security-policy"]
    assert form.headers["cache-control"] == "no-store"
    await _enable(client, False)
    assert (await browser.get(path)).status_code == 404
    assert (await browser.get("/track/find/no-such-account")).status_code == 404


async def test_the_right_post_code_leads_to_the_page(client, browser) -> None:
    tracker_id = await _tracker_with_post_code(client, post_code="SW1A 1AA")
    await _enable(client)
    found = await browser.post(
        f"/track/find/{client.account_id}?lang=de",
        data={"number": NUMBER.lower(), "postcode": "sw1a-1aa"},
    )
    assert found.status_code == 303
    link = (await client.get(f"/trackers/{tracker_id}/page-link")).json()["data"]["pageLink"]
    assert found.headers["location"] == link["path"] + "?lang=de"
    page = await browser.get(found.headers["location"])
    assert page.status_code == 200
    assert NUMBER in page.text


async def test_no_oracle_between_an_unknown_number_and_a_wrong_post_code(client, browser) -> None:
    await _tracker_with_post_code(client)
    await _enable(client)
    path = f"/track/find/{client.account_id}?lang=en"
    wrong = await browser.post(path, data={"number": NUMBER, "postcode": "75012"})
    unknown = await browser.post(path, data={"number": "NO_SUCH_123", "postcode": "75011"})
    assert wrong.status_code == unknown.status_code == 404
    message = "No parcel matches this tracking number and post code"
    assert message in wrong.text
    assert message in unknown.text
    assert wrong.text.replace(NUMBER, "N").count("<") == unknown.text.replace(
        "NO_SUCH_123", "N"
    ).count("<")


async def test_a_tracker_without_a_post_code_cannot_be_found(client, browser) -> None:
    response = await client.post("/trackers/track", json={"trackingNumber": NUMBER})
    assert response.status_code == 201
    await _enable(client)
    answer = await browser.post(
        f"/track/find/{client.account_id}", data={"number": NUMBER, "postcode": ""}
    )
    assert answer.status_code == 400
    answer = await browser.post(
        f"/track/find/{client.account_id}", data={"number": NUMBER, "postcode": "-"}
    )
    assert answer.status_code == 404


async def test_guesses_are_limited_per_number(client, browser) -> None:
    await _tracker_with_post_code(client)
    await _enable(client)
    path = f"/track/find/{client.account_id}?lang=pl"
    for guess in range(search.NUMBER_LIMIT):
        answer = await browser.post(path, data={"number": NUMBER, "postcode": f"0000{guess}"})
        assert answer.status_code == 404
    # Even the right post code now waits: the number is locked for the window.
    blocked = await browser.post(path, data={"number": NUMBER, "postcode": "75011"})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert "Zbyt wiele prób" in blocked.text
    # Another number of the same address is not locked yet (address limit is higher).
    other = await browser.post(path, data={"number": "OTHER_1", "postcode": "1"})
    assert other.status_code == 404


async def test_guesses_are_limited_per_address(client, browser) -> None:
    await _enable(client)
    path = f"/track/find/{client.account_id}"
    for guess in range(search.ADDRESS_LIMIT):
        answer = await browser.post(path, data={"number": f"N{guess}", "postcode": "1"})
        assert answer.status_code == 404
    blocked = await browser.post(path, data={"number": "N-LAST", "postcode": "1"})
    assert blocked.status_code == 429


@pytest.mark.parametrize("value", ["yes", 1])
async def test_the_switch_takes_booleans_only(client, value) -> None:
    response = await client.put("/account/page-branding", json={"postCodeSearch": value})
    assert response.status_code == 400
    assert "postCodeSearch must be true, false or null" in response.text
