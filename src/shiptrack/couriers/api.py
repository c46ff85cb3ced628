"""Courier endpoints: the catalogue (Ship24's GET /couriers) and detection (shiptrack's)."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.api.deps import authorize, json_body, json_response
from shiptrack.api.errors import ApiError, validation_errors
from shiptrack.api.openapi import errors
from shiptrack.api.routing import ApiRouter
from shiptrack.couriers import catalogue, detection
from shiptrack.trackers import validation

router = ApiRouter("Couriers")


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
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(
            400,
            "validation_error",
            'The body must be a JSON object, e.g. {"trackingNumber": "1Z999AA10123456784"}.',
        )
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
    codes = validation.courier_codes(body.get("courierCode"), problems)
    origin = validation.country(body, "originCountryCode", problems)
    destination = validation.country(body, "destinationCountryCode", problems)
    post_code = validation.post_code(body, problems)
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
