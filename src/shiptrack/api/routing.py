"""A small route registry on Starlette, carrying the OpenAPI metadata of each operation.

Handlers take a ``Request`` and return a ``Response`` (pre-rendered JSON). Starlette was
chosen over FastAPI for the hot paths: on this 2-core machine FastAPI 0.165's nested router
matching alone cost more than the handler (see docs/decisions/0002-starlette.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from shiptrack.api.inputs import nul_message
from shiptrack.errors import validation_errors

Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    endpoint: Endpoint
    operation_id: str
    summary: str
    tag: str
    description: str = ""
    #: Component name of the JSON request body, if any.
    body: str | None = None
    #: status → (component name, description)
    responses: dict[int, tuple[str, str]] = field(default_factory=dict)
    parameters: tuple[dict[str, object], ...] = ()


class ApiRouter:
    """Collects operations; ``routes()`` turns them into Starlette routes."""

    def __init__(self, tag: str, models: Sequence[type[BaseModel]] = ()) -> None:
        self.tag = tag
        self.operations: list[Operation] = []
        #: The wire models this feature's operations name (its ``schemas.py``); ``app.py``
        #: collects them from every router into the OpenAPI document.
        self.models: list[type[BaseModel]] = list(models)

    def route(
        self,
        method: str,
        path: str,
        *,
        operation_id: str,
        summary: str,
        description: str = "",
        body: str | None = None,
        responses: dict[int, tuple[str, str]] | None = None,
        parameters: tuple[dict[str, object], ...] = (),
    ) -> Callable[[Endpoint], Endpoint]:
        def register(endpoint: Endpoint) -> Endpoint:
            self.operations.append(
                Operation(
                    method,
                    path,
                    endpoint,
                    operation_id,
                    summary,
                    self.tag,
                    description,
                    body,
                    responses or {},
                    parameters,
                )
            )
            return endpoint

        return register


#: Set in the scope when ``keep_encoded_slashes`` escaped the path.
ESCAPED_PATH = "shiptrack.escaped_path"


def keep_encoded_slashes(scope: Scope) -> None:
    """Let a path segment hold an encoded slash (``%2F``).

    Servers decode ``%2F`` to ``/`` before routing, so a tracking number or clientTrackerId
    holding a slash (Ship24's pattern allows it) split into two segments and matched no route.
    When the raw path holds ``%2F``, the routed path is rebuilt from the raw one with ``%`` and
    ``/`` kept escaped inside each segment; the routes undo that escape on their path
    parameters (``guarded``). Paths without ``%2F`` are left alone.
    """
    raw: bytes | None = scope.get("raw_path")
    if not raw or b"%" not in raw:
        return
    raw = raw.split(b"?", 1)[0]
    if b"%2f" not in raw.lower():
        return
    segments = raw.decode("latin-1").split("/")
    scope["path"] = "/".join(
        unquote(segment).replace("%", "%25").replace("/", "%2F") for segment in segments
    )
    scope[ESCAPED_PATH] = True


def guarded(endpoint: Endpoint) -> Endpoint:
    """Undo ``keep_encoded_slashes`` on the path parameters, and refuse a NUL in any path or
    query parameter (400 naming it) before the handler runs."""

    async def checked(request: Request) -> Response:
        params = request.path_params
        if request.scope.get(ESCAPED_PATH):
            for name, value in params.items():
                params[name] = unquote(value)
        problems = [
            nul_message(f"The path parameter {name}")
            for name, value in params.items()
            if "\x00" in value
        ]
        if request.scope["query_string"]:
            problems.extend(
                nul_message(f"The query parameter {name}")
                for name, value in request.query_params.multi_items()
                if "\x00" in name or "\x00" in value
            )
        if problems:
            raise validation_errors(problems)
        return await endpoint(request)

    return checked


def starlette_routes(operations: list[Operation]) -> list[Route]:
    """One Starlette route per path; several methods on a path dispatch by method (HEAD as
    GET, as Starlette does for single-method routes)."""
    by_path: dict[str, dict[str, Endpoint]] = {}
    for op in operations:
        by_path.setdefault(op.path, {})[op.method] = guarded(op.endpoint)
    routes = []
    for path, methods in by_path.items():
        if len(methods) == 1:
            ((method, endpoint),) = methods.items()
            routes.append(Route(path, endpoint, methods=[method]))
        else:
            routes.append(Route(path, _dispatch(methods), methods=list(methods)))
    return routes


def _dispatch(methods: dict[str, Endpoint]) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await methods[method](request)

    return endpoint


def _route_key(route: BaseRoute) -> tuple[str | None, int | None]:
    """(first path segment, number of segments) every path ``route`` matches has; None where
    it can be anything (a parameter first, a mount or a ``{name:path}`` parameter)."""
    path = getattr(route, "path", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return None, None
    segments = path.split("/")
    first = segments[1] if len(segments) > 1 and "{" not in segments[1] else None
    if isinstance(route, Mount) or ":path}" in path or not isinstance(route, Route):
        return first, None
    return first, len(segments) - 1


_DEEPEST_REMEMBERED = 32


class IndexedRouter(Router):
    """Starlette's router, trying only the routes that can match a path's first segment and
    number of segments, in their order: the same first match, partial match (405) and
    default (404) as ``Router``, without a regex test of every route before the one that
    matches. Without ``redirect_slashes`` only (shiptrack's routers never redirect)."""

    def __init__(self, routes: Sequence[BaseRoute], **options: object) -> None:
        super().__init__(list(routes), redirect_slashes=False, **options)  # type: ignore[arg-type]
        self._keys = [(route, _route_key(route)) for route in self.routes]
        self._firsts = {first for _route, (first, _count) in self._keys}
        self._candidates: dict[tuple[str, int], tuple[BaseRoute, ...]] = {}

    def candidates(self, path: str) -> tuple[BaseRoute, ...]:
        """The routes that can match ``path`` (relative to the router's mount), in order."""
        segments = path.split("/")
        first, count = (segments[1] if len(segments) > 1 else ""), len(segments) - 1
        found = self._candidates.get((first, count))
        if found is None:
            found = tuple(
                route for route, (f, c) in self._keys if f in (None, first) and c in (None, count)
            )
            # Remembered for first segments routes have, up to a depth (bounded), not for
            # whatever clients send.
            if first in self._firsts and count <= _DEEPEST_REMEMBERED:
                self._candidates[first, count] = found
        return found

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        if "router" not in scope:
            scope["router"] = self
        path: str = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        partial: BaseRoute | None = None
        partial_scope: dict[str, object] = {}
        for route in self.candidates(path):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None:
            scope["route"] = partial
            scope.update(partial_scope)
            await partial.handle(scope, receive, send)
            return
        await self.default(scope, receive, send)
