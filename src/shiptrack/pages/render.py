"""How every answer of the tracking pages is rendered: Jinja2 with autoescaping, the page's
language, and the security headers (no script, shiptrack's own stylesheet and images, one
nonce'd ``<style>`` for the account's colours, no referrer, noindex, a short private cache).
"""

from __future__ import annotations

import functools
import secrets
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from shiptrack.pages import branding, i18n

if TYPE_CHECKING:
    from jinja2 import Environment

CSS_PATH = "/track/assets/page.css"
ICON_PATH = "/track/assets/icon.svg"
#: Seconds a browser may reuse a page (tracking moves slowly; a reload shows news).
PAGE_MAX_AGE = 60


@functools.cache
def templates() -> Environment:
    # jinja2 is imported on the first page: API workers that serve no page do without it.
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("shiptrack.pages", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def headers(nonce: str | None, max_age: int = PAGE_MAX_AGE) -> dict[str, str]:
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


def html(template: str, lang: str, brand: branding.Branding, nonce: str, **context: Any) -> str:
    """A page's HTML in ``lang`` with ``nonce`` on its one ``<style>``."""
    texts = i18n.catalogue(lang)
    return (
        templates()
        .get_template(template)
        .render(
            lang=lang,
            ui=texts["ui"],
            brand=brand,
            nonce=nonce,
            css_path=CSS_PATH,
            icon_path=ICON_PATH,
            languages=_languages(),
            **context,
        )
    )


@functools.cache
def _languages() -> list[tuple[str, str]]:
    return [(code, i18n.catalogue(code)["language"]) for code in i18n.LANGUAGES]


def respond(body: str, status: int, nonce: str) -> Response:
    max_age = PAGE_MAX_AGE if status == 200 else 0
    return HTMLResponse(body, status, headers=headers(nonce, max_age))


def page(
    template: str, status: int, lang: str, brand: branding.Branding, **context: Any
) -> Response:
    nonce = secrets.token_urlsafe(16)
    return respond(html(template, lang, brand, nonce, **context), status, nonce)


def language(request: Request) -> str:
    return i18n.choose(request.query_params.get("lang"), request.headers.get("accept-language"))


def not_found(request: Request) -> Response:
    return page("invalid.html", 404, language(request), branding.Branding(), logo_path=None)


def texts(request: Request) -> dict[str, str]:
    """The page's own words in the request's language."""
    words: dict[str, str] = i18n.catalogue(language(request))["ui"]
    return words
