"""Courier endpoints: the catalogue (Ship24's GET /couriers), and shiptrack's extensions:
one courier with its tracking page and the sources that could track it, the sources of this
installation, and detection."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import orjson
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.api.deps import authorize, json_object, json_response
from shiptrack.api.openapi import errors
from shiptrack.api.routing import ApiRouter
from shiptrack.api.services import services
from shiptrack.couriers import catalogue, detection, hints, schemas
from shiptrack.couriers.coverage import Coverage, courier_view_json, source_json
from shiptrack.errors import ApiError, validation_errors

router = ApiRouter("Couriers", schemas.MODELS)


@runtime_checkable
class CourierServices(Protocol):
    """What the courier endpoints read of the app's services (``api/services.py``)."""

    #: Which sources of this installation could track which couriers.
    coverage: Coverage


@router.route(
    "GET",
    "/couriers",
    operation_id="get-couriers",
    summary="List every courier shiptrack knows",
    responses={200: ("CouriersEnvelope", "The catalogue"), **errors()},
)
async def list_couriers(request: Request) -> Response:
    await authorize(request, "list_couriers")
    return json_response(catalogue.couriers_response_body())


@router.route(
    "GET",
    "/couriers/{courierCode}",
    operation_id="get-courier",
    summary="One courier, its tracking page and the sources that could track it "
    "(shiptrack extension)",
    description="Ship24's courier object plus `trackingUrl` (the carrier's own tracking page, "
    "`{trackingNumber}` standing for the number; null when none is known), `trackable` (an "
    "enabled source of this installation covers the courier) and `sources` (every source "
    "that could, in the order they are asked, each with `enabled` and what to configure).",
    responses={200: ("CourierViewEnvelope", "The courier"), **errors(404)},
)
async def get_courier(request: Request) -> Response:
    await authorize(request, "get_courier")
    code = request.path_params["courierCode"].strip().lower()
    courier = catalogue.get_courier(code)
    if courier is None:
        raise ApiError(
            404,
            "courier_not_found",
            f"No courier has the code '{code[:50]}'. GET /couriers lists the valid codes.",
        )
    coverage = services(request, CourierServices).coverage
    return json_response(orjson.dumps({"data": {"courier": courier_view_json(courier, coverage)}}))


@router.route(
    "GET",
    "/sources",
    operation_id="list-sources",
    summary="The data sources of this installation and the couriers each covers "
    "(shiptrack extension)",
    description="Every source shiptrack could use (carrier connectors, upstream aggregators, "
    "the sandbox), in the order they are asked, with `enabled` and, when disabled, what to "
    "configure.",
    responses={200: ("SourcesEnvelope", "The sources"), **errors()},
)
async def list_sources(request: Request) -> Response:
    await authorize(request, "list_sources")
    coverage = services(request, CourierServices).coverage
    sources = [source_json(s, with_couriers=True) for s in coverage.sources]
    return json_response(orjson.dumps({"data": {"sources": sources}}))


@router.route(
    "POST",
    "/couriers/detect",
    operation_id="detect-couriers",
    summary="Detect the couriers a tracking number may belong to (shiptrack extension)",
    description="Every plausible courier, ranked, each with a confidence and the reason. "
    "Optional hints (courierCode, countries, post code) rerank. An empty list means no known "
    "format matches: shiptrack never guesses.",
    body="DetectRequest",
    responses={200: ("DetectEnvelope", "Ranked candidates"), **errors(400)},
)
async def detect_couriers(request: Request) -> Response:
    await authorize(request, "detect_courier")
    body = await json_object(request, '{"trackingNumber": "1Z999AA10123456784"}')
    if body.get("trackingNumber") is None:
        raise ApiError(
            400,
            "missing_mandatory_field",
            "trackingNumber is required: the number to detect couriers for.",
        )
    problems: list[str] = []
    raw = body["trackingNumber"]
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 100:
        problems.append("trackingNumber must be a non-empty string of at most 100 characters.")
    codes = hints.courier_codes(body.get("courierCode"), problems)
    origin = hints.country(body, "originCountryCode", problems)
    destination = hints.country(body, "destinationCountryCode", problems)
    post_code = hints.post_code(body, problems)
    if problems:
        raise validation_errors(problems)
    candidates = detection.detect(
        raw,
        courier_codes=codes,
        origin_country_code=origin,
        destination_country_code=destination,
        destination_post_code=post_code,
    )
    return json_response(
        orjson.dumps(
            {
                "data": {
                    "trackingNumber": raw.strip(),
                    "candidates": [detection.candidate_json(c) for c in candidates],
                }
            }
        )
    )
