"""``/docs``: Swagger UI for ``/openapi.json``, served entirely by this server.

The page loads nothing from elsewhere, so it works on a machine without internet: Swagger UI's
script and style sheet come from the ``swagger-ui-py`` distribution (a Python dependency that
ships the Swagger UI 5 files; see docs/decisions/0008-offline-api-docs.md) and are served under
``/docs/assets/``. A ``Content-Security-Policy`` limits the page to this origin, so a later
change that reaches for a CDN shows up as a blocked asset instead of a silent dependency.
"""

from __future__ import annotations

import functools
from importlib.util import find_spec
from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from shiptrack.errors import ApiError

ASSETS_PATH: Final = "/docs/assets"

_INITIALIZER = b"""window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});
});
"""

#: Served asset name → (file in Swagger UI's distribution, or None for ours; content type).
ASSETS: Final[dict[str, tuple[str | None, str]]] = {
    "swagger-ui.css": ("swagger-ui.css", "text/css; charset=utf-8"),
    "swagger-ui-bundle.js": ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "favicon-32x32.png": ("favicon-32x32.png", "image/png"),
    "init.js": (None, "text/javascript; charset=utf-8"),
}

PAGE: Final = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shiptrack API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<noscript>The interactive documentation needs JavaScript; the document itself is at
<a href="/openapi.json">/openapi.json</a>.</noscript>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="{ASSETS_PATH}/init.js"></script>
</body></html>
"""

#: Swagger UI sets inline styles and shows inline (data:) images; everything else is ours.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def swagger_ui_directory() -> Path:
    """Where the ``swagger-ui-py`` distribution keeps Swagger UI's files (found without
    importing its Python code)."""
    spec = find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the swagger-ui-py package is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@functools.cache
def asset_bytes(name: str) -> bytes:
    """One asset's content, read once per process (the bundle is ~1.5 MB)."""
    file_name, _ = ASSETS[name]
    if file_name is None:
        return _INITIALIZER
    return (swagger_ui_directory() / file_name).read_bytes()


async def docs_page(request: Request) -> Response:
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


async def docs_asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        raise ApiError(
            404,
            "route_not_found",
            f"No documentation asset {name!r}; the interactive documentation is at /docs.",
        )
    return Response(
        asset_bytes(name),
        media_type=ASSETS[name][1],
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


def docs_routes() -> list[Route]:
    return [
        Route("/docs", docs_page),
        Route(ASSETS_PATH + "/{name}", docs_asset),
    ]
