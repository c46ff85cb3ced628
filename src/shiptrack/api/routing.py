"""A small route registry on Starlette, carrying the OpenAPI metadata of each operation.

Handlers take a ``Request`` and return a ``Response`` (pre-rendered JSON). Starlette was
chosen over FastAPI for the hot paths: on this 2-core machine FastAPI 0.165's nested router
matching alone cost more than the handler (see docs/decisions/0002-starlette.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

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

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.operations: list[Operation] = []

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


def starlette_routes(operations: list[Operation]) -> list[Route]:
    """One Starlette route per path; several methods on a path dispatch by method."""
    by_path: dict[str, dict[str, Endpoint]] = {}
    for op in operations:
        by_path.setdefault(op.path, {})[op.method] = op.endpoint
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
        return await methods[request.method](request)

    return endpoint
