"""OpenAPI metadata of the tracker endpoints (operation ids are Ship24's)."""

from __future__ import annotations

from typing import Any

from shiptrack.api.openapi import error_responses, json_schema_body, json_schema_response

CREATE_TRACKER: dict[str, Any] = {
    "operation_id": "create-tracker",
    "summary": "Create a tracker",
    "description": "Register a shipment to track continuously. Idempotent: the same parameters "
    "return the same tracker (201 either way).",
    "openapi_extra": json_schema_body("TrackerCreateRequest"),
    "responses": {
        201: json_schema_response("TrackerEnvelope", "The tracker"),
        **error_responses(400),
    },
}
TRACK_TRACKER: dict[str, Any] = {
    "operation_id": "create-tracker-and-get-tracking-results",
    "summary": "Create a tracker and get its tracking results",
    "description": "Create (or find) the tracker, fetch from the couriers synchronously the "
    "first time, and answer its tracking results.",
    "openapi_extra": json_schema_body("TrackerCreateRequest"),
    "responses": {
        201: json_schema_response("TrackingsEnvelope", "Tracking results"),
        **error_responses(400),
    },
}
BULK_CREATE: dict[str, Any] = {
    "operation_id": "bulk-create-trackers",
    "summary": "Create up to 100 trackers",
    "description": 'Body: a JSON array of tracker creation requests (or {"trackers": […]}). '
    "201 when every item was created or existed, 207 when some failed, 400/403 otherwise.",
    "openapi_extra": json_schema_body("BulkCreateRequest"),
    "responses": {
        201: json_schema_response("BulkCreateResponse", "All created or existing"),
        207: json_schema_response("BulkCreateResponse", "Some items failed"),
        400: json_schema_response("BulkCreateResponse", "Every item failed, or a bad body"),
        403: json_schema_response("BulkCreateResponse", "More than 100 items"),
    },
}
LIST_TRACKERS: dict[str, Any] = {
    "operation_id": "list-trackers",
    "summary": "List trackers",
    "description": "Query parameters: page (from 1, default 1), limit (1-500, default 100), "
    "sort (1 oldest first, the default; -1 newest first).",
    "responses": {
        200: json_schema_response("TrackersEnvelope", "A page of trackers"),
        **error_responses(400),
    },
}
GET_TRACKER: dict[str, Any] = {
    "operation_id": "get-tracker-by-trackerId",
    "summary": "Get a tracker",
    "description": "searchBy=trackerId (default) or clientTrackerId.",
    "responses": {
        200: json_schema_response("TrackerEnvelope", "The tracker"),
        **error_responses(404),
    },
}
UPDATE_TRACKER: dict[str, Any] = {
    "operation_id": "update-tracker-by-trackerId",
    "summary": "Update a tracker",
    "description": "isSubscribed, courierCode (added), shipment hints (until data is found), "
    "courierName, trackingUrl, recipient.name.",
    "openapi_extra": json_schema_body("TrackerUpdateRequest"),
    "responses": {
        200: json_schema_response("TrackerEnvelope", "The tracker"),
        **error_responses(400, 404),
    },
}
TRACKER_RESULTS: dict[str, Any] = {
    "operation_id": "get-tracking-results-of-tracker-by-trackerId",
    "summary": "Get a tracker's tracking results",
    "responses": {
        200: json_schema_response("TrackingsEnvelope", "Tracking results"),
        **error_responses(404),
    },
}
SEARCH_RESULTS: dict[str, Any] = {
    "operation_id": "get-tracking-results-of-trackers-by-tracking-number",
    "summary": "Get the tracking results of every tracker with a tracking number",
    "responses": {
        200: json_schema_response("TrackingsEnvelope", "Tracking results"),
        **error_responses(404),
    },
}
