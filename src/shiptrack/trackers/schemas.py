"""Wire models of the tracker endpoints (requests and envelopes), for the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from shiptrack.api.schemas import ErrorItem, Event, Shipment, Statistics


class Recipient(BaseModel):
    email: str | None = Field(None, max_length=254)
    name: str | None = Field(None, max_length=100)


class TrackerSettings(BaseModel):
    restrictTrackingToCourierCode: bool = False


class TrackerCreateRequest(BaseModel):
    trackingNumber: str = Field(min_length=5, max_length=50, pattern=r"^[a-zA-Z0-9-_/.]*$")
    shipmentReference: str | None = Field(None, max_length=100)
    clientTrackerId: str | None = Field(None, max_length=100)
    originCountryCode: str | None = Field(None, description="ISO 3166-1 alpha-2 or alpha-3")
    destinationCountryCode: str | None = Field(None, description="ISO 3166-1 alpha-2 or alpha-3")
    destinationPostCode: str | None = Field(None, max_length=32)
    shippingDate: str | None = Field(None, examples=["2021-03-01T11:09:00.000Z"])
    courierCode: str | list[str] | None = Field(None, description="Up to 3 courier codes")
    courierName: str | None = None
    trackingUrl: str | None = None
    orderNumber: str | None = None
    title: str | None = None
    recipient: Recipient | None = None
    settings: TrackerSettings | None = None


class TrackingSearchRequest(BaseModel):
    trackingNumber: str = Field(min_length=5, max_length=50, pattern=r"^[a-zA-Z0-9-_/.]*$")
    originCountryCode: str | None = None
    destinationCountryCode: str | None = None
    destinationPostCode: str | None = Field(None, max_length=32)
    shippingDate: str | None = None
    courierCode: str | list[str] | None = None


class BulkCreateRequest(BaseModel):
    trackers: list[TrackerCreateRequest] = Field(min_length=1, max_length=100)


class TrackerUpdateRequest(BaseModel):
    isSubscribed: bool | None = None
    courierCode: str | list[str] | None = None
    originCountryCode: str | None = None
    destinationCountryCode: str | None = None
    destinationPostCode: str | None = None
    shippingDate: str | None = None
    courierName: str | None = None
    trackingUrl: str | None = None
    recipient: Recipient | None = None


class Tracker(BaseModel):
    trackerId: str
    trackingNumber: str
    shipmentReference: str | None
    courierCode: list[str]
    clientTrackerId: str | None
    isSubscribed: bool
    isTracked: bool
    createdAt: str = Field(examples=["2021-03-10T05:13:00.000Z"])


class TrackerData(BaseModel):
    tracker: Tracker


class TrackerEnvelope(BaseModel):
    data: TrackerData


class TrackersData(BaseModel):
    trackers: list[Tracker]


class TrackersEnvelope(BaseModel):
    data: TrackersData


class Tracking(BaseModel):
    tracker: Tracker | None = None
    shipment: Shipment
    events: list[Event]
    statistics: Statistics


class TrackingsData(BaseModel):
    trackings: list[Tracking]


class TrackingsEnvelope(BaseModel):
    data: TrackingsData


class BulkItemError(BaseModel):
    code: str
    message: str


class BulkItem(BaseModel):
    itemStatus: Literal["created", "existing", "error"]
    inputData: Any
    tracker: Tracker | None
    errors: list[BulkItemError] | None


class BulkSummary(BaseModel):
    totalInputs: int
    totalCreated: int
    totalExisting: int
    totalErrors: int


class BulkCreateResponse(BaseModel):
    status: Literal["success", "partial", "error"]
    summary: BulkSummary | None
    data: list[BulkItem] | None
    error: ErrorItem | None


class DiagnosticEvent(BaseModel):
    eventId: str
    sequence: int
    trackingNumber: str
    courierCode: str | None
    sourceCode: str | None
    occurrenceDatetime: str
    status: str | None = Field(description="The carrier's raw text")
    carrierStatusCode: str | None = Field(description="The carrier's raw code")
    statusCode: str | None
    ruleId: str | None = Field(
        description="table:<courier>:<code>, a normaliser rule, model.mix:<feature>, unmatched"
    )
    discoveredAt: str


class DiagnosticTracker(BaseModel):
    trackerId: str
    trackingNumber: str
    shipmentId: str


class DiagnosticChecks(BaseModel):
    isTracked: bool = Field(description="Whether the engine still checks this tracker")
    checkCount: int = Field(description="Checks of its sources so far")
    errorCount: int = Field(description="Consecutive checks that ended in an error")
    lastCheckedAt: str | None
    nextCheckAt: str | None = Field(description="When the engine checks it next; null: never")
    stopReason: str | None = Field(description="Why tracking stopped (delivered, expired, …)")


class DiagnosticNumberProblem(BaseModel):
    sourceCode: str = Field(description="The source that recognises the number's form")
    message: str = Field(description="Why that source can never track it, and how to fix it")


class RoutingSource(BaseModel):
    source: str = Field(description="The source's name (as `shiptrack couriers check` shows)")
    sourceCode: str
    kind: str = Field(description="carrier, aggregator or sandbox")
    enabled: bool = Field(description="Whether this installation runs it")
    enable: str | None = Field(description="What to set to enable it; null when enabled")


class RoutingCourier(BaseModel):
    courierCode: str
    from_: str = Field(alias="from", description="courierCode (given) or detection")
    confidence: float | None = Field(None, description="Detection's confidence")
    reason: str | None = Field(None, description="Why detection names this courier")
    sources: list[RoutingSource] = Field(description="Sources that could track this courier")


class SourceOutcome(BaseModel):
    sourceCode: str | None = Field(description="The source (null: no running source can track it)")
    outcome: Literal[
        "found", "not_found", "error", "budget_exhausted", "waiting_for_push", "no_source"
    ]
    meaning: str = Field(description="The outcome, for people")
    detail: str | None = Field(description="What the source said (the error, the budget)")
    checkedAt: str = Field(description="When (UTC)")
    current: bool = Field(description="Whether it is of the tracker's last check")


class DiagnosticRouting(BaseModel):
    claimedBy: list[str] = Field(description="Sources that claim the number whatever its courier")
    couriers: list[RoutingCourier] = Field(
        description="The tracker's courier codes, or detection's candidates when no running "
        "source covers those codes"
    )
    asked: list[str] = Field(description="Sources the engine asks about the number")
    trackable: bool = Field(description="Whether any running source is asked")
    explanation: str = Field(description="The routing in one sentence, with what to do")
    sources: list[SourceOutcome] = Field(
        description="Each source's last outcome for the tracker at the engine's checks"
    )


class DiagnosticsData(BaseModel):
    tracker: DiagnosticTracker
    checks: DiagnosticChecks
    routing: DiagnosticRouting = Field(
        description="Which sources the engine asks about the tracker's number, and why"
    )
    numberProblems: list[DiagnosticNumberProblem] = Field(
        description="Sources for which the number is malformed (e.g. a sandbox number that "
        "breaks the scenario grammar); empty when none"
    )
    events: list[DiagnosticEvent]


class DiagnosticsEnvelope(BaseModel):
    data: DiagnosticsData


#: The models this feature's operations name, for the OpenAPI document (``api/openapi.py``).
MODELS: list[type[BaseModel]] = [
    TrackerCreateRequest,
    TrackingSearchRequest,
    BulkCreateRequest,
    TrackerUpdateRequest,
    TrackerEnvelope,
    TrackersEnvelope,
    TrackingsEnvelope,
    BulkCreateResponse,
    DiagnosticsEnvelope,
]
