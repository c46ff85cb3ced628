"""Conformance: shiptrack's real responses against Ship24's own OpenAPI 3.1 file (issue 2, #10).

Every operation of ``../shared/reference/ship24-tracking-api.yaml`` is driven through the real
app (on each database engine) and every response is checked for
- the status code: the one the spec documents for the case (after ADJUSTMENTS);
- the body: valid, as JSON Schema 2020-12 with the ``$ref``s resolved inside the YAML, against
  the schema the spec gives for that operation and status; content type ``application/json``;
- for 2xx cases, the request the test sent: valid against the spec's request body and query
  parameters, so the test drives each operation as documented.

How the YAML is read (faithful reading of an OpenAPI file, not decisions):
- ``nullable: true``, an OpenAPI 3.0 keyword left in this 3.1 file, adds ``null`` to the type
  (the spec's own examples send ``"error": null``, ``"tracker": null``…).
- Presence: the YAML lists almost nothing as ``required``, so ``{}`` would pass most response
  schemas. Part B §2 (keys are always present, ``null`` when unknown) makes every declared
  property of a response object required, except OPTIONAL (Part B §4 and the spec's examples).
- Formats ``date-time`` (RFC 3339) and ``logistic-date-time`` (Part B §5) are checked; the other
  format names (``ISO 3166-1 alpha-2``, ``email``) are annotations.

Where the spec is wrong or silent, Part A of ``shared/spec/ship24-api.md`` (and its §11) decides:
ADJUSTMENTS applies each decision to the YAML, and first checks that the spec still says what
the row quotes, so a row that a fixed spec no longer needs fails instead of lingering.

Every operation of the spec is served: a route that goes missing fails here (no xfail).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "ship24-tracking-api.yaml"
)
if not SPEC_PATH.is_file():
    pytest.skip(
        f"Ship24's OpenAPI file is not at {SPEC_PATH.resolve()} (the repository is expected to "
        "be cloned next to shared/): API conformance is not checked.",
        allow_module_level=True,
    )

SPEC_URI = "https://docs.ship24.com/assets/openapi/ship24-tracking-api.yaml"
PREFIX = "/public/v1"
SAMPLE = "SHIP24_SAMPLE_DELIVERED_123"  # Part A #12: a sandbox journey with events and stats
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
BAD_KEY = {"Authorization": "Bearer apik_conformance_not_a_key"}

#: Operations being built by other engineers: ``404 route_not_found`` means "not wired yet".

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "<absent>"})()
PRESENT: Any = type("Present", (), {"__repr__": lambda self: "<present>"})()

TRACKER = {"$ref": "#/components/schemas/tracker"}
REQUEST = {"$ref": "#/components/schemas/tracker-create-request"}
ERROR = {"$ref": "#/components/schemas/error-response-format"}
WRAPPED = {
    "type": "object",
    "properties": {"data": {"type": "object", "properties": {"tracker": TRACKER}}},
}
TRACKER_ARRAY = {"type": "array", "items": REQUEST, "minItems": 1, "maxItems": 100}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _sibling(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda parent: copy.deepcopy(parent[name])


@dataclass(frozen=True)
class Adjustment:
    """Where the spec says ``spec_says``, Part A (``decision``) says ``decided``.

    ``target``: a JSON pointer into the YAML, or ``op:<operationId>[,<operationId>…|*]/<pointer
    inside the operation>``; a list member may be named (``parameters/page``).
    """

    decision: str
    target: str
    spec_says: Any
    decided: Any


BODY = "content/application~1json/schema"  # a response's JSON schema, inside the response
SCHEMAS = "/components/schemas"
TRACK = "create-tracker-and-get-tracking-results"
HAS_TRACKER_ID = (
    "update-tracker-by-trackerId,get-tracking-results-of-trackers-by-tracking-number,"
    "resend-webhooks,download-webhook-history"
)
BULK_REQUEST = {"x-internal": True, "type": "array", "items": REQUEST, "required": True}
BULK_EITHER = {
    "anyOf": [
        TRACKER_ARRAY,
        {"type": "object", "required": ["trackers"], "properties": {"trackers": TRACKER_ARRAY}},
    ]
}

ADJUSTMENTS: tuple[Adjustment, ...] = (
    # GET/PATCH /trackers/{id} answer {"data":{"tracker":…}}; the bare schema is a spec bug.
    Adjustment("Part A #3", f"op:get-tracker-by-trackerId/responses/200/{BODY}", TRACKER, WRAPPED),
    Adjustment(
        "Part A #3", f"op:update-tracker-by-trackerId/responses/200/{BODY}", TRACKER, WRAPPED
    ),
    # POST /trackers/track answers 201 (as Ship24 does live), not the spec's 200.
    Adjustment("Part A #2", f"op:{TRACK}/responses/201", MISSING, _sibling("200")),
    Adjustment("Part A #2", f"op:{TRACK}/responses/200", PRESENT, MISSING),
    # totalResent is an integer (as Ship24 sends it), not the spec's string.
    Adjustment(
        "Part A #5",
        f"op:resend-webhooks/responses/201/{BODY}/properties/data/properties/summary"
        "/properties/totalResent",
        {"type": "string"},
        {"type": "integer", "minimum": 0},
    ),
    # PATCH courierCode appends: a tracker holds up to 9 couriers (3 per request).
    Adjustment("Part A #6", f"{SCHEMAS}/tracker/properties/courierCode/maxItems", 3, 9),
    # page and limit are optional (defaults 1 and 100); a limit over 500 is a 400.
    Adjustment("Part A #7", "op:list-trackers/parameters/page/required", True, False),
    Adjustment("Part A #7", "op:list-trackers/parameters/limit/required", True, False),
    Adjustment("Part A #7", "op:list-trackers/responses/400", MISSING, _error("Bad paging")),
    # Bulk takes a bare array or {"trackers":[…]}, 1-100 items.
    Adjustment("Part A #4", f"{SCHEMAS}/bulk-create-trackers-request", BULK_REQUEST, BULK_EITHER),
    # Every error is the error envelope: auth failures (Part B §1) on every operation, and
    # tracker_not_found where Part B §3.1 lists a 404 that the YAML does not.
    Adjustment("Part A #10", "op:*/responses/401", MISSING, _error("Invalid API key")),
    Adjustment("Part A #10", f"op:{HAS_TRACKER_ID}/responses/404", MISSING, _error("Not found")),
    # estimatedDeliveryDate is a logistics date-time (the spec's own example has no offset).
    Adjustment(
        "§11",
        f"{SCHEMAS}/shipment/properties/delivery/properties/estimatedDeliveryDate/format",
        "date-time",
        "logistic-date-time",
    ),
    # inputData echoes the item as sent (Part B §3.5), so a rejected item's echo need not be a
    # valid request: the spec's own Partial and Bad request examples echo "TEST" (minLength 5).
    Adjustment(
        "spec examples",
        f"{SCHEMAS}/bulk-create-trackers-response/properties/data/items/properties/inputData",
        REQUEST,
        {"type": "object"},
    ),
)

#: Declared response properties that may be absent (everything else must be present).
OPTIONAL = {
    # Part B §4.1: courierCode is optional on the tracker.
    "/components/schemas/tracker/properties/courierCode",
    # Part B §4.5: deprecated, in webhook examples only.
    "/components/schemas/event/properties/datetime",
    "/components/schemas/event/properties/utcOffset",
    "/components/schemas/event/properties/hasNoTime",
    # The spec's Partial example has an error item without "tracker".
    "/components/schemas/bulk-create-trackers-response/properties/data/items/properties/tracker",
}
#: The schemas of the YAML's components that describe responses (presence applies to them).
RESPONSE_COMPONENTS = (
    "tracker",
    "shipment",
    "event",
    "statistics",
    "error-response-format",
    "bulk-create-trackers-response",
)

#: Every operation of the YAML and the test that drives it.
EXERCISED = {
    "create-tracker": "test_create_tracker",
    "list-trackers": "test_list_trackers",
    "bulk-create-trackers": "test_bulk_create_trackers",
    "create-tracker-and-get-tracking-results": "test_create_tracker_and_get_results",
    "get-tracker-by-trackerId": "test_get_tracker",
    "update-tracker-by-trackerId": "test_update_tracker",
    "get-tracking-results-of-trackers-by-tracking-number": "test_results_by_tracking_number",
    "get-tracking-results-of-tracker-by-trackerId": "test_results_by_tracker_id",
    "get-couriers": "test_couriers",
    "get-tracking": "test_tracking_search",
    "resend-webhooks": "test_resend_webhooks",
    "download-webhook-history": "test_download_webhook_history",
}


# --- reading the spec ---------------------------------------------------------------------------


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _child(node: Any, segment: str) -> Any:
    if isinstance(node, list):
        if segment.isdigit():
            return node[int(segment)]
        return next(item for item in node if item.get("name") == segment)
    return node[segment]


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    segments = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
    node = doc
    for segment in segments[:-1]:
        node = _child(node, segment)
    return node, segments[-1]


def _plain(node: Any, *, in_properties: bool = False) -> Any:
    """``node`` without annotations (description, example…), for comparing with a quote."""
    if isinstance(node, dict):
        drop = () if in_properties else ("description", "example", "examples", "title")
        return {
            k: _plain(v, in_properties=k == "properties" and not in_properties)
            for k, v in node.items()
            if k not in drop
        }
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, dict):
        visit(node)
        for key, value in list(node.items()):
            if key not in ("example", "examples"):
                _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _openapi_to_json_schema(node: dict[str, Any]) -> None:
    if node.pop("nullable", False) is True:
        if "$ref" in node:
            node["anyOf"] = [{"$ref": node.pop("$ref")}, {"type": "null"}]
        elif "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            node["type"] = [*types, *(["null"] if "null" not in types else [])]


def _require_declared(node: Any, pointer: str) -> None:
    """Make every declared property of the objects in ``node`` required, except OPTIONAL."""
    if not isinstance(node, dict):
        return
    properties = node.get("properties")
    if isinstance(properties, dict):
        names = [n for n in properties if f"{pointer}/properties/{_escape(n)}" not in OPTIONAL]
        node["required"] = list(dict.fromkeys([*node.get("required", []), *names]))
        for name, schema in properties.items():
            _require_declared(schema, f"{pointer}/properties/{_escape(name)}")
    if "items" in node:
        _require_declared(node["items"], f"{pointer}/items")
    for key in ("anyOf", "oneOf", "allOf"):
        for i, schema in enumerate(node.get(key, [])):
            _require_declared(schema, f"{pointer}/{key}/{i}")


_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_LOGISTIC = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?")
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    """RFC 3339, as JSON Schema's ``date-time``: ``2021-03-10T05:13:00.000Z``."""
    if not isinstance(value, str):
        return True
    return bool(_RFC3339.fullmatch(value)) and bool(dt.datetime.fromisoformat(value))


