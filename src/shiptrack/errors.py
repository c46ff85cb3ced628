"""API errors: one exception type carrying Ship24's error code, rendered in one place.

Every error a client sees has the envelope ``{"errors":[{"code","message"}],"data":null}``;
the message names the field and says how to fix it. Services raise ``ApiError`` (or one of
the helpers below); ``api/handlers.py`` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson


@dataclass(frozen=True, slots=True)
class ErrorItem:
    code: str
    message: str


class ApiError(Exception):
    """An error with an HTTP status and one or more Ship24 error items."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        extra: list[ErrorItem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.items = [ErrorItem(code, message), *(extra or [])]
        self.headers = headers or {}

    @property
    def code(self) -> str:
        return self.items[0].code


def error_body(items: list[ErrorItem]) -> bytes:
    return orjson.dumps(
        {"errors": [{"code": i.code, "message": i.message} for i in items], "data": None}
    )


def validation_error(message: str) -> ApiError:
    return ApiError(400, "validation_error", message)


def validation_errors(messages: list[str]) -> ApiError:
    """Several validation problems at once (Ship24 returns one item per problem)."""
    first, *rest = messages
    return ApiError(
        400, "validation_error", first, extra=[ErrorItem("validation_error", m) for m in rest]
    )


def tracker_not_found() -> ApiError:
    return ApiError(
        404,
        "tracker_not_found",
        "Tracker not found. Check the id, and pass searchBy=clientTrackerId when the path holds "
        "your clientTrackerId rather than the trackerId.",
    )
