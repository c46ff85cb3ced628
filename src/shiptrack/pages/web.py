"""The tracking page's HTTP side: ``/track/{token}``, its logo and its stylesheet.

Every answer carries the page's security headers: a Content-Security-Policy allowing only
shiptrack's own stylesheet and images plus one nonce'd ``<style>`` (the account's three
colours), no scripts at all; ``Referrer-Policy: no-referrer``; ``nosniff``; ``noindex``;
``Cache-Control: private`` with a short max-age. An unknown token answers a 404 page (in
the visitor's language), never a 500 or a hint about which part was wrong.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from shiptrack.db.engine import Database
from shiptrack.errors import ApiError
from shiptrack.pages import branding, i18n, links, repository, view
from shiptrack.trackers import presenter
from shiptrack.trackers import service as trackers

CSS_PATH = "/track/assets/page.css"
ICON_PATH = "/track/assets/icon.svg"
#: Seconds a browser may reuse a page (tracking moves slowly; a reload shows news).
PAGE_MAX_AGE = 60


@functools.cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("shiptrack.pages", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _asset(name: str) -> bytes:
    return resources.files("shiptrack.pages").joinpath(f"static/{name}").read_bytes()


def _headers(nonce: str | None, max_age: int = PAGE_MAX_AGE) -> dict[str, str]:
    style = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src {style}; img-src 'self'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Robots-Tag": "noindex, nofollow",
        "Cache-Control": f"private, max-age={max_age}",
        "Vary": "Accept-Language",
    }


def _render(
    template: str, status: int, lang: str, brand: branding.Branding, **context: Any
) -> Response:
    texts = i18n.catalogue(lang)
    nonce = secrets.token_urlsafe(16)
    html = (
        _templates()
        .get_template(template)
        .render(
            lang=lang,
            ui=texts["ui"],
            brand=brand,
            nonce=nonce,
            css_path=CSS_PATH,
            icon_path=ICON_PATH,
            languages=[(code, i18n.catalogue(code)["language"]) for code in i18n.LANGUAGES],
            **context,
        )
    )
    max_age = PAGE_MAX_AGE if status == 200 else 0
    return HTMLResponse(html, status, headers=_headers(nonce, max_age))


def _language(request: Request) -> str:
    return i18n.choose(request.query_params.get("lang"), request.headers.get("accept-language"))


def _not_found(request: Request) -> Response:
    return _render("invalid.html", 404, _language(request), branding.Branding(), logo_path=None)


async def tracking_page(request: Request) -> Response:
    db: Database = request.app.state.db
    token = request.path_params["token"]
    link = await links.resolve(db, token)
    if link is None:
        return _not_found(request)
    try:
        row = await trackers.results(db, link.account_id, link.tracker_id, by_client_id=False)
    except ApiError:
        return _not_found(request)
    async with db.read() as conn:
        brand = branding.from_row(await repository.branding(conn, link.account_id))
    lang = _language(request)
    tracking = orjson.loads(presenter.tracking_bytes(row))
    page = view.build(tracking, i18n.catalogue(lang))
    logo = f"{links.page_path(token)}/logo" if brand.logo_type else None
    return _render("page.html", 200, lang, brand, page=page, logo_path=logo)


async def logo(request: Request) -> Response:
    db: Database = request.app.state.db
    link = await links.resolve(db, request.path_params["token"])
    found = None
    if link is not None:
        async with db.read() as conn:
            found = await repository.branding(conn, link.account_id)
    if found is None or found.logo is None:
        return Response(b"", 404, headers=_headers(None, 0))
    return Response(bytes(found.logo), media_type=found.logo_type, headers=_headers(None))


def _static(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        headers = {**_headers(None), "Cache-Control": "public, max-age=3600"}
        return Response(_asset(name), media_type=media_type, headers=headers)

    return serve


def routes() -> list[BaseRoute]:
    return [
        Route(CSS_PATH, _static("page.css", "text/css"), methods=["GET"]),
        Route(ICON_PATH, _static("icon.svg", "image/svg+xml"), methods=["GET"]),
        Route("/track/{token}", tracking_page, methods=["GET"]),
        Route("/track/{token}/logo", logo, methods=["GET"]),
    ]
