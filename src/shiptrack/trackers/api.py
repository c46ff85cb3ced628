"""Tracker endpoints (Ship24 Part B §3): create, bulk, track, list, get, patch, results."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol, runtime_checkable

from starlette.requests import Request
from starlette.responses import Response

from shiptrack.accounts.repository import Account
from shiptrack.api import inputs
from shiptrack.api.deps import (
    authorize,
    int_param,
    json_body,
    json_response,
    searched_by_client_id,
)
from shiptrack.api.openapi import SEARCH_BY, errors
from shiptrack.api.routing import ApiRouter
from shiptrack.api.services import services
from shiptrack.clock import utcnow
from shiptrack.config import Settings
from shiptrack.couriers.connectors.registry import ConnectorSet
from shiptrack.couriers.coverage import Coverage
from shiptrack.db.engine import Database
from shiptrack.errors import ApiError, validation_errors
from shiptrack.trackers import bulk, presenter, schemas, service
from shiptrack.trackers.creator import TrackerCreator, create_isolated
from shiptrack.trackers.routing import routing_view, source_outcomes
from shiptrack.trackers.service import CreateOutcome
from shiptrack.trackers.validation import TrackerInput, parse_tracker_input
from shiptrack.tracking import render
from shiptrack.tracking.claims import LookupTracker
from shiptrack.tracking.engine import Engine
from shiptrack.tracking.updates import UpdateSink

router = ApiRouter("Trackers", schemas.MODELS)
log = logging.getLogger("shiptrack.api")


@runtime_checkable
class TrackerServices(Protocol):
    """What the tracker endpoints read of the app's services (``api/services.py``)."""

    settings: Settings
    db: Database
    #: Batches concurrent single creates into one transaction.
    tracker_creator: TrackerCreator
    #: Woken on new trackers; first fetches (``/trackers/track``) and lookups
    #: (``/tracking/search``) run on it even when its loop runs in a worker.
    engine: Engine
    #: Drops an unsubscribed tracker's undelivered webhook messages.
    update_sink: UpdateSink
    connectors: ConnectorSet
    coverage: Coverage


def _services(request: Request) -> TrackerServices:
    return services(request, TrackerServices)


MAX_BULK_ITEMS = 100
#: The last page ``GET /trackers`` serves: at 500 a page that is 500 million trackers, and
#: ``(page - 1) * limit`` stays below PostgreSQL's 2³¹ integer bound.
MAX_PAGE = 1_000_000

_LIST_PARAMETERS = (
    {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
    },
    {
        "name": "sort",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "enum": [1, -1], "default": 1},
        "description": "1: oldest first (stable paging); -1: newest first.",
    },
)


def _parse(request: Request, body: Any) -> TrackerInput:
    settings = _services(request).settings
    return parse_tracker_input(
        body, max_age_days=settings.shipping_date_max_age_days, today=utcnow().date()
    )


async def _create_one(request: Request, account: Account, *, track: bool) -> CreateOutcome:
    item = _parse(request, await json_body(request))
    creator = _services(request).tracker_creator
    outcome: CreateOutcome = await creator.create(account.id, item, courier_overlap_conflicts=track)
    if outcome.error is not None:
        raise outcome.error
    return outcome


@router.route(
    "POST",
    "/trackers",
    operation_id="create-tracker",
    summary="Create a tracker",
    description="Register a shipment to track continuously. Idempotent: the same parameters "
    "return the same tracker (201 either way).",
    body="TrackerCreateRequest",
    responses={201: ("TrackerEnvelope", "The tracker"), **errors(400, 409)},
)
async def create_tracker(request: Request) -> Response:
    account = await authorize(request, "create_tracker")
    outcome = await _create_one(request, account, track=False)
    if outcome.created:
        await _services(request).engine.on_trackers_created([outcome.row.id])
    return json_response(presenter.tracker_body(outcome.row), 201)


@router.route(
    "POST",
    "/trackers/track",
    operation_id="create-tracker-and-get-tracking-results",
    summary="Create a tracker and get its tracking results",
    description="Create (or find) the tracker, fetch from the couriers synchronously the "
    "first time, and answer its tracking results.",
    body="TrackerCreateRequest",
    responses={201: ("TrackingsEnvelope", "Tracking results"), **errors(400, 409)},
)
async def create_tracker_and_get_results(request: Request) -> Response:
    account = await authorize(request, "track_tracker")
    outcome = await _create_one(request, account, track=True)
    found = _services(request)
    await found.engine.first_fetch([outcome.row.id])
    row = await service.results(found.db, account.id, outcome.row.id, by_client_id=False)
    return json_response(presenter.trackings_body([row]), 201)


