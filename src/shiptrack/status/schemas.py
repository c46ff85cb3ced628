"""Wire models of ``POST /statuses/classify``, for the OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
        "model.mix:<feature>, or unmatched"
    )
    language: str | None
    confidence: float


class ClassifyEnvelope(BaseModel):
    data: ClassifyData


#: The models this feature's operations name, for the OpenAPI document (``api/openapi.py``).
MODELS: list[type[BaseModel]] = [
    ClassifyRequest,
    ClassifyEnvelope,
]
