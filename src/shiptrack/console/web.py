"""The console's routes, its sign-in and sign-out, and its two assets."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable
from importlib import resources

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from shiptrack.console import (
    charts,
    health,
    imports,
    render,
    sessions,
    tracker_pages,
    webhook_pages,
)
from shiptrack.console.sessions import Session, signed_in
from shiptrack.errors import ApiError

_SIGN_IN_SECONDS = 1800


@functools.cache
def _asset(name: str) -> bytes:
    return resources.files("shiptrack.console").joinpath(f"static/{name}").read_bytes()


def _static(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        headers = {**render.HEADERS, "Cache-Control": "public, max-age=3600"}
        return Response(_asset(name), media_type=media_type, headers=headers)

    return serve


def _next(request: Request, value: str | None) -> str:
    """Where to go after signing in: a console path only (no open redirect)."""
    if value and value.startswith("/console/") and "//" not in value and "\\" not in value:
        return value
    return "/console/trackers"


def _sign_in_form(
    request: Request, *, status: int = 200, problem: str | None = None, next_path: str
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render.page(
        request,
        "sign_in.html",
        None,
        status=status,
        problem=problem,
        csrf=token,
        next_path=next_path,
    )
    sessions.set_cookie(request, response, sessions.SIGN_IN_COOKIE, token, _SIGN_IN_SECONDS)
    return response


async def sign_in_page(request: Request) -> Response:
    next_path = _next(request, request.query_params.get("next"))
    if await sessions.current(request) is not None:
        return RedirectResponse(next_path, 303)
    return _sign_in_form(request, next_path=next_path)


async def sign_in(request: Request) -> Response:
    form = await request.form()
    next_path = _next(request, str(form.get("next") or ""))
    expected = request.cookies.get(sessions.SIGN_IN_COOKIE) or ""
    if not expected or not await sessions.csrf_ok(request, expected):
        return _sign_in_form(
            request,
            status=403,
            problem="The sign-in form was stale or came from another site; try again.",
            next_path=next_path,
        )
    key = str(form.get("key") or "")
    if not key.strip():
        return _sign_in_form(
            request, status=400, problem="Enter one of the account's API keys.", next_path=next_path
        )
    try:
        token, _ = await sessions.sign_in(request, key)
    except ApiError as exc:
        problem = (
            "Too many failed sign-ins from this address; wait a few minutes."
            if exc.status == 429
            else "This API key is not valid or has been revoked."
        )
        return _sign_in_form(request, status=exc.status, problem=problem, next_path=next_path)
    response = RedirectResponse(next_path, 303)
    sessions.set_cookie(request, response, sessions.COOKIE, token, sessions.SESSION_HOURS * 3600)
    response.delete_cookie(sessions.SIGN_IN_COOKIE, path="/console")
    return response


@signed_in
async def sign_out(request: Request, session: Session) -> Response:
    await sessions.sign_out(request)
    response = RedirectResponse(sessions.SIGN_IN_PATH, 303)
    response.delete_cookie(sessions.COOKIE, path="/console")
    return response


async def home(request: Request) -> Response:
    return RedirectResponse("/console/trackers", 303)


def routes() -> list[BaseRoute]:
    return [
        Route("/console", home, methods=["GET"]),
        Route("/console/", home, methods=["GET"]),
        Route(render.CSS_PATH, _static("console.css", "text/css"), methods=["GET"]),
        Route(render.JS_PATH, _static("console.js", "text/javascript"), methods=["GET"]),
        Route(sessions.SIGN_IN_PATH, sign_in_page, methods=["GET"]),
        Route(sessions.SIGN_IN_PATH, sign_in, methods=["POST"]),
        Route("/console/sign-out", sign_out, methods=["POST"]),
        Route("/console/trackers", tracker_pages.tracker_list, methods=["GET"]),
        Route("/console/trackers/{trackerId}", tracker_pages.tracker_detail, methods=["GET"]),
        Route("/console/trackers/{trackerId}/resend", tracker_pages.resend, methods=["POST"]),
        Route("/console/imports", imports.imports_page, methods=["GET"]),
        Route("/console/imports", imports.start_import, methods=["POST"]),
        Route("/console/imports/{importId}", imports.import_page, methods=["GET"]),
        Route("/console/imports/{importId}/progress", imports.import_progress, methods=["GET"]),
        Route("/console/webhooks", webhook_pages.webhooks_page, methods=["GET"]),
        Route("/console/webhooks", webhook_pages.save_settings, methods=["POST"]),
        Route("/console/webhooks/rotate", webhook_pages.rotate_secret, methods=["POST"]),
        Route(
            "/console/webhooks/messages/{messageId}/replay",
            webhook_pages.replay,
            methods=["POST"],
        ),
        Route("/console/health", health.health_page, methods=["GET"]),
        Route("/console/charts", charts.charts_page, methods=["GET"]),
    ]
