"""Every kind of bad request answers in Ship24's error envelope, and the server keeps serving."""

from __future__ import annotations


def _error(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-request-id"]
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["message"]
    assert "Traceback" not in response.text
    return body["errors"][0]["message"]


async def test_malformed_json_is_parsing_error(client):
    response = await client.post(
        "/trackers",
        content=b'{"trackingNumber": "RA1',
        headers={"content-type": "application/json"},
    )
    assert "not valid JSON" in _error(response, 400, "parsing_error")


async def test_empty_body_is_parsing_error(client):
    response = await client.post(
        "/trackers", content=b"", headers={"content-type": "application/json"}
    )
    _error(response, 400, "parsing_error")


async def test_wrong_content_type(client):
    response = await client.post(
        "/trackers",
        content=b"trackingNumber=RA123456785GB",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert "application/json" in _error(response, 415, "parsing_error")


async def test_charset_in_content_type_is_fine(client):
    response = await client.post(
        "/trackers",
        content=b'{"trackingNumber": "RA123456785GB"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201


async def test_body_not_an_object(client):
    response = await client.post("/trackers", json=["RA123456785GB"])
    _error(response, 400, "validation_error")


async def test_unknown_route(client):
    response = await client.get("/no-such-thing")
    assert "/public/v1" in _error(response, 404, "route_not_found")


async def test_wrong_method(client):
    response = await client.delete("/trackers")
    message = _error(response, 405, "method_not_allowed")
    assert "DELETE" in message


async def test_body_over_the_limit(client):
    big = b'{"trackingNumber": "RA123456785GB", "title": "' + b"x" * (1_100_000) + b'"}'
    response = await client.post(
        "/trackers", content=big, headers={"content-type": "application/json"}
    )
    _error(response, 413, "payload_too_large")
    assert (await client.get("/trackers")).status_code == 200


async def test_request_id_is_echoed_when_sane(client):
    response = await client.get("/trackers", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    response = await client.get("/trackers", headers={"x-request-id": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"


async def test_bad_query_parameters(client):
    for path in (
        "/trackers?page=0",
        "/trackers?limit=501",
        "/trackers?limit=x",
        "/trackers?sort=2",
        "/trackers/abc?searchBy=email",
    ):
        response = await client.get(path)
        _error(response, 400, "validation_error")


async def test_health_and_readiness(client):
    assert (await client.get("http://shiptrack.test/healthz")).json() == {"status": "ok"}
    ready = await client.get("http://shiptrack.test/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


async def test_openapi_and_docs(client):
    document = (await client.get("http://shiptrack.test/openapi.json")).json()
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert {
        "create-tracker",
        "bulk-create-trackers",
        "list-trackers",
        "get-couriers",
        "create-tracker-and-get-tracking-results",
    } <= operations
    assert "TrackerCreateRequest" in document["components"]["schemas"]
    docs = await client.get("http://shiptrack.test/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_every_reference_in_the_openapi_document_resolves(client):
    document = (await client.get("http://shiptrack.test/openapi.json")).json()
    components = document["components"]["schemas"]
    references: list[str] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                references.append(item["$ref"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    assert "#/components/schemas/TrackingSearchRequest" in references
    unresolved = {
        ref
        for ref in references
        if not ref.startswith("#/components/schemas/")
        or ref.removeprefix("#/components/schemas/") not in components
    }
    assert not unresolved
