"""Renders every error the framework or a service raises as Ship24's error envelope."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.api.errors import ApiError, ErrorItem, error_body


def _response(
    status: int, items: list[ErrorItem], headers: dict[str, str] | None = None
) -> Response:
    return Response(
        error_body(items), status_code=status, media_type="application/json", headers=headers
    )


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _response(exc.status, exc.items, exc.headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        item = ErrorItem(
            "route_not_found",
            f"There is no endpoint at {request.url.path}. The API lives under "
            "/public/v1 (or /v1); see /docs for the list of endpoints.",
        )
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        item = ErrorItem(
            "method_not_allowed",
            f"{request.method} is not allowed on {request.url.path}; use "
            f"{allowed or 'another method'}.",
        )
    else:
        item = ErrorItem("http_error", str(exc.detail))
    return _response(exc.status_code, [item], exc.headers)


EXCEPTION_HANDLERS = {ApiError: api_error, HTTPException: http_error}
