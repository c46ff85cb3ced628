"""``POST /statuses/classify`` (shiptrack extension): one raw event text → Ship24 status.

It lives with the couriers because a courierCode brings the courier's own status table and
country (``event_status``); the normaliser itself is ``shiptrack.status.classifier``.
"""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.api.deps import authorize, json_object, json_response
from shiptrack.api.openapi import errors
from shiptrack.api.routing import ApiRouter
from shiptrack.couriers.event_status import classify_event
from shiptrack.errors import ApiError, validation_errors
from shiptrack.status import schemas
from shiptrack.status.classifier import LANGUAGES

router = ApiRouter("Statuses", schemas.MODELS)

MAX_TEXT = 2000
MAX_CODE = 60
MAX_LOCATION = 200


def _optional_string(
    body: dict[str, object], name: str, problems: list[str], longest: int = MAX_CODE
) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > longest:
        problems.append(f"{name} must be null or a string of at most {longest} characters.")
        return None
    return value.strip() or None


@router.route(
    "POST",
    "/statuses/classify",
    operation_id="classify-status",
    summary="Classify a carrier's raw event text (shiptrack extension)",
    description="The Ship24 statusCode (null for an informational scan) and milestone a raw "
    "event text implies, with the id of the rule that decided, the detected language and a "
    "confidence. 24 languages. carrierStatusCode is looked up in the courier's own status "
    "table (courierCode) and else among UPU event codes; a code found there decides alone. "
    "courierCode's country and location are priors for the language.",
    body="ClassifyRequest",
    responses={200: ("ClassifyEnvelope", "The classification"), **errors(400)},
)
async def classify_status(request: Request) -> Response:
    await authorize(request, "classify_status")
    body = await json_object(request, '{"text": "Zending is afgeleverd"}')
    if body.get("text") is None:
        raise ApiError(
            400, "missing_mandatory_field", "text is required: the carrier's raw event text."
        )
    problems: list[str] = []
    text = body["text"]
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        problems.append(f"text must be a non-empty string of at most {MAX_TEXT} characters.")
    courier = _optional_string(body, "courierCode", problems)
    code = _optional_string(body, "carrierStatusCode", problems)
    language = _optional_string(body, "language", problems)
    location = _optional_string(body, "location", problems, MAX_LOCATION)
    if language is not None:
        language = language.lower()
        if language not in LANGUAGES:
            problems.append(f"language must be null or one of: {', '.join(LANGUAGES)}.")
    if problems:
        raise validation_errors(problems)
    result = classify_event(
        text, carrier_status_code=code, language=language, courier_code=courier, location=location
    )
    return json_response(orjson.dumps({"data": result.as_data()}))
