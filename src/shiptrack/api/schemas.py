"""Pydantic models of the wire shapes every feature shares: the error envelope and the
shipment, event and statistics objects (in API responses and in webhook bodies).

Handlers render JSON directly for speed (``tracking/render.py``); these models describe
exactly what is rendered (a conformance test validates real responses against them and
against Ship24's document). Each feature declares its own request and envelope models
(``trackers/schemas.py``, ``couriers/schemas.py``, ``status/schemas.py``,
``webhooks/endpoints/schemas.py``) and lists them on its router, from which ``app.py`` collects the
OpenAPI document.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorItem(BaseModel):
    code: str = Field(examples=["validation_error"])
    message: str


class ErrorEnvelope(BaseModel):
    errors: list[ErrorItem]
    data: None = None


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
