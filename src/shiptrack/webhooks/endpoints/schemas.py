"""Wire models of the webhook endpoints and of the webhook body, for the OpenAPI document.

The webhook router (``webhooks/endpoints/api.py``) lists the endpoint models for the OpenAPI
document; ``MODELS`` adds the webhook body. Handlers render JSON directly; these models
describe what they render (tests validate real responses against them).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from shiptrack.api.schemas import Event, Shipment, Statistics


class AccountWebhookRequest(BaseModel):
    url: str = Field(examples=["https://example.com/ship24-hooks"], max_length=2048)
    maxUpdatesPerMessage: int | None = Field(
        None, ge=1, description="Events per message: 1 (default) sends each event at once"
    )
    enabled: bool | None = None


class RotateSecretRequest(BaseModel):
    overlapHours: float | None = Field(
        None, ge=0, le=720, description="How long the old secret keeps signing (default 24)"
    )


class AccountWebhook(BaseModel):
    url: str
    maxUpdatesPerMessage: int
    groupWindowSeconds: float
    enabled: bool
    disabledReason: Literal["manual", "gone", "failing"] | None
    disabledAt: str | None
    notice: str | None = Field(description="Why the webhook is disabled and how to fix it")
    failingSince: str | None
    lastSuccessfulPushAt: str | None
    lastFailedPushAt: str | None
    secretPreview: str = Field(examples=["whsec_Zk3q…"])
    previousSecretExpiresAt: str | None
    createdAt: str
    updatedAt: str
    secret: str | None = Field(
        None, description="The whole secret: only when it was just created or rotated"
    )


class AccountWebhookData(BaseModel):
    webhook: AccountWebhook


class AccountWebhookEnvelope(BaseModel):
    data: AccountWebhookData


class ResendSummary(BaseModel):
    totalResent: int


class ResendData(BaseModel):
    summary: ResendSummary


class ResendEnvelope(BaseModel):
    data: ResendData


class WebhookHistoryMetadata(BaseModel):
    trackingNumber: str
    trackerId: str
    clientTrackerId: str | None
    webhookUrl: str | None
    lastSuccessfulPushAt: str | None
    lastFailedPushAt: str | None


class WebhookHistoryItem(BaseModel):
    status: Literal["success", "failed"]
    pushTimestamp: str | None
    requestBody: dict[str, Any]
    responseBody: Any
    responseHeaders: dict[str, str]
    responseStatusCode: str | None


class WebhookHistoryFile(BaseModel):
    metadata: WebhookHistoryMetadata
    webhooks: list[WebhookHistoryItem]


class WebhookMessage(BaseModel):
    messageId: str
    trackerId: str
    topic: str
    sequence: int
    eventCount: int
    status: Literal["pending", "delivered", "failed", "dropped"]
    attempts: int
    createdAt: str
    nextAttemptAt: str | None
    lastAttemptAt: str | None
    lastStatusCode: int | None
    lastError: str | None
    deliveredAt: str | None
    finishedAt: str | None
    dropReason: str | None


class WebhookAttempt(BaseModel):
    attempt: int
    at: str
    outcome: Literal["success", "failed"]
    statusCode: int | None
    durationMs: int
    error: str | None
    responseBody: str | None


class WebhookMessageDetail(WebhookMessage):
    payload: dict[str, Any]
    deliveryLog: list[WebhookAttempt]


class WebhookMessagesData(BaseModel):
    messages: list[WebhookMessage]


class WebhookMessagesEnvelope(BaseModel):
    data: WebhookMessagesData


class WebhookMessageData(BaseModel):
    message: WebhookMessageDetail


class WebhookMessageEnvelope(BaseModel):
    data: WebhookMessageData


class WebhookTestResult(BaseModel):
    messageId: str
    ok: bool
    statusCode: int | None
    durationMs: int
    error: str | None
    responseBody: str | None


class WebhookTestData(BaseModel):
    result: WebhookTestResult


class WebhookTestEnvelope(BaseModel):
    data: WebhookTestData


# --- the webhook body (what receivers get) --------------------------------------------------


class WebhookMetadata(BaseModel):
    generatedAt: str = Field(examples=["2025-03-04T17:13:35.000Z"])
    messageId: str
    topic: Literal["tracking/events"]


class WebhookTracker(BaseModel):
    trackerId: str
    trackingNumber: str
    shipmentReference: str | None
    clientTrackerId: str | None
    isSubscribed: bool
    createdAt: str


class WebhookEvent(Event):
    hasNoTime: bool = Field(description="Deprecated (Ship24)")
    utcOffset: str | None = Field(description="Deprecated (Ship24)")
    datetime: str | None = Field(description="Deprecated (Ship24)")


class WebhookTracking(BaseModel):
    metadata: WebhookMetadata
    tracker: WebhookTracker
    shipment: Shipment
    events: list[WebhookEvent]
    statistics: Statistics


class WebhookBody(BaseModel):
    """What shiptrack POSTs to the account's webhook URL."""

    trackings: list[WebhookTracking]


MODELS: list[type[BaseModel]] = [
    AccountWebhookRequest,
    RotateSecretRequest,
    AccountWebhookEnvelope,
    ResendEnvelope,
    WebhookHistoryFile,
    WebhookMessagesEnvelope,
    WebhookMessageEnvelope,
    WebhookTestEnvelope,
    WebhookBody,
]
