"""Courier endpoints: the catalogue (Ship24's GET /couriers) and detection (shiptrack's)."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from shiptrack.accounts.repository import Account
from shiptrack.api.deps import authorized, json_body, json_response
from shiptrack.api.errors import ApiError, validation_errors
from shiptrack.api.openapi import error_responses, json_schema_body, json_schema_response
from shiptrack.couriers import catalogue, detection
from shiptrack.trackers import validation

router = APIRouter(tags=["Couriers"])


@router.get(
    "/couriers",
    operation_id="get-couriers",
    summary="List every courier shiptrack knows",
    responses={200: json_schema_response("CouriersEnvelope", "The catalogue"),
               **error_responses()},
)
async def list_couriers(
    request: Request, account: Account = Depends(authorized("list_couriers"))
) -> Response:
    return json_response(catalogue.couriers_response_body())


@router.post(
    "/couriers/detect",
    operation_id="detect-couriers",
    summary="Detect the couriers a tracking number may belong to (shiptrack extension)",
    description="Every plausible courier, ranked, each with a confidence and the reason. "
    "Optional hints (courierCode, countries, post code) rerank. An empty list means no known "
    "format matches: shiptrack never guesses.",
    openapi_extra=json_schema_body("DetectRequest"),
    responses={200: json_schema_response("DetectEnvelope", "Ranked candidates"),
               **error_responses(400)},
)
async def detect_couriers(
    request: Request, account: Account = Depends(authorized("detect_courier"))
) -> Response:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "validation_error",
                       'The body must be a JSON object, e.g. {"trackingNumber": "1Z999AA10123456784"}.')
    if body.get("trackingNumber") is None:
        raise ApiError(400, "missing_mandatory_field",
                       "trackingNumber is required: the number to detect couriers for.")
    errors: list[str] = []
    raw = body["trackingNumber"]
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 100:
        errors.append("trackingNumber must be a non-empty string of at most 100 characters.")
    codes = validation.courier_codes(body.get("courierCode"), errors)
    origin = validation.country(body, "originCountryCode", errors)
    destination = validation.country(body, "destinationCountryCode", errors)
    post_code = validation.post_code(body, errors)
    if errors:
        raise validation_errors(errors)
    candidates = detection.detect(raw, courier_codes=codes, origin_country_code=origin,
                        destination_country_code=destination, destination_post_code=post_code)
    return json_response(orjson.dumps({"data": {
        "trackingNumber": raw.strip(),
        "candidates": [detection.candidate_json(c) for c in candidates],
    }}))
