"""Renders every error the framework or a service raises as Ship24's error envelope."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from shiptrack.api.errors import ApiError, ErrorItem, error_body


def _response(status: int, items: list[ErrorItem], headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(items), status_code=status, media_type="application/json",
                    headers=headers)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _response(exc.status, exc.items, exc.headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        item = ErrorItem("route_not_found",
                         f"There is no endpoint at {request.url.path}. The API lives under "
                         "/public/v1 (or /v1); see /docs for the list of endpoints.")
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        item = ErrorItem("method_not_allowed",
                         f"{request.method} is not allowed on {request.url.path}; use "
                         f"{allowed or 'another method'}.")
    else:
        item = ErrorItem("http_error", str(exc.detail))
    return _response(exc.status_code, [item], exc.headers)


async def request_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    items = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        items.append(ErrorItem("validation_error", f"{where or 'request'}: {error.get('msg')}"))
    return _response(400, items or [ErrorItem("validation_error", "The request is invalid.")])


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, request_validation_error)
