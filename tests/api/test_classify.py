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
            "confidence": 0.95,
        }
    }


async def test_hints_are_accepted(client):
    response = await client.post(
        "/statuses/classify",
        json={"text": "x", "courierCode": "us-post", "carrierStatusCode": "EDG", "language": "EN"},
    )
    assert response.json()["data"]["statusCode"] == "delivery_out_for_delivery"
    assert response.json()["data"]["ruleId"] == "upu.EDG"


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