@FORMATS.checks("logistic-date-time", raises=ValueError)
def _logistic_date_time(value: object) -> bool:
    """Part B §5: ``2022-08-14``, ``2022-10-23T15:13:37``, with ``Z`` or ``+02:00``."""
    if not isinstance(value, str):
        return True
    return bool(_LOGISTIC.fullmatch(value)) and bool(dt.datetime.fromisoformat(value))


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str  # under PREFIX, as documented, e.g. /trackers/{trackerId}
    pointer: str
    spec: dict[str, Any]

    def url(self, **path_params: str) -> str:
        return self.path.format(**{k: quote(v, safe="") for k, v in path_params.items()})

    def statuses(self) -> set[int]:
        return {int(s) for s in self.spec["responses"]}


class Spec:
    """The YAML with Part A's adjustments applied, and validators for its schemas."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.doc = copy.deepcopy(raw)
        self.operations = self._operations(self.doc)
        stale = [line for row in ADJUSTMENTS for line in self._apply(row)]
        if stale:
            pytest.fail(
                "The spec no longer says what these ADJUSTMENTS quote; review them against "
                "Part A:\n" + "\n".join(stale),
                pytrace=False,
            )
        _walk(self.doc, _openapi_to_json_schema)
        for pointer in OPTIONAL:
            parent, key = _parent(self.doc, pointer)
            assert key in parent, f"OPTIONAL lists {pointer}, which the spec does not declare"
        for name in RESPONSE_COMPONENTS:
            _require_declared(self.doc["components"]["schemas"][name], f"{SCHEMAS}/{name}")
        for op in self.operations.values():
            for status, response in op.spec["responses"].items():
                media = response.get("content", {}).get("application/json")
                if media and "schema" in media:
                    _require_declared(media["schema"], f"{op.pointer}/responses/{status}")
        self.registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(self.doc))

    @staticmethod
    def _operations(doc: dict[str, Any]) -> dict[str, Operation]:
        operations = {}
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    assert path.startswith(PREFIX), path
                    operations[op["operationId"]] = Operation(
                        op["operationId"],
                        method.upper(),
                        path.removeprefix(PREFIX),
                        f"/paths/{_escape(path)}/{method}",
                        op,
                    )
        return operations

    def _pointers(self, target: str) -> list[str]:
        if not target.startswith("op:"):
            return [target]
        ids, _, rest = target.removeprefix("op:").partition("/")
        chosen = list(self.operations) if ids == "*" else ids.split(",")
        return [f"{self.operations[i].pointer}/{rest}" for i in chosen]

    def _apply(self, row: Adjustment) -> list[str]:
        """Apply one row; what is wrong with it if the spec no longer says what it quotes."""
        stale = []
        for pointer in self._pointers(row.target):
            parent, key = _parent(self.doc, pointer)
            current = parent.get(key, MISSING)
            if row.spec_says is PRESENT:
                quoted = current is not MISSING
            elif row.spec_says is MISSING:
                quoted = current is MISSING
            else:
                quoted = current is not MISSING and _plain(current) == row.spec_says
            if not quoted:
                said = current if current is MISSING else _plain(current)
                stale.append(f"  {row.decision} at {pointer}: quotes {row.spec_says!r}, the spec "
                             f"says {said!r}")  # fmt: skip
            elif row.decided is MISSING:
                del parent[key]
            elif callable(row.decided):
                parent[key] = row.decided(parent)
            else:
                parent[key] = copy.deepcopy(row.decided)
        return stale

    def validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{SPEC_URI}#{quote(pointer, safe='/~')}"},
            registry=self.registry,
            format_checker=FORMATS,
        )

    def response_validator(self, op: Operation, status: int) -> Draft202012Validator:
        return self.validator(f"{op.pointer}/responses/{status}/{BODY}")


def problems(validator: Draft202012Validator, instance: Any) -> list[str]:
    """Each violation as ``field: expected …, actual …``."""
    found = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        actual = json.dumps(error.instance)
        actual = actual if len(actual) <= 200 else actual[:200] + "…"
        found.append(
            f"  {error.json_path}: expected {error.validator} {error.validator_value!r} "
            f"({error.message[:160]}); actual {actual}"
        )
    return found


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: ``2025-03-04T18:00:00`` stays the string it is."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.fixture(scope="session")
def spec() -> Spec:
    return Spec(yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=_Loader))


# --- driving the server -------------------------------------------------------------------------


async def call(
    client: httpx.AsyncClient,
    spec: Spec,
    operation_id: str,
    status: int,
    *,
    path: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    body: Any = MISSING,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    code: str | None = None,
    base: str = "",
) -> httpx.Response:
    """Send ``operation_id`` as documented, expect ``status`` and validate what comes back.

    ``code``: for error answers, the Ship24 error code expected (Part A #10's envelope).
    """
    op = spec.operations[operation_id]
    assert status in op.statuses(), (
        f"test bug: {operation_id} documents {sorted(op.statuses())} (after ADJUSTMENTS), "
        f"not {status}"
    )
    if status in (200, 201):
        _check_request(spec, op, params or {}, body)
    response = await client.request(
        op.method,
        base + op.url(**(path or {})),
        params=params,
        json=None if body is MISSING else body,
        content=content,
        headers=headers,
    )
    assert response.status_code == status, (
        f"{op.method} {response.request.url}: the spec documents {status} for this case, "
        f"shiptrack answered {response.status_code}: {response.text[:500]}"
    )
    assert response.headers.get("content-type", "").startswith("application/json"), (
        f"{op.method} {response.request.url}: content type {response.headers.get('content-type')}"
    )
    found = problems(spec.response_validator(op, status), response.json())
    assert not found, (
        f"{op.method} {response.request.url} → {status} does not match the spec's "
        f"{operation_id} {status} schema:\n" + "\n".join(found)
    )
    if code is not None:
        _check_error(response, code)
    return response


def _error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        return body["errors"][0].get("code")
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("code")
    return None


def _check_error(response: httpx.Response, code: str) -> None:
    body = response.json()
    if "status" in body:  # the bulk envelope (Part B §3.5)
        assert body["status"] == "error", body
        assert body["error"]["code"] == code, body
        assert body["error"]["message"], body
        return
    assert body["data"] is None, body  # Part A #10: {"errors":[{"code","message"}],"data":null}
    assert body["errors"], body
    assert body["errors"][0]["code"] == code, body
    assert all(item["message"] for item in body["errors"]), body


def _check_request(spec: Spec, op: Operation, params: dict[str, str], body: Any) -> None:
    """The test's own request for a success case must be a documented one."""
    for parameter in op.spec.get("parameters", []):
        if parameter["in"] == "query" and parameter.get("required"):
            assert parameter["name"] in params, f"test bug: {op.operation_id} needs {parameter}"
    media = op.spec.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not MISSING and media:
        found = problems(spec.validator(f"{op.pointer}/requestBody/{BODY}"), body)
        assert not found, f"test bug: {op.operation_id} request body:\n" + "\n".join(found)


async def _track_sample(client: httpx.AsyncClient, spec: Spec, **fields: Any) -> dict[str, Any]:
    """A tracker on the delivered sample journey, with its events (Part A #12)."""
    response = await call(
        client,
        spec,
        "create-tracker-and-get-tracking-results",
        201,
        body={"trackingNumber": SAMPLE, **fields},
    )
    (tracking,) = response.json()["data"]["trackings"]
    return tracking


def _assert_has_data(tracking: dict[str, Any]) -> None:
    """Validation covers events and statistics only if there are some."""
    assert tracking["events"], "the sample journey should have events"
    assert tracking["shipment"]["statusMilestone"] == "delivered", tracking["shipment"]
    assert tracking["statistics"]["timestamps"]["deliveredDatetime"], tracking["statistics"]


async def _create(client: httpx.AsyncClient, spec: Spec, **fields: Any) -> dict[str, Any]:
    response = await call(client, spec, "create-tracker", 201, body=fields)
    return response.json()["data"]["tracker"]


# --- the spec itself ----------------------------------------------------------------------------


def test_every_documented_operation_is_exercised(spec: Spec) -> None:
    assert all(name in globals() for name in EXERCISED.values()), EXERCISED
    assert set(spec.operations) == set(EXERCISED), (
        "operations of the YAML without a conformance test: "
        f"{sorted(set(spec.operations) - set(EXERCISED))}; "
        f"tests for operations the YAML lacks: {sorted(set(EXERCISED) - set(spec.operations))}"
    )


#: The spec's response examples that break its own schemas (not shiptrack's concern).
SPEC_EXAMPLE_BUGS = {
    ("list-trackers", "200", "Success"): "its third tracker lacks clientTrackerId, which the "
    "spec's tracker schema requires (Part B §4.1: always present, nullable)",
}


def test_spec_examples_match_the_adjusted_schemas(spec: Spec) -> None:
    """The spec's own response examples validate against the schemas as adjusted and read
    here: the adjustments, presence rule and formats agree with what Ship24 shows."""
    failures = []
    for op in spec.operations.values():
        for status, response in op.spec["responses"].items():
            media = response.get("content", {}).get("application/json", {})
            for name, example in media.get("examples", {}).items():
                if "$ref" in example:
                    parent, key = _parent(spec.doc, example["$ref"].removeprefix("#"))
                    example = parent[key]
                found = problems(spec.response_validator(op, int(status)), example["value"])
                known = (op.operation_id, status, name) in SPEC_EXAMPLE_BUGS
                if bool(found) != known:
                    failures.append(
                        f"{op.operation_id} {status} {name!r}: "
                        + ("listed in SPEC_EXAMPLE_BUGS but valid now" if known else "\n")
                        + "\n".join(found)
                    )
    assert not failures, "\n".join(failures)


# --- one test per operation ---------------------------------------------------------------------


async def test_create_tracker(client, spec):
    await call(
        client,
        spec,
        "create-tracker",
        201,
        body={
            "trackingNumber": "RA123456785GB",
            "shipmentReference": "c6e4fef4-a816-b68f-4024-3b7e4c5a9f81",
            "clientTrackerId": "conformance-1",
            "originCountryCode": "GB",
            "destinationCountryCode": "USA",
            "destinationPostCode": "94901",
            "shippingDate": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "courierCode": ["gb-post"],
            "courierName": "Royal Mail",
            "trackingUrl": "https://www.royalmail.com/track-your-item#/tracking-results/RA123456785GB",
            "orderNumber": "DF14R2022",
            "settings": {"restrictTrackingToCourierCode": True},
        },
    )
    await call(client, spec, "create-tracker", 201, body={"trackingNumber": "1Z999AA10123456784"})
    # The spec's own 400 example, then Part A #10's missing field and malformed body.
    await call(
        client,
        spec,
        "create-tracker",
        400,
        body={"trackingNumber": "TEST"},
        code="validation_error",
    )
    await call(client, spec, "create-tracker", 400, body={}, code="missing_mandatory_field")
    await call(
        client,
        spec,
        "create-tracker",
        400,
        content=b'{"trackingNumber": ',
        headers={"Content-Type": "application/json"},
        code="parsing_error",
    )


async def test_bulk_create_trackers(client, spec):
    existing = await _create(client, spec, trackingNumber="RA123456785GB")
    bare = await call(
        client,
        spec,
        "bulk-create-trackers",
        201,
        body=[{"trackingNumber": "RA123456785GB"}, {"trackingNumber": "1Z999AA10123456784"}],
    )
    assert [i["itemStatus"] for i in bare.json()["data"]] == ["existing", "created"]
    assert bare.json()["data"][0]["tracker"] == existing
    wrapped = await call(  # Part A #4: {"trackers": […]} too
        client,
        spec,
        "bulk-create-trackers",
        201,
        body={"trackers": [{"trackingNumber": "LX123456785DE"}]},
    )
    assert wrapped.json()["status"] == "success"
    partial = await call(
        client,
        spec,
        "bulk-create-trackers",
        207,
        body=[{"trackingNumber": "CH123456785DE"}, {"trackingNumber": "TEST"}],
    )
    assert [i["itemStatus"] for i in partial.json()["data"]] == ["created", "error"]
    await call(
        client,
        spec,
        "bulk-create-trackers",
        400,
        body=[
            {"trackingNumber": "TEST"},
            {"trackingNumber": "RA1234", "destinationCountryCode": "XX"},
        ],
        code="processing_error",
    )
    too_many = [{"trackingNumber": f"CONF{n:05d}X"} for n in range(101)]
    await call(
        client, spec, "bulk-create-trackers", 403, body=too_many, code="bulk_create_limit_exceeded"
    )


async def test_create_tracker_and_get_results(client, spec):
    tracking = await _track_sample(client, spec, clientTrackerId="conformance-1")
    _assert_has_data(tracking)
    again = await _track_sample(client, spec, clientTrackerId="conformance-1")  # idempotent reuse
    assert again["tracker"]["trackerId"] == tracking["tracker"]["trackerId"]


async def test_list_trackers(client, spec):
    await _create(client, spec, trackingNumber="RA123456785GB")
    await _track_sample(client, spec)
    everything = await call(client, spec, "list-trackers", 200)  # Part A #7: no page/limit
    trackers = everything.json()["data"]["trackers"]
    assert len(trackers) == 2
    page = await call(
        client, spec, "list-trackers", 200, params={"page": "1", "limit": "1", "sort": "-1"}
    )
    (newest,) = page.json()["data"]["trackers"]
    assert newest["createdAt"] == max(t["createdAt"] for t in trackers)
    await call(client, spec, "list-trackers", 400, params={"limit": "501"}, code="validation_error")


async def test_get_tracker(client, spec):
    tracker = await _create(client, spec, trackingNumber="RA123456785GB", clientTrackerId="c-42")
    by_id = await call(
        client, spec, "get-tracker-by-trackerId", 200, path={"trackerId": tracker["trackerId"]}
    )
    assert by_id.json()["data"]["tracker"] == tracker
    by_client = await call(
        client,
        spec,
        "get-tracker-by-trackerId",
        200,
        path={"trackerId": "c-42"},
        params={"searchBy": "clientTrackerId"},
    )
    assert by_client.json()["data"]["tracker"] == tracker
    # Part A #1: the same handler under /v1.
    await call(
        client,
        spec,
        "get-tracker-by-trackerId",
        200,
        path={"trackerId": tracker["trackerId"]},
        base="http://shiptrack.test/v1",
    )
    await call(
        client,
        spec,
        "get-tracker-by-trackerId",
        404,
        path={"trackerId": UNKNOWN_ID},
        code="tracker_not_found",
    )


async def test_update_tracker(client, spec):
    tracker = await _create(
        client, spec, trackingNumber="RA123456785GB", courierCode=["gb-post", "ups", "dhl"]
    )
    patched = await call(  # Part A #6: appended, a 4th courier
        client,
        spec,
        "update-tracker-by-trackerId",
        200,
        path={"trackerId": tracker["trackerId"]},
        body={"courierCode": ["fedex"], "destinationCountryCode": "DE"},
    )
    assert len(patched.json()["data"]["tracker"]["courierCode"]) == 4
    sample = (await _track_sample(client, spec, clientTrackerId="conformance-7"))["tracker"]
    await call(  # Part A #6: the sample has events, so its shipment hints are frozen
        client,
        spec,
        "update-tracker-by-trackerId",
        400,
        path={"trackerId": sample["trackerId"]},
        body={"destinationCountryCode": "DE"},
        code="tracker_not_updatable",
    )
    unsubscribed = await call(
        client,
        spec,
        "update-tracker-by-trackerId",
        200,
        path={"trackerId": "conformance-7"},
        params={"searchBy": "clientTrackerId"},
        body={"isSubscribed": False},
    )
    assert unsubscribed.json()["data"]["tracker"]["isSubscribed"] is False
    await call(
        client,
        spec,
        "update-tracker-by-trackerId",
        404,
        path={"trackerId": UNKNOWN_ID},
        body={"isSubscribed": False},
        code="tracker_not_found",
    )


async def test_results_by_tracker_id(client, spec):
    tracker = (await _track_sample(client, spec, clientTrackerId="conformance-3"))["tracker"]
    for path, params in (
        ({"trackerId": tracker["trackerId"]}, None),
        ({"trackerId": "conformance-3"}, {"searchBy": "clientTrackerId"}),
    ):
        response = await call(
            client,
            spec,
            "get-tracking-results-of-tracker-by-trackerId",
            200,
            path=path,
            params=params,
        )
        (tracking,) = response.json()["data"]["trackings"]  # always exactly one
        _assert_has_data(tracking)
    pending = await _create(client, spec, trackingNumber="RA123456785GB")
    await call(
        client,
        spec,
        "get-tracking-results-of-tracker-by-trackerId",
        200,
        path={"trackerId": pending["trackerId"]},
    )
    await call(
        client,
        spec,
        "get-tracking-results-of-tracker-by-trackerId",
        404,
        path={"trackerId": UNKNOWN_ID},
        code="tracker_not_found",
    )


async def test_results_by_tracking_number(client, spec):
    await _track_sample(client, spec, clientTrackerId="conformance-4")
    await _create(client, spec, trackingNumber=SAMPLE, clientTrackerId="conformance-5")
    response = await call(  # Part A #8: matched case-insensitively
        client,
        spec,
        "get-tracking-results-of-trackers-by-tracking-number",
        200,
        path={"trackingNumber": SAMPLE.lower()},
    )
    trackings = response.json()["data"]["trackings"]
    assert sorted(t["tracker"]["clientTrackerId"] for t in trackings) == [
        "conformance-4",
        "conformance-5",
    ]
    await call(
        client,
        spec,
        "get-tracking-results-of-trackers-by-tracking-number",
        404,
        path={"trackingNumber": "RA000000000GB"},
        code="tracker_not_found",
    )


async def test_couriers(client, spec):
    response = await call(client, spec, "get-couriers", 200)
    assert len(response.json()["data"]["couriers"]) >= 1538  # all of Ship24's catalogue


async def test_tracking_search(client, spec):
    response = await call(client, spec, "get-tracking", 201, body={"trackingNumber": SAMPLE})
    (tracking,) = response.json()["data"]["trackings"]
    assert "tracker" not in tracking  # Part B §3.12: per-call results have no tracker
    _assert_has_data(tracking)
    await call(  # the spec's own 400 example
        client,
        spec,
        "get-tracking",
        400,
        body={"trackingNumber": SAMPLE, "destinationCountryCode": "XYZW"},
        code="validation_error",
    )


@pytest.fixture
def webhook_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the account's webhook point at a local closed port without a HEAD probe."""
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_PROBE_ON_SAVE", "false")
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_ALLOW_PRIVATE", "true")


async def _tracker_with_webhook(client, spec) -> dict[str, Any]:
    """A sample tracker on an account with a webhook (set through shiptrack's resource)."""
    response = await client.put("/account/webhook", json={"url": "http://127.0.0.1:9/hook"})
    assert response.status_code in (200, 201), response.text
    return (await _track_sample(client, spec, clientTrackerId="conformance-6"))["tracker"]


async def test_resend_webhooks(webhook_env, client, spec):
    # Before any set-up, so that a missing route is reported as such.
    await call(
        client,
        spec,
        "resend-webhooks",
        404,
        path={"trackerId": UNKNOWN_ID},
        code="tracker_not_found",
    )
    tracker = await _tracker_with_webhook(client, spec)
    for path, params in (
        ({"trackerId": tracker["trackerId"]}, None),
        ({"trackerId": "conformance-6"}, {"searchBy": "clientTrackerId"}),
    ):
        await call(client, spec, "resend-webhooks", 201, path=path, params=params)


async def test_download_webhook_history(webhook_env, client, spec):
    await call(
        client,
        spec,
        "download-webhook-history",
        404,
        path={"trackerId": UNKNOWN_ID},
        code="tracker_not_found",
    )
    tracker = await _tracker_with_webhook(client, spec)
    response = await call(
        client, spec, "download-webhook-history", 200, path={"trackerId": tracker["trackerId"]}
    )
    # The documented headers: webhook-history-{trackingNumber}-{YYYYMMDD}.json, exposed.
    disposition = response.headers.get("content-disposition", "")
    named = re.fullmatch(
        rf'attachment; filename="webhook-history-{SAMPLE}-(\d{{8}})\.json"', disposition
    )
    assert named, disposition
    assert dt.datetime.strptime(named[1], "%Y%m%d"), disposition
    exposed = response.headers.get("access-control-expose-headers", "")
    assert "content-disposition" in exposed.lower(), exposed
    metadata = response.json()["metadata"]
    assert metadata["trackerId"] == tracker["trackerId"]
    assert metadata["webhookUrl"] == "http://127.0.0.1:9/hook"


async def test_invalid_api_key_on_every_operation(client, spec):
    """401 auth_invalid_api_key, in the error envelope (also on bulk), everywhere."""
    for op in spec.operations.values():
        path = {"trackerId": UNKNOWN_ID, "trackingNumber": "RA123456785GB"}
        body = {"trackingNumber": "RA123456785GB"} if op.method in ("POST", "PATCH") else MISSING
        await call(
            client,
            spec,
            op.operation_id,
            401,
            path=path,
            body=body,
            headers=BAD_KEY,
            code="auth_invalid_api_key",
        )
