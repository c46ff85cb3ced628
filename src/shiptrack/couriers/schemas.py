"""Wire models of the courier endpoints (list, detect, sources), for the OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


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


#: The models this feature's operations name, for the OpenAPI document (``api/openapi.py``).
MODELS: list[type[BaseModel]] = [
    CouriersEnvelope,
    DetectRequest,
    DetectEnvelope,
    CourierViewEnvelope,
    SourcesEnvelope,
]
