"""``IndexedRouter`` answers every path as Starlette's ``Router`` does: the same first match,
405 for a known path with another method, 404 otherwise — trying only the routes a path's
first segment and depth allow."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, Router

from shiptrack.api.routing import IndexedRouter


def _answer(name: str):
    async def endpoint(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{name} {dict(request.path_params)}")

    return endpoint


ROUTES = [
    Route("/trackers", _answer("list"), methods=["GET"]),
    Route("/trackers/search/{number}/results", _answer("search"), methods=["GET"]),
    Route("/trackers/{id}", _answer("one"), methods=["GET", "PATCH"]),
    Route("/trackers/{id}/results", _answer("results"), methods=["GET"]),
    Route("/{anything}/results", _answer("wildcard"), methods=["GET"]),
    Route("/files/{rest:path}", _answer("files"), methods=["GET"]),
]

PATHS = [
    ("GET", "/v1/trackers"),
    ("GET", "/v1/trackers/search/ABC/results"),
    ("GET", "/v1/trackers/search"),
    ("DELETE", "/v1/trackers/T1"),
    ("PATCH", "/v1/trackers/T1"),
    ("GET", "/v1/trackers/T1/results"),
    ("POST", "/v1/trackers/T1/results"),
    ("GET", "/v1/couriers/results"),
    ("GET", "/v1/files/a/b/c"),
    ("GET", "/v1/nothing/here/at/all"),
    ("GET", "/v1/"),
    ("GET", "/v1"),
    ("GET", "/elsewhere"),
]


def _app(router_class: type) -> Starlette:
    app = Starlette()
    inner = router_class(ROUTES) if router_class is IndexedRouter else Router(ROUTES)
    top = [Route("/healthz", _answer("health")), Mount("/v1", app=inner)]
    app.router = IndexedRouter(top) if router_class is IndexedRouter else Router(top)
    app.router.redirect_slashes = False
    return app


@pytest.mark.parametrize(("method", "path"), PATHS)
async def test_the_indexed_router_answers_as_starlettes(method, path):
    answers = []
    for router_class in (Router, IndexedRouter):
        transport = httpx.ASGITransport(app=_app(router_class))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.request(method, path)
        answers.append((response.status_code, response.text, response.headers.get("allow")))
    assert answers[0] == answers[1]
