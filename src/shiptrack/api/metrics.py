"""Prometheus metrics of the HTTP API: responses by method and status."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter

REQUESTS = Counter(
    "shiptrack_http_requests_total",
    "HTTP responses sent, by request method and status code (0: the client went away first)",
    ["method", "status"],
)

_METHODS = frozenset(("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"))
_children: dict[tuple[str, int], Any] = {}


def count_request(method: str, status: int) -> None:
    # Methods are whatever clients send: any other is counted as OTHER, so the label set
    # (and this cache) stays small.
    key = (method if method in _METHODS else "OTHER", status)
    child = _children.get(key)
    if child is None:
        child = _children[key] = REQUESTS.labels(key[0], str(status))
    child.inc()
