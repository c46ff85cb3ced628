"""The OpenAPI 3.1 document, built from the features' operations and the wire models their
routers declare (collected by ``app.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from shiptrack import __version__
from shiptrack.api.routing import Operation

_ERROR_TEXT = {
    400: "Bad request",
    401: "Invalid API key",
    404: "Not found",
    409: "Concurrent request conflict",
    429: "Rate limited",
}

SEARCH_BY = {
    "name": "searchBy",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["trackerId", "clientTrackerId"], "default": "trackerId"},
    "description": "What the path segment holds: the trackerId (default) or your clientTrackerId.",
}


def errors(*codes: int) -> dict[int, tuple[str, str]]:
    """Error responses of an operation (plus 400, 401 and 429, which every one can return:
    400 for a missing or malformed Authorization header or a bad parameter)."""
    return {c: ("ErrorEnvelope", _ERROR_TEXT.get(c, "Error")) for c in (*codes, 400, 401, 429)}


def _ref(name: str) -> dict[str, Any]:
    """A component, or ``A|B``: either of two (one status answered in two envelopes)."""
    if "|" in name:
        return {"oneOf": [_ref(n) for n in name.split("|")]}
    return {"$ref": f"#/components/schemas/{name}"}


def _path_parameters(path: str) -> list[dict[str, object]]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
    ]


def build_document(
    operations: list[Operation], prefix: str, models: Sequence[type[BaseModel]]
) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        entry: dict[str, Any] = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": [*_path_parameters(op.path), *op.parameters],
            "responses": {
                str(status): {
                    "description": text,
                    "content": {"application/json": {"schema": _ref(name)}},
                }
                for status, (name, text) in sorted(op.responses.items())
            },
        }
        if op.description:
            entry["description"] = op.description
        if op.body:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(op.body)}},
            }
        paths.setdefault(prefix + op.path, {})[op.method.lower()] = entry
    components: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "shiptrack",
            "version": __version__,
            "description": "Self-hosted shipment tracking. The API is wire-compatible with "
            "Ship24's Tracking API: every endpoint is served under /public/v1 and /v1. "
            "Authenticate with 'Authorization: Bearer <API key>'.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An apik_… key"}
            },
        },
        "security": [{"bearerAuth": []}],
    }
