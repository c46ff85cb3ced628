"""``POST /v1/sources/{source}/callback``: where upstream providers push their updates.

No API key: the provider proves itself with its documented signature (each connector's
``verify_push``). A callback that fails verification gets 401 in Ship24's error envelope and
nothing is stored; a malformed one 400; a source that is not enabled (or has no webhook
secret configured) 404. A verified callback is stored once (``sources/push.py``): a second
delivery of it answers 200 with ``duplicate: true``.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

import orjson
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.api.deps import json_response
from shiptrack.api.openapi import errors
from shiptrack.api.routing import ApiRouter
from shiptrack.api.services import services
from shiptrack.couriers.connectors.protocol import CourierResponseInvalid
from shiptrack.errors import ApiError
from shiptrack.sources import metrics, schemas
from shiptrack.sources.push import Push, callback_key
from shiptrack.sources.runtime import SourcesRuntime

log = logging.getLogger("shiptrack.sources")

router = ApiRouter("Sources", schemas.MODELS)


@runtime_checkable
class SourceServices(Protocol):
    """What the callback endpoint reads of the app's services (``api/services.py``)."""

    #: Upstream registrations and push callbacks (``sources/runtime.py``).
    sources: SourcesRuntime


#: Largest callback read; a 40-number 17TRACK push is far below.
MAX_CALLBACK_BYTES = 4 * 1024 * 1024


@router.route(
    "POST",
    "/sources/{source}/callback",
    operation_id="source-callback",
    summary="Receive an upstream provider's push (shiptrack extension)",
    description="Called by Ship24, 17TRACK, AfterShip or TrackingMore, not by clients: point "
    "the provider's webhook at this URL. Verified with the provider's own signature scheme "
    "(see docs/connectors.md); stored once, in the transaction that stores its events.",
    responses={200: ("CallbackEnvelope", "Stored (or a duplicate)"), **errors(403, 404)},
)
async def source_callback(request: Request) -> Response:
    name = request.path_params["source"]
    runtime = services(request, SourceServices).sources
    connector = runtime.upstreams.get(name)
    if connector is None:
        metrics.CALLBACKS.labels("unknown", "unknown_source").inc()
        raise ApiError(
            404,
            "source_not_found",
            f"No upstream source '{name[:40]}' is enabled here. GET /v1/sources lists them.",
        )
    if connector.secret() is None:
        metrics.CALLBACKS.labels(name, "not_configured").inc()
        raise ApiError(
            404,
            "source_push_disabled",
            f"Push callbacks of '{name}' are off: set {connector.env_prefix()}WEBHOOK_SECRET.",
        )
    body = await request.body()
    if len(body) > MAX_CALLBACK_BYTES:
        raise ApiError(400, "validation_error", "The callback body is too large.")
    if not connector.verify_push(request.headers, body):
        metrics.CALLBACKS.labels(name, "bad_signature").inc()
        log.warning("source callback refused: bad signature", extra={"source": name})
        raise ApiError(
            401,
            "invalid_signature",
            f"The callback does not carry a valid {connector.carrier_name} signature.",
        )
    try:
        message = connector.parse_push(body)
    except CourierResponseInvalid as exc:
        metrics.CALLBACKS.labels(name, "invalid").inc()
        raise ApiError(400, "validation_error", f"Unreadable callback: {exc}") from None
    key = callback_key(message.key, body)
    outcome = await runtime.pushes.store(name, Push(key, message.results))
    if message.stopped and not outcome.duplicate:
        await runtime.book.mark_stopped(name, message.stopped)
    metrics.CALLBACKS.labels(name, "duplicate" if outcome.duplicate else "stored").inc()
    data = {
        "source": name,
        "duplicate": outcome.duplicate,
        "trackers": outcome.trackers,
        "events": outcome.events,
    }
    return json_response(orjson.dumps({"data": data}))