@router.route(
    "POST",
    "/trackers/bulk",
    operation_id="bulk-create-trackers",
    summary="Create up to 100 trackers",
    description='Body: a JSON array of tracker creation requests (or {"trackers": […]}). '
    "201 when every item was created or existed, 207 when some failed, 400/403 otherwise.",
    body="BulkCreateRequest",
    responses={
        201: ("BulkCreateResponse", "All created or existing"),
        207: ("BulkCreateResponse", "Some items failed"),
        400: (
            "BulkCreateResponse|ErrorEnvelope",
            "Every item failed, or a bad body (bulk envelope); a missing or malformed "
            "Authorization header (error envelope)",
        ),
        403: ("BulkCreateResponse", "More than 100 items"),
        401: ("ErrorEnvelope", "Invalid API key"),
        429: ("ErrorEnvelope", "Rate limited"),
    },
)
async def bulk_create_trackers(request: Request) -> Response:
    account = await authorize(request, "bulk_create_trackers")
    # Text is judged per item, so that one item with a NUL fails alone (Ship24's 207).
    body = await json_body(request, check_text=False)
    if isinstance(body, dict) and isinstance(body.get("trackers"), list):
        body = body["trackers"]
    if not isinstance(body, list):
        return bulk.error_response(
            400,
            "validation_error",
            'The body must be a JSON array of trackers (or {"trackers": [...]}), '
            'e.g. [{"trackingNumber": "S24DEMO456393"}].',
        )
    if not body:
        return bulk.error_response(
            400,
            "validation_error",
            f"The array of trackers is empty; send 1 to {MAX_BULK_ITEMS} trackers.",
        )
    if len(body) > MAX_BULK_ITEMS:
        return bulk.error_response(
            403,
            "bulk_create_limit_exceeded",
            f"{len(body)} trackers were sent; a bulk request takes at most "
            f"{MAX_BULK_ITEMS}. Split them into several requests.",
        )
    items: list[TrackerInput | ApiError] = []
    for raw in body:
        problems = inputs.text_problems(raw)
        if problems:
            items.append(validation_errors(problems))
            continue
        try:
            items.append(_parse(request, raw))
        except ApiError as exc:
            items.append(exc)
    found = _services(request)
    outcomes = [
        bulk.internal_error(outcome) if isinstance(outcome, Exception) else outcome
        for outcome in await create_isolated(found.db, account.id, items)
    ]
    created_ids = [o.row.id for o in outcomes if o.created]
    if created_ids:
        await found.engine.on_trackers_created(created_ids)
    return bulk.response(body, outcomes)


@router.route(
    "GET",
    "/trackers",
    operation_id="list-trackers",
    summary="List trackers",
    parameters=_LIST_PARAMETERS,
    responses={200: ("TrackersEnvelope", "A page of trackers"), **errors(400)},
)
async def list_trackers(request: Request) -> Response:
    account = await authorize(request, "list_trackers")
    query = request.query_params
    page = int_param(query.get("page"), "page", 1, 1, MAX_PAGE)
    limit = int_param(query.get("limit"), "limit", 100, 1, 500)
    sort = query.get("sort", "1")
    if sort not in ("1", "-1"):
        raise ApiError(
            400,
            "validation_error",
            f"sort must be 1 (oldest first, the default) or -1 (newest first), not '{sort}'.",
        )
    rows = await service.list_page(
        _services(request).db, account.id, page=page, limit=limit, newest_first=sort == "-1"
    )
    return json_response(presenter.trackers_body(rows))


@router.route(
    "GET",
    "/trackers/search/{trackingNumber}/results",
    operation_id="get-tracking-results-of-trackers-by-tracking-number",
    summary="Get the tracking results of every tracker with a tracking number",
    responses={200: ("TrackingsEnvelope", "Tracking results"), **errors(404)},
)
async def get_results_by_tracking_number(request: Request) -> Response:
    account = await authorize(request, "search_results")
    rows = await service.results_by_number(
        _services(request).db, account.id, request.path_params["trackingNumber"]
    )
    return json_response(presenter.trackings_body(rows))


@router.route(
    "GET",
    "/trackers/{trackerId}",
    operation_id="get-tracker-by-trackerId",
    summary="Get a tracker",
    parameters=(SEARCH_BY,),
    responses={200: ("TrackerEnvelope", "The tracker"), **errors(400, 404)},
)
async def get_tracker(request: Request) -> Response:
    account = await authorize(request, "get_tracker")
    by_client = searched_by_client_id(request)
    row = await service.get(
        _services(request).db, account.id, request.path_params["trackerId"], by_client_id=by_client
    )
    return json_response(presenter.tracker_body(row))


