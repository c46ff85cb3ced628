"""The answer of ``POST /trackers/bulk``: per-item outcomes, the summary,
and the overall status (201 all created or existing, 207 some failed, 400 all failed)."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from starlette.responses import Response

from shiptrack.api.deps import json_response
from shiptrack.errors import ApiError
from shiptrack.trackers.service import CreateOutcome
from shiptrack.tracking import render

log = logging.getLogger("shiptrack.api")


def internal_error(exc: Exception) -> CreateOutcome:
    """A bulk item the database refused: logged, and answered as that item's error."""
    log.error("bulk item could not be written error=%s", exc.__class__.__name__)
    return CreateOutcome(
        error=ApiError(
            500,
            "internal_error",
            "This item could not be written; the other items were. Retry it later; if it "
            "fails again, report it to the operator of this server.",
        )
    )


def response(body: list[Any], outcomes: list[CreateOutcome]) -> Response:
    """The bulk answer: each item's status, the summary, and 201, 207 or 400 overall."""
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
                    "tracker": render.tracker_dict(outcome.row),
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
    error = None
    if totals["error"] == len(body):
        status, code = "error", 400
        error = {
            "code": "processing_error",
            "message": "Every single item failed validation. Please refer to the error "
            "field for each item.",
        }
    elif totals["error"]:
        status, code = "partial", 207
    else:
        status, code = "success", 201
    envelope = {"status": status, "summary": summary, "data": data, "error": error}
    return json_response(orjson.dumps(envelope), code)


def error_response(status: int, code: str, message: str) -> Response:
    """A bulk request refused as a whole, in the bulk envelope."""
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
