"""One dispatch for the API's operations: a path under ``/public/v1`` or ``/v1`` goes straight
to its handler, past Starlette itself (its error and exception layers, ``Mount`` and router).

Starlette serves a request through ``ExceptionMiddleware``, the app's router, the ``Mount``
of the prefix (a regex), the mounted router, the ``Route`` (another regex) and a per-route
exception wrapper before the handler runs: about a tenth of a ``GET /trackers/{id}/results``
request's CPU (docs/benchmarks.md, issue 16). ``ShiptrackMiddleware``, the app's outermost
layer, asks :class:`ApiDispatch` whether a request is an API operation's (its path, and a
method the operation takes; found by the path's segments) and has it call the handler,
turning the exceptions the app has handlers for (``ApiError``, ``HTTPException``) into their
responses as the per-route wrapper would. Everything else — another path, a trailing slash, a
method the path does not take (405), a path no operation matches (404), a scope with a
``root_path`` — goes on to Starlette unchanged, so the answers and error envelopes are the
ones Starlette's routing gives (tests/api/test_routing.py, tests/api/test_paths_and_methods.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from shiptrack.api.routing import Endpoint, Operation, guarded

ExceptionHandler = Callable[[Request, Exception], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class _Path:
    """An operation path's segments (``None`` for a ``{parameter}``) and its handlers by
    method (HEAD served as GET, as Starlette's ``Route`` does)."""

    segments: tuple[str | None, ...]
    names: tuple[str, ...]
    methods: Mapping[str, Endpoint]

    def params(self, parts: list[str]) -> dict[str, str] | None:
        """The path parameters when ``parts`` (the path split at ``/``) is this path."""
        params: dict[str, str] = {}
        names = iter(self.names)
        for want, got in zip(self.segments, parts, strict=True):
            if want is None:
                if not got:
                    return None
                params[next(names)] = got
            elif want != got:
                return None
        return params


def _paths(operations: Sequence[Operation]) -> dict[tuple[str, int], tuple[_Path, ...]]:
    """Operation paths by (first segment, number of segments), in the operations' order
    (the order Starlette tries their routes in)."""
    methods: dict[str, dict[str, Endpoint]] = {}
    for op in operations:
        methods.setdefault(op.path, {})[op.method] = guarded(op.endpoint)
    table: dict[tuple[str, int], list[_Path]] = {}
    for path, by_method in methods.items():
        parts = path.split("/")
        if any(":" in part for part in parts) or "{" in parts[1]:
            raise ValueError(f"{path}: only plain {{name}} parameters after a literal segment")
        if "GET" in by_method:
            by_method = {**by_method, "HEAD": by_method["GET"]}
        segments = tuple(None if p.startswith("{") else p for p in parts)
        names = tuple(p[1:-1] for p in parts if p.startswith("{"))
        table.setdefault((parts[1], len(parts)), []).append(_Path(segments, names, by_method))
    return {key: tuple(found) for key, found in table.items()}


class ApiDispatch:
    """The API's operations under ``prefixes``, found by a request's path and method (see the
    module docstring). Not an ASGI layer of its own: ``ShiptrackMiddleware`` asks it for the
    operation (:meth:`find`) and has it answer (:meth:`respond`), and hands every other
    request to Starlette."""

    def __init__(
        self,
        *,
        operations: Sequence[Operation],
        prefixes: Sequence[str],
        handlers: Mapping[type[Exception], ExceptionHandler],
    ) -> None:
        self.prefixes = tuple(prefix.rstrip("/") + "/" for prefix in prefixes)
        self.table = _paths(operations)
        self.handlers = dict(handlers)

    def _handler(self, exc: Exception) -> ExceptionHandler | None:
        for cls in type(exc).__mro__:
            found = self.handlers.get(cls)
            if found is not None:
                return found
        return None

    def find(self, scope: Scope) -> Endpoint | None:
        """The handler of the operation ``scope`` asks for, with the scope set as Starlette's
        ``Mount`` and ``Route`` would set it (path parameters, ``root_path``); None when the
        request is not an API operation's (the scope is then left as it was)."""
        if scope.get("root_path"):
            return None
        path: str = scope["path"]
        for prefix in self.prefixes:
            if path.startswith(prefix):
                parts = path[len(prefix) - 1 :].split("/")
                for candidate in self.table.get((parts[1], len(parts)), ()):
                    endpoint = candidate.methods.get(scope["method"])
                    if endpoint is None:
                        continue
                    params = candidate.params(parts)
                    if params is not None:
                        scope["path_params"] = params
                        scope["app_root_path"] = ""
                        scope["root_path"] = prefix[:-1]
                        return endpoint
                return None
        return None

    async def respond(
        self, endpoint: Endpoint, scope: Scope, receive: Receive, send: Send
    ) -> Response:
        """The operation's response, the exceptions the app has handlers for (``ApiError``,
        ``HTTPException``) turned into theirs, as Starlette's per-route wrapper does; any
        other exception propagates."""
        request = Request(scope, receive, send)
        try:
            return await endpoint(request)
        except Exception as exc:
            handler = self._handler(exc)
            if handler is None:
                raise
            return await handler(request, exc)
