"""Rendering the console's pages: Jinja2 with autoescaping, and the security headers.

The Content-Security-Policy allows shiptrack's own stylesheet, images and one script
(``console.js``, the import page's progress), nothing inline and nothing from elsewhere;
answers are never cached and never framed, and send no referrer.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from shiptrack.console.sessions import Session
from shiptrack.errors import ApiError

if TYPE_CHECKING:
    from jinja2 import Environment

CSS_PATH = "/console/assets/console.css"
JS_PATH = "/console/assets/console.js"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
#: The console's sections, in the navigation's order: (path, title).
SECTIONS = (
    ("/console/trackers", "Trackers"),
    ("/console/imports", "Import"),
    ("/console/webhooks", "Webhooks"),
    ("/console/health", "Health"),
    ("/console/charts", "Charts"),
)


def timestamp(value: dt.datetime | str | None) -> str:
    """A stored UTC time for operators: ``2026-12-06 13:22:05 UTC``."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value.replace("T", " ").replace(".000Z", " UTC").replace("Z", " UTC")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def error_text(exc: ApiError) -> str:
    """What a service's refusal says, for a page."""
    return " ".join(item.message for item in exc.items)


@functools.cache
def templates() -> Environment:
    # jinja2 is imported on the first page: API workers that serve no page do without it.
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("shiptrack.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["ts"] = timestamp
    environment.globals["inf"] = math.inf
    return environment


def page(
    request: Request,
    template: str,
    session: Session | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    html = (
        templates()
        .get_template(template)
        .render(
            session=session,
            sections=SECTIONS,
            path=request.url.path,
            css_path=CSS_PATH,
            js_path=JS_PATH,
            **context,
        )
    )
    return HTMLResponse(html, status, headers=HEADERS)
