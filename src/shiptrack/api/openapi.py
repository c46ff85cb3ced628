"""The OpenAPI document: routes reference the wire models of ``api/schemas.py`` by name.

Handlers return pre-rendered JSON, so FastAPI cannot infer schemas from return types; routes
declare them with these helpers and ``install`` adds the models as components.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shiptrack import __version__
from shiptrack.api import schemas

_STATUS_TEXT = {400: "Bad request", 401: "Invalid API key", 404: "Not found",
                409: "Concurrent request conflict", 429: "Rate limited"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_schema_body(name: str) -> dict[str, Any]:
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": _ref(name)}}}}


def json_schema_response(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def error_responses(*codes: int) -> dict[int, dict[str, Any]]:
    return {c: json_schema_response("ErrorEnvelope", _STATUS_TEXT.get(c, "Error"))
            for c in (*codes, 401, 429)}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title="shiptrack",
            version=__version__,
            description="Self-hosted shipment tracking. The API is wire-compatible with Ship24's "
            "Tracking API: every endpoint is served under /public/v1 and /v1. Authenticate with "
            "'Authorization: Bearer <API key>'.",
            routes=app.routes,
        )
        components = document.setdefault("components", {})
        found: dict[str, Any] = components.setdefault("schemas", {})
        for model in schemas.MODELS:
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}",
                                              by_alias=True)
            found.update(schema.pop("$defs", {}))
            found[model.__name__] = schema
        components["securitySchemes"] = {
            "bearerAuth": {"type": "http", "scheme": "bearer", "description": "apik_… key"}
        }
        document["security"] = [{"bearerAuth": []}]
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
