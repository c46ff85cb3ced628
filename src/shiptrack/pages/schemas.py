"""Wire models of the tracking-page endpoints (shiptrack extensions), for the OpenAPI
document; ``shiptrack.api.schemas`` collects ``MODELS``."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PageLink(BaseModel):
    trackerId: str
    path: str = Field(examples=["/track/3nq0fM8vQe2yX1Zs7kT4bWd9cLhR6pJa"])
    url: str = Field(description="The path on the address this request was sent to")
    createdAt: str


class PageLinkData(BaseModel):
    pageLink: PageLink


class PageLinkEnvelope(BaseModel):
    data: PageLinkData


class PageBranding(BaseModel):
    name: str | None = Field(None, max_length=100)
    primaryColour: str | None = Field(
        None, pattern=r"^#[0-9a-fA-F]{6}$", description="Links, progress; AA on the background"
    )
    textColour: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    backgroundColour: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    supportEmail: str | None = Field(None, max_length=254)
    supportPhone: str | None = Field(None, max_length=40)
    supportUrl: str | None = Field(None, max_length=2048)
    footer: str | None = Field(None, max_length=1000)
    logo: str | None = Field(
        None, description="data:image/(png|jpeg|gif|webp);base64,… at most 64 KiB"
    )
    postCodeSearch: bool | None = Field(
        None,
        description="Let customers find a page at /track/find/{accountId} by tracking number "
        "and destination post code (off by default)",
    )


class PageBrandingData(BaseModel):
    branding: PageBranding


class PageBrandingEnvelope(BaseModel):
    data: PageBrandingData


MODELS: list[type[BaseModel]] = [PageLinkEnvelope, PageBranding, PageBrandingEnvelope]
