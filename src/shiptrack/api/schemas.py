"""Pydantic models of the wire format, used to document the API (OpenAPI) and in tests.

Handlers render JSON directly for speed; these models describe exactly what they render
(a conformance test validates real responses against them and against Ship24's document).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class ErrorItem(BaseModel):
    code: str = Field(examples=["validation_error"])
    message: str


class ErrorEnvelope(BaseModel):
    errors: list[ErrorItem]
    data: None = None


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


class EstimatedWindow(BaseModel):
    from_: str | None = Field(alias="from")
    to: str | None


class Delivery(BaseModel):
    estimatedDeliveryDate: str | None
    courierEstimatedDeliveryDate: EstimatedWindow | None
    service: str | None
    signedBy: str | None


class TrackingNumber(BaseModel):
    tn: str


class ShipmentRecipient(BaseModel):
    name: str | None
    address: str | None
    postCode: str | None
    city: str | None
    subdivision: str | None


class Shipment(BaseModel):
    shipmentId: str | None
    statusCode: str | None
    statusCategory: str | None
    statusMilestone: str
    originCountryCode: str | None
    destinationCountryCode: str | None
    delivery: Delivery
    trackingNumbers: list[TrackingNumber]
    recipient: ShipmentRecipient | None


class Event(BaseModel):
    eventId: str
    trackingNumber: str
    eventTrackingNumber: str
    status: str | None
    occurrenceDatetime: str
    order: int | None
    location: str | None
    sourceCode: str | None
    courierCode: str | None
    statusCode: str | None
    statusCategory: str | None
    statusMilestone: str
    sequence: int | None = Field(None, description="shiptrack: order of discovery (1, 2, …)")


class Timestamps(BaseModel):
    infoReceivedDatetime: str | None
    inTransitDatetime: str | None
    outForDeliveryDatetime: str | None
    failedAttemptDatetime: str | None
    availableForPickupDatetime: str | None
    exceptionDatetime: str | None
    deliveredDatetime: str | None


class Statistics(BaseModel):
    timestamps: Timestamps


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


class Courier(BaseModel):
    courierCode: str
    courierName: str
    website: str | None
    isPost: bool
    countryCode: str | None
    requiredFields: list[str] | None
    isDeprecated: bool


class CouriersData(BaseModel):
    couriers: list[Courier]


class CouriersEnvelope(BaseModel):
    data: CouriersData


class SourceView(BaseModel):
    source: str = Field(examples=["usps"])
    name: str = Field(examples=["USPS"])
    kind: Literal["carrier", "aggregator", "sandbox"]
    sourceCode: str = Field(examples=["usps-tracking"])
    enabled: bool
    enable: str | None = Field(description="What to configure to enable it; null when enabled")
    courierCount: int


class SourceWithCouriers(SourceView):
    courierCodes: list[str]


class SourcesData(BaseModel):
    sources: list[SourceWithCouriers]


class SourcesEnvelope(BaseModel):
    data: SourcesData


class CourierView(Courier):
    trackingUrl: str | None = Field(
        description="The carrier's tracking page; {trackingNumber} stands for the number",
        examples=["https://m.usps.com/m/TrackConfirmAction_detail?tLabels={trackingNumber}"],
    )
    trackable: bool
    sources: list[SourceView]


class CourierViewData(BaseModel):
    courier: CourierView


class CourierViewEnvelope(BaseModel):
    data: CourierViewData


class DetectRequest(BaseModel):
    trackingNumber: str
    courierCode: str | list[str] | None = None
    originCountryCode: str | None = None
    destinationCountryCode: str | None = None
    destinationPostCode: str | None = None


class Candidate(BaseModel):
    courierCode: str
    courierName: str
    formatName: str
    checkDigit: str
    confidence: float
    reason: str


class DetectData(BaseModel):
    trackingNumber: str
    candidates: list[Candidate]


class DetectEnvelope(BaseModel):
    data: DetectData


class ClassifyRequest(BaseModel):
    text: str = Field(description="The carrier's raw event text, in any of 24 languages")
    courierCode: str | None = Field(
        None,
        description="Ship24 courier code, if known: the status table of the connector serving "
        "it (USPS, UPS, FedEx, DHL, La Poste, InPost, Bring, PostNord, Royal Mail, PostNL, "
        "Canada Post, Purolator) decides carrierStatusCode; its country is a language prior",
    )
    carrierStatusCode: str | None = Field(
        None,
        description="The carrier's own code: looked up in the courier's table, else UPU event "
        "codes (EMA…EXX) decide alone; a code the table knows is never overridden by the text",
    )
    language: str | None = Field(None, description="ISO 639-1 code of the text's language")
    location: str | None = Field(
        None, description="Where the event happened; its country code or script hints the language"
    )


class ClassifyData(BaseModel):
    statusCode: str | None = Field(description="Ship24 statusCode; null for a scan")
    statusMilestone: str = Field(description="The milestone the event implies by itself")
    ruleId: str = Field(
        description="What decided: a rule (de.delivered), table:<courier>:<code>, upu.<code>, "
        "model.nb:<token>, or unmatched"
    )
    language: str | None
    confidence: float


class ClassifyEnvelope(BaseModel):
    data: ClassifyData


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
        description="table:<courier>:<code>, a normaliser rule, model.nb:<token>, unmatched"
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


class DiagnosticsData(BaseModel):
    tracker: DiagnosticTracker
    checks: DiagnosticChecks
    numberProblems: list[DiagnosticNumberProblem] = Field(
        description="Sources for which the number is malformed (e.g. a sandbox number that "
        "breaks the scenario grammar); empty when none"
    )
    events: list[DiagnosticEvent]


class DiagnosticsEnvelope(BaseModel):
    data: DiagnosticsData


MODELS: list[type[BaseModel]] = [
    ErrorEnvelope,
    TrackerCreateRequest,
    TrackingSearchRequest,
    BulkCreateRequest,
    TrackerUpdateRequest,
    TrackerEnvelope,
    TrackersEnvelope,
    TrackingsEnvelope,
    BulkCreateResponse,
    CouriersEnvelope,
    DetectRequest,
    DetectEnvelope,
    CourierViewEnvelope,
    SourcesEnvelope,
    ClassifyRequest,
    ClassifyEnvelope,
    DiagnosticsEnvelope,
]


def _all_models() -> list[type[BaseModel]]:
    from shiptrack.sources import schemas as sources
    from shiptrack.webhooks import schemas as webhooks

    return [
        *MODELS,
        *sources.MODELS,
        webhooks.AccountWebhookRequest,
        webhooks.RotateSecretRequest,
        webhooks.AccountWebhookEnvelope,
        webhooks.ResendEnvelope,
        webhooks.WebhookHistoryFile,
        webhooks.WebhookMessageEnvelope,
        webhooks.WebhookMessagesEnvelope,
        webhooks.WebhookTestEnvelope,
    ]
