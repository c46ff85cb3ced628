"""The tracking page's HTTP side: ``/track/{token}``, its logo and its stylesheet.

Every answer carries the page's security headers: a Content-Security-Policy allowing only
shiptrack's own stylesheet and images plus one nonce'd ``<style>`` (the account's three
colours), no scripts at all; ``Referrer-Policy: no-referrer``; ``nosniff``; ``noindex``;
``Cache-Control: private`` with a short max-age. An unknown token answers a 404 page (in
the visitor's language), never a 500 or a hint about which part was wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from importlib import resources

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from shiptrack.db.engine import Database
from shiptrack.errors import ApiError
from shiptrack.pages import branding, i18n, links, render, repository, search, view
from shiptrack.trackers import presenter
from shiptrack.trackers import service as trackers


@functools.cache
def _asset(name: str) -> bytes:
    return resources.files("shiptrack.pages").joinpath(f"static/{name}").read_bytes()


async def tracking_page(request: Request) -> Response:
    db: Database = request.app.state.db
    token = request.path_params["token"]
    link = await links.resolve(db, token)
    if link is None:
        return render.not_found(request)
    try:
        row = await trackers.results(db, link.account_id, link.tracker_id, by_client_id=False)
    except ApiError:
        return render.not_found(request)
    async with db.read() as conn:
        brand = branding.from_row(await repository.branding(conn, link.account_id))
    lang = render.language(request)
    tracking = orjson.loads(presenter.tracking_bytes(row))
    page = view.build(tracking, i18n.catalogue(lang), lang)
    logo = f"{links.page_path(token)}/logo" if brand.logo_type else None
    return render.page("page.html", 200, lang, brand, page=page, logo_path=logo)


async def logo(request: Request) -> Response:
    db: Database = request.app.state.db
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
