"""Tracker endpoints (Ship24 Part B §3): create, bulk, track, list, get, patch, results."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from shiptrack.accounts.repository import Account
from shiptrack.api.deps import (
    authorized,
    int_param,
    json_body,
    json_response,
    search_by_client_id,
)
from shiptrack.api.errors import ApiError
from shiptrack.clock import utcnow
from shiptrack.trackers import docs, presenter, service
from shiptrack.trackers.validation import TrackerInput, parse_tracker_input

router = APIRouter(tags=["Trackers"])

MAX_BULK_ITEMS = 100


def _parse(request: Request, body: Any) -> TrackerInput:
    settings = request.app.state.settings
    return parse_tracker_input(
        body, max_age_days=settings.shipping_date_max_age_days, today=utcnow().date()
    )


async def _create_one(request: Request, account: Account, *, track: bool) -> Any:
    item = _parse(request, await json_body(request))
    creator = request.app.state.tracker_creator
    outcome = await creator.create(account.id, item, courier_overlap_conflicts=track)
    if outcome.error is not None:
        raise outcome.error
    return outcome


@router.post("/trackers", status_code=201, **docs.CREATE_TRACKER)
async def create_tracker(
    request: Request, account: Account = Depends(authorized("create_tracker"))
) -> Response:
    outcome = await _create_one(request, account, track=False)
    if outcome.created:
        await request.app.state.on_trackers_created([outcome.row.id])
    return json_response(presenter.tracker_body(outcome.row), 201)


@router.post("/trackers/track", status_code=201, **docs.TRACK_TRACKER)
async def create_tracker_and_get_results(
    request: Request, account: Account = Depends(authorized("track_tracker"))
) -> Response:
    outcome = await _create_one(request, account, track=True)
    state = request.app.state
    await state.first_fetch([outcome.row.id])
    rows = await service.results(state.db, account.id, outcome.row.id, by_client_id=False)
    return json_response(presenter.trackings_body([rows]), 201)


@router.post("/trackers/bulk", status_code=201, **docs.BULK_CREATE)
async def bulk_create_trackers(
    request: Request, account: Account = Depends(authorized("bulk_create_trackers"))
) -> Response:
    body = await json_body(request)
    if isinstance(body, dict) and isinstance(body.get("trackers"), list):
        body = body["trackers"]
    if not isinstance(body, list):
        return _bulk_error(
            400,
            "validation_error",
            'The body must be a JSON array of trackers (or {"trackers": [...]}), e.g. '
            '[{"trackingNumber": "S24DEMO456393"}].',
        )
    if not body:
        return _bulk_error(
            400,
            "validation_error",
            f"The array of trackers is empty; send 1 to {MAX_BULK_ITEMS} trackers.",
        )
    if len(body) > MAX_BULK_ITEMS:
        return _bulk_error(
            403,
            "bulk_create_limit_exceeded",
            f"{len(body)} trackers were sent; a bulk request takes at most "
            f"{MAX_BULK_ITEMS}. Split them into several requests.",
        )
    items: list[TrackerInput | ApiError] = []
    for raw in body:
        try:
            items.append(_parse(request, raw))
        except ApiError as exc:
            items.append(exc)
    state = request.app.state
    outcomes = await service.create_many(state.db, account.id, items)
    created_ids = [o.row.id for o in outcomes if o.created]
    if created_ids:
        await state.on_trackers_created(created_ids)
    data = []
    totals = {"created": 0, "existing": 0, "error": 0}
    for raw, outcome in zip(body, outcomes, strict=True):
        if outcome.error is not None:
            status = "error"
            data.append(
                {
                    "itemStatus": status,
                    "inputData": raw,
                    "tracker": None,
                    "errors": [{"code": i.code, "message": i.message} for i in outcome.error.items],
                }
            )
        else:
            status = "created" if outcome.created else "existing"
            data.append(
                {
                    "itemStatus": status,
                    "inputData": raw,
                    "tracker": presenter.tracker_dict(outcome.row),
                    "errors": None,
                }
            )
        totals[status] += 1
    summary = {
        "totalInputs": len(body),
        "totalCreated": totals["created"],
        "totalExisting": totals["existing"],
        "totalErrors": totals["error"],
    }
    if totals["error"] == len(body):
        envelope = {
            "status": "error",
            "summary": summary,
            "data": data,
            "error": {
                "code": "processing_error",
                "message": "Every single item failed validation. Please refer to "
                "the error field for each item.",
            },
        }
        code = 400
    elif totals["error"]:
        envelope = {"status": "partial", "summary": summary, "data": data, "error": None}
        code = 207
    else:
        envelope = {"status": "success", "summary": summary, "data": data, "error": None}
        code = 201
    return json_response(orjson.dumps(envelope), code)


def _bulk_error(status: int, code: str, message: str) -> Response:
    return json_response(
        orjson.dumps(
            {
                "status": "error",
                "summary": None,
                "data": None,
                "error": {"code": code, "message": message},
            }
        ),
        status,
    )


@router.get("/trackers", **docs.LIST_TRACKERS)
async def list_trackers(
    request: Request, account: Account = Depends(authorized("list_trackers"))
) -> Response:
    query = request.query_params
    page = int_param(query.get("page"), "page", 1, 1, None)
    limit = int_param(query.get("limit"), "limit", 100, 1, 500)
    sort = query.get("sort", "1")
    if sort not in ("1", "-1"):
        raise ApiError(
            400,
            "validation_error",
            f"sort must be 1 (oldest first, the default) or -1 (newest first), not '{sort}'.",
        )
    rows = await service.list_page(
        request.app.state.db, account.id, page=page, limit=limit, newest_first=sort == "-1"
    )
    return json_response(presenter.trackers_body(rows))


@router.get("/trackers/search/{trackingNumber}/results", **docs.SEARCH_RESULTS)
async def get_results_by_tracking_number(
    trackingNumber: str,
    request: Request,
    account: Account = Depends(authorized("search_results")),
) -> Response:
    rows = await service.results_by_number(request.app.state.db, account.id, trackingNumber)
    return json_response(presenter.trackings_body(rows))


@router.get("/trackers/{trackerId}", **docs.GET_TRACKER)
async def get_tracker(
    trackerId: str,
    request: Request,
    account: Account = Depends(authorized("get_tracker")),
) -> Response:
    by_client = search_by_client_id(request.query_params.get("searchBy"))
    row = await service.get(request.app.state.db, account.id, trackerId, by_client_id=by_client)
    return json_response(presenter.tracker_body(row))


@router.patch("/trackers/{trackerId}", **docs.UPDATE_TRACKER)
async def update_tracker(
    trackerId: str,
    request: Request,
    account: Account = Depends(authorized("update_tracker")),
) -> Response:
    by_client = search_by_client_id(request.query_params.get("searchBy"))
    body = await json_body(request)
    settings = request.app.state.settings
    row = await service.update(
        request.app.state.db,
        account.id,
        trackerId,
        body,
        by_client_id=by_client,
        max_age_days=settings.shipping_date_max_age_days,
        max_couriers=settings.max_couriers_per_tracker,
    )
    return json_response(presenter.tracker_body(row))


@router.get("/trackers/{trackerId}/results", **docs.TRACKER_RESULTS)
async def get_tracker_results(
    trackerId: str,
    request: Request,
    account: Account = Depends(authorized("tracker_results")),
) -> Response:
    by_client = search_by_client_id(request.query_params.get("searchBy"))
    row = await service.results(request.app.state.db, account.id, trackerId, by_client_id=by_client)
    return json_response(presenter.trackings_body([row]))
