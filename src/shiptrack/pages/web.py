"""The tracking page's HTTP side: ``/track/{token}``, its logo and its stylesheet.

Every answer carries the page's security headers: a Content-Security-Policy allowing only
shiptrack's own stylesheet and images plus one nonce'd ``<style>`` (the account's three
colours), no scripts at all; ``Referrer-Policy: no-referrer``; ``nosniff``; ``noindex``;
``Cache-Control: private`` with a short max-age. An unknown token answers a 404 page (in
the visitor's language), never a 500 or a hint about which part was wrong.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from shiptrack.api.services import services
from shiptrack.db.engine import Database
from shiptrack.pages import branding, i18n, links, render, repository, search, view
from shiptrack.trackers import presenter
from shiptrack.trackers import service as trackers


class _PageCache:
    """Rendered pages by what they are made of: the tracker, a digest of its stored results,
    the branding's version, the language and the link. Anything that changes a page changes
    its key, so an entry is never stale, only unused; the least recently used go first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[Any, ...], str] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> str | None:
        found = self._pages.get(key)
        if found is not None:
            self._pages.move_to_end(key)
        return found

    def put(self, key: tuple[Any, ...], page: str) -> None:
        self._pages[key] = page
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)


#: Rendering is most of a page's cost; a page seen again is served from here. The per-response
#: CSP nonce stands in the cached HTML as this placeholder (no page text can contain it).
_PAGES = _PageCache(1024)
_NONCE = "n" + secrets.token_hex(16)


@functools.cache
def _asset(name: str) -> bytes:
    return resources.files("shiptrack.pages").joinpath(f"static/{name}").read_bytes()


async def tracking_page(request: Request) -> Response:
    db: Database = services(request).db
    token = request.path_params["token"]
    # One connection for the link, the results and the branding (a page is three reads).
    async with db.read() as conn:
        link = await links.resolve_on(conn, token)
        row = brand_row = None
        if link is not None:
            row = await trackers.results_on(conn, link.account_id, link.tracker_id)
            brand_row = await repository.branding(conn, link.account_id)
    if link is None or row is None:
        return render.not_found(request)
    lang = render.language(request)
    nonce = secrets.token_urlsafe(16)
    key = (
        row.id,
        hashlib.blake2b(bytes(row.tracking_json or b""), digest_size=16).digest(),
        brand_row.updated_at if brand_row is not None else None,
        lang,
        token,
    )
    cached = _PAGES.get(key)
    if cached is None:
        brand = branding.from_row(brand_row)
        tracking = orjson.loads(presenter.tracking_bytes(row))
        page = view.build(tracking, i18n.catalogue(lang), lang)
        logo = f"{links.page_path(token)}/logo" if brand.logo_type else None
        cached = render.html("page.html", lang, brand, _NONCE, page=page, logo_path=logo)
        _PAGES.put(key, cached)
    return render.respond(cached.replace(_NONCE, nonce), 200, nonce)


async def logo(request: Request) -> Response:
    db: Database = services(request).db
    link = await links.resolve(db, request.path_params["token"])
    found = None
    if link is not None:
        async with db.read() as conn:
            found = await repository.branding(conn, link.account_id)
    if found is None or found.logo is None:
        return Response(b"", 404, headers=render.headers(None, 0))
    return Response(bytes(found.logo), media_type=found.logo_type, headers=render.headers(None))


def _static(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        headers = {**render.headers(None), "Cache-Control": "public, max-age=3600"}
        return Response(_asset(name), media_type=media_type, headers=headers)

    return serve


def routes() -> list[BaseRoute]:
    return [
        Route(render.CSS_PATH, _static("page.css", "text/css"), methods=["GET"]),
        Route(render.ICON_PATH, _static("icon.svg", "image/svg+xml"), methods=["GET"]),
        Route(search.PATH, search.form, methods=["GET"]),
        Route(search.PATH, search.find, methods=["POST"]),
        Route("/track/{token}", tracking_page, methods=["GET"]),
        Route("/track/{token}/logo", logo, methods=["GET"]),
    ]