@router.route(
    "PATCH",
    "/trackers/{trackerId}",
    operation_id="update-tracker-by-trackerId",
    summary="Update a tracker",
    description="isSubscribed, courierCode (added), shipment hints (until data is found), "
    "courierName, trackingUrl, recipient.name.",
    parameters=(SEARCH_BY,),
    body="TrackerUpdateRequest",
    responses={200: ("TrackerEnvelope", "The tracker"), **errors(400, 404)},
)
async def update_tracker(request: Request) -> Response:
    account = await authorize(request, "update_tracker")
    by_client = searched_by_client_id(request)
    body = await json_body(request)
    found = _services(request)
    settings = found.settings
    row = await service.update(
        found.db,
        account.id,
        request.path_params["trackerId"],
        body,
        by_client_id=by_client,
        max_age_days=settings.shipping_date_max_age_days,
        max_couriers=settings.max_couriers_per_tracker,
        sink=found.update_sink,
    )
    return json_response(presenter.tracker_body(row))


@router.route(
    "GET",
    "/trackers/{trackerId}/results",
    operation_id="get-tracking-results-of-tracker-by-trackerId",
    summary="Get a tracker's tracking results",
    parameters=(SEARCH_BY,),
    responses={200: ("TrackingsEnvelope", "Tracking results"), **errors(400, 404)},
)
async def get_tracker_results(request: Request) -> Response:
    account = await authorize(request, "tracker_results")
    db = _services(request).db
    ref = request.path_params["trackerId"]
    if searched_by_client_id(request):
        row = await service.results(db, account.id, ref, by_client_id=True)
        return json_response(presenter.trackings_body([row]))
    raw = await service.stored_results(db, account.id, ref)
    return json_response(presenter.stored_results_body(raw))


@router.route(
    "GET",
    "/trackers/{trackerId}/diagnostics",
    operation_id="get-tracker-diagnostics",
    summary="Explain a tracker's statuses (shiptrack extension)",
    description="Where the tracker's checks stand (count, errors, last and next check, why "
    "tracking stopped), why a source can never track its number (a sandbox number breaking "
    "the scenario grammar), and every stored event with the carrier's raw text and code, the "
    "Ship24 statusCode and the id of what decided it: table:<courier>:<code> (the connector's "
    "table), a status-normaliser rule, model.mix:<feature>, or unmatched.",
    parameters=(SEARCH_BY,),
    responses={200: ("DiagnosticsEnvelope", "The tracker's events, explained"), **errors(400, 404)},
)
async def get_tracker_diagnostics(request: Request) -> Response:
    account = await authorize(request, "tracker_diagnostics")
    by_client = searched_by_client_id(request)
    tracker, stored = await service.diagnostics(
        _services(request).db, account.id, request.path_params["trackerId"], by_client_id=by_client
    )
    found = _services(request)
    sources = await source_outcomes(found.db, tracker.id)
    routing = routing_view(tracker, found.connectors, found.coverage, sources)
    problems = found.connectors.number_problems(tracker.tracking_number)
    return json_response(presenter.diagnostics_body(tracker, stored, routing, problems))


@router.route(
    "POST",
    "/tracking/search",
    operation_id="get-tracking",
    summary="Get tracking results without creating a tracker (per-call lookup)",
    description="Fetch from the couriers now (up to the first-fetch budget) and answer the "
    "tracking results; nothing is stored and no webhook is sent. The answer has no tracker.",
    body="TrackingSearchRequest",
    responses={201: ("TrackingsEnvelope", "Tracking results (no tracker)"), **errors(400)},
)
async def search_tracking(request: Request) -> Response:
    await authorize(request, "tracking_search")
    item = _parse(request, await json_body(request))
    now = utcnow()
    lookup = LookupTracker(
        id=str(uuid.uuid4()),
        shipment_id=str(uuid.uuid4()),
        tracking_number=item.tracking_number,
        courier_codes=list(item.courier_codes),
        restrict_to_courier=item.restrict_to_courier,
        origin_country_code=item.origin_country_code,
        destination_country_code=item.destination_country_code,
        destination_post_code=item.destination_post_code,
        shipping_date=item.shipping_date,
        created_at=now,
        check_count=0,
    )
    members = await _services(request).engine.lookup(lookup)
    if members is None:
        members = render.pending_tracking_members(lookup.shipment_id, item.tracking_number)
    return json_response(b'{"data":{"trackings":[{' + members + b"}]}}", 201)
