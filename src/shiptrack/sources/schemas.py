"""The OpenAPI model of the callback endpoint's answer (``api/schemas.py`` lists it)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CallbackData(BaseModel):
    source: str = Field(examples=["track17"])
    duplicate: bool = Field(description="The same callback was stored before: nothing done")
    trackers: int = Field(description="Trackers the pushed updates were stored for")
    events: int = Field(description="New events stored")


class CallbackEnvelope(BaseModel):
    data: CallbackData


MODELS = [CallbackEnvelope]
