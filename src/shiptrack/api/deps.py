"""Request helpers every router uses: JSON bodies, auth plus rate limit, query parameters."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.accounts.auth import authenticate
from shiptrack.accounts.repository import Account
from shiptrack.api import inputs
from shiptrack.api.services import services
from shiptrack.errors import ApiError, validation_error, validation_errors


class JsonBytes(Response):
    """A response of JSON already encoded: Starlette's ``Response`` with its headers built
    directly (the same two, in the same order) rather than by ``init_headers``."""

    media_type = "application/json"

    def __init__(self, body: bytes, status: int = 200) -> None:
        self.status_code = status
        self.body = body
        self.background = None
        self.raw_headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ]


def json_response(body: bytes, status: int = 200) -> Response:
    return JsonBytes(body, status)


async def json_object(request: Request, example: str) -> dict[str, Any]:
    """The JSON body of ``request`` (see :func:`json_body`), which must be an object;
    ``validation_error`` otherwise, showing ``example`` as a body that would do."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "validation_error", f"The body must be a JSON object, e.g. {example}.")
    return body


async def json_body(request: Request, *, check_text: bool = True) -> Any:
    """The decoded JSON body; ``parsing_error`` when it is not JSON or not declared as JSON,
    ``validation_error`` when it nests too deeply or (``check_text``) holds a NUL anywhere.

    ``check_text=False`` is for bodies whose parts are judged one by one (bulk items): the
    caller then runs ``inputs.text_problems`` on each part."""
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    if content_type and not content_type.split(";", 1)[0].strip().lower().endswith("json"):
        raise ApiError(
            415,
            "parsing_error",
            f"The body is declared as '{content_type}'; send it as JSON with "
            "'Content-Type: application/json'.",
        )
    if not raw.strip():
        raise ApiError(
            400,
            "parsing_error",
            "The request body is empty; send a JSON document with 'Content-Type: "
            "application/json'.",
        )
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(
            400,
            "parsing_error",
            f"The request body is not valid JSON ({exc.msg} at line {exc.lineno}, column "
            f"{exc.colno}). Check quotes, commas and brackets.",
        ) from None
    if inputs.depth(body) > inputs.MAX_JSON_DEPTH:
        raise validation_error(
            f"The request body nests arrays and objects more than {inputs.MAX_JSON_DEPTH} "
            "levels deep; no shiptrack request needs more than 4. Flatten it."
        )
    if check_text:
        problems = inputs.text_problems(body)
        if problems:
            raise validation_errors(problems)
    return body


async def authorize(request: Request, endpoint: str) -> Account:
    """Authenticate the request's key and count it against its account's rate limit for
    ``endpoint``; the limit headers are added to the response by the middleware."""
    found = services(request)
    authorization = None
    for name, value in request.scope["headers"]:
        if name == b"authorization":
            authorization = value.decode("latin-1")
            break
    client = request.scope.get("client")
    account = await authenticate(
        found.db,
        found.key_cache,
        authorization,
        client=client[0] if client else None,
        failures=found.auth_failures,
    )
    limiter = found.rate_limiter
    if limiter.enabled:
        headers = limiter.hit(account.id, endpoint)
        request.scope["state"]["response_headers"] = headers
    return account


def searched_by_client_id(request: Request) -> bool:
    """Whether the request's ``searchBy`` asks for a clientTrackerId lookup (the query
    string is parsed only when there is one)."""
    if not request.scope["query_string"]:
        return False
    return search_by_client_id(request.query_params.get("searchBy"))


def search_by_client_id(value: str | None) -> bool:
    """Whether ``searchBy`` asks for a clientTrackerId lookup (default: trackerId)."""
    if value is None or value == "trackerId":
        return False
    if value == "clientTrackerId":
        return True
    raise validation_error(
        f"searchBy must be 'trackerId' (the default) or 'clientTrackerId', not '{value}'."
    )


def int_param(value: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < low or (high is not None and number > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise validation_error(f"{name} must be a whole number {bounds}, not '{value}'.")
    return number
