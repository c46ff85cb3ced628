"""POST /statuses/classify (shiptrack extension) and its place in the OpenAPI document."""

from __future__ import annotations

import pytest


async def test_classify_answers_in_the_envelope(client):
    response = await client.post("/statuses/classify", json={"text": "Zending is afgeleverd"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": {
            "statusCode": "delivery_delivered",
            "statusMilestone": "delivered",
            "ruleId": "nl.delivered",
            "language": "nl",
            "confidence": 0.9,
        }
    }


async def test_a_upu_code_decides_for_a_courier_without_a_table(client):
    response = await client.post(
        "/statuses/classify",
        json={"text": "x", "courierCode": "nl-post", "carrierStatusCode": "EDG", "language": "EN"},
    )
    assert response.json()["data"]["statusCode"] == "delivery_out_for_delivery"
    assert response.json()["data"]["ruleId"] == "upu.EDG"


async def test_the_couriers_own_table_decides_its_code_whatever_the_text(client):
    # USPS "03" is an acceptance scan (Publication 199), even beside the word "Delivered".
    response = await client.post(
        "/statuses/classify",
        json={"text": "Delivered", "courierCode": "us-post", "carrierStatusCode": "03"},
    )
    data = response.json()["data"]
    assert (data["statusCode"], data["ruleId"], data["confidence"]) == (
        "transit_handover",
        "table:us-post:03",
        1.0,
    )
    # A code the table does not know leaves the decision to the text.
    response = await client.post(
        "/statuses/classify",
        json={"text": "Delivered", "courierCode": "us-post", "carrierStatusCode": "Q7"},
    )
    assert response.json()["data"]["ruleId"] == "en.delivered"


async def test_courier_and_location_are_language_priors(client):
    # "Retour" is a French and a Dutch word: the courier's country or the location decides.
    for body, language in (
        ({"text": "Retour", "courierCode": "nl-post"}, "nl"),
        ({"text": "Retour", "courierCode": "colissimo"}, "fr"),
        ({"text": "Retour", "location": "Utrecht, NL"}, "nl"),
    ):
        data = (await client.post("/statuses/classify", json=body)).json()["data"]
        assert (data["language"], data["ruleId"]) == (language, f"{language}.return"), body


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "missing_mandatory_field"),
        ([], "validation_error"),
        ({"text": 12}, "validation_error"),
        ({"text": "   "}, "validation_error"),
        ({"text": "x" * 2001}, "validation_error"),
        ({"text": "delivered", "language": "xx"}, "validation_error"),
        ({"text": "delivered", "courierCode": ["ups"]}, "validation_error"),
        ({"text": "delivered", "location": "x" * 201}, "validation_error"),
        ({"text": "delivered", "location": 3}, "validation_error"),
    ],
)
async def test_bad_input_is_a_ship24_style_400(client, body, code):
    response = await client.post("/statuses/classify", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code


async def test_it_needs_an_api_key(client):
    response = await client.post(
        "/statuses/classify", json={"text": "delivered"}, headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 401


async def test_the_extensions_are_in_the_openapi_document(client):
    document = (await client.get("http://shiptrack.test/openapi.json")).json()
    for prefix_path, method in (
        ("/public/v1/statuses/classify", "post"),
        ("/public/v1/trackers/{trackerId}/diagnostics", "get"),
    ):
        operation = document["paths"][prefix_path][method]
        assert "shiptrack extension" in operation["summary"]
    schemas = document["components"]["schemas"]
    assert {"ClassifyRequest", "ClassifyEnvelope", "DiagnosticsEnvelope"} <= set(schemas)
