"""Renders every error the framework or a service raises as Ship24's error envelope."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Scope

from shiptrack.errors import ApiError, ErrorItem, error_body


def _response(
    status: int, items: list[ErrorItem], headers: dict[str, str] | None = None
) -> Response:
    return Response(
        error_body(items), status_code=status, media_type="application/json", headers=headers
    )


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _response(exc.status, exc.items, exc.headers)


def _route_without_trailing_slash(request: Request) -> str | None:
    """The path without its trailing slash(es), when a route serves that path."""
    path = request.scope["path"]
    trimmed = path.rstrip("/")
    if trimmed == path or not trimmed:
        return None
    scope = {
        **request.scope,
        "path": trimmed,
        "root_path": request.scope.get("app_root_path", ""),
    }
    return trimmed if _served(request.app.router.routes, scope) else None


def _served(routes: list[BaseRoute], scope: Scope) -> bool:
    for route in routes:
        match, child = route.matches(scope)
        if match == Match.NONE:
            continue
        if not isinstance(route, Mount) or _served(route.routes, {**scope, **child}):
            return True
    return False


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        path = request.url.path
        without_slash = _route_without_trailing_slash(request)
        if without_slash:
            hint = f"the endpoint is {without_slash}, without the trailing slash."
        else:
            hint = "the API lives under /public/v1 (or /v1); see /docs for the endpoints."
        item = ErrorItem("route_not_found", f"There is no endpoint at {path}; {hint}")
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
