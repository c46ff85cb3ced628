"""Per-account branding of tracking pages: validated input, WCAG contrast, stored logo.

Colours are ``#rrggbb``. The text colour and the primary colour (links, progress, header)
must each reach WCAG 2.x AA contrast (4.5:1) against the background: a page a customer
cannot read is refused with a 400 naming the ratio, never silently adjusted. The logo is an
uploaded PNG, JPEG, GIF or WebP image (a ``data:`` URI, at most 64 KiB); shiptrack serves it
itself, so a customer's browser never asks a third party for it. SVG is refused (it can
carry scripts).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from shiptrack.errors import validation_errors

DEFAULT_PRIMARY = "#1d4ed8"
DEFAULT_TEXT = "#111827"
DEFAULT_BACKGROUND = "#ffffff"
AA_RATIO = 4.5
MAX_LOGO_BYTES = 64 * 1024

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_EMAIL = re.compile(r"[^@\s<>\"]{1,64}@[^@\s<>\"]{1,189}\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[^\s<>\"]{1,2000}")
_DATA_URI = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)")
_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
#: JSON member → (column, longest length).
_TEXTS = {
    "name": ("name", 100),
    "supportEmail": ("support_email", 254),
    "supportPhone": ("support_phone", 40),
    "supportUrl": ("support_url", 2048),
    "footer": ("footer", 1000),
}
_COLOURS = {
    "primaryColour": ("primary_colour", DEFAULT_PRIMARY),
    "textColour": ("text_colour", DEFAULT_TEXT),
    "backgroundColour": ("background_colour", DEFAULT_BACKGROUND),
}
MEMBERS = (*_TEXTS, *_COLOURS, "logo", "postCodeSearch")


@dataclass(frozen=True, slots=True)
class Branding:
    """What a page shows of its account; the defaults when the account set nothing."""

    name: str | None = None
    primary_colour: str = DEFAULT_PRIMARY
    text_colour: str = DEFAULT_TEXT
    background_colour: str = DEFAULT_BACKGROUND
    support_email: str | None = None
    support_phone: str | None = None
    support_url: str | None = None
    footer: str | None = None
    logo_type: str | None = None
    #: Whether customers may find a page by tracking number and destination post code.
    post_code_search: bool = False


def from_row(row: Any) -> Branding:
    if row is None:
        return Branding()
    return Branding(
        name=row.name,
        primary_colour=row.primary_colour or DEFAULT_PRIMARY,
        text_colour=row.text_colour or DEFAULT_TEXT,
        background_colour=row.background_colour or DEFAULT_BACKGROUND,
        support_email=row.support_email,
        support_phone=row.support_phone,
        support_url=row.support_url,
        footer=row.footer,
        logo_type=row.logo_type if row.logo is not None else None,
        post_code_search=bool(row.post_code_search),
    )


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _logo(value: str, problems: list[str]) -> tuple[bytes, str] | None:
    match = _DATA_URI.fullmatch(value)
    if match is None:
        problems.append(
            "logo must be a data URI of a PNG, JPEG, GIF or WebP image "
            "('data:image/png;base64,…'); URLs are refused so that a customer's browser "
            "never asks a third party for the logo."
        )
        return None
    try:
        data = base64.b64decode("".join(match.group(2).split()), validate=True)
    except (binascii.Error, ValueError):
        problems.append("logo: the base64 after 'base64,' does not decode.")
        return None
    kind = match.group(1)
    if len(data) > MAX_LOGO_BYTES:
        problems.append(f"logo is {len(data)} bytes; at most {MAX_LOGO_BYTES} are accepted.")
    elif not data.startswith(_MAGIC[kind]):
        problems.append(f"logo: the data is not a {kind} image.")
    else:
        return data, kind
    return None


def parse(body: Any) -> dict[str, Any]:
    """Column values for a branding request body, or a 400 listing every problem."""
    if not isinstance(body, dict):
        raise validation_errors(["The request body must be a JSON object of branding members."])
    problems = [
        f"Unknown member '{name}'; expected some of: {', '.join(MEMBERS)}."
        for name in body
        if name not in MEMBERS
    ]
    values: dict[str, Any] = {}
    for member, (column, longest) in _TEXTS.items():
        value = body.get(member)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{member} must be a non-empty string or null.")
        elif isinstance(value, str) and len(value) > longest:
            problems.append(f"{member} is {len(value)} characters; at most {longest}.")
        else:
            values[column] = value.strip() if isinstance(value, str) else None
    for member, pattern, example in (
        ("supportEmail", _EMAIL, "help@shop.example"),
        ("supportUrl", _URL, "https://shop.example/help"),
    ):
        value = values.get(_TEXTS[member][0])
        if value is not None and not pattern.fullmatch(value):
            problems.append(f"{member} '{value}' is not valid; for example '{example}'.")
    colours: dict[str, str] = {}
    for member, (column, default) in _COLOURS.items():
        value = body.get(member)
        if value is not None and (not isinstance(value, str) or not _HEX.fullmatch(value)):
            problems.append(f"{member} must be a colour as '#rrggbb' (like '{default}').")
            value = None
        values[column] = value.lower() if value else None
        colours[member] = values[column] or default
    if not problems:
        background = colours["backgroundColour"]
        for member in ("textColour", "primaryColour"):
            ratio = contrast(colours[member], background)
            if ratio < AA_RATIO:
                problems.append(
                    f"{member} {colours[member]} on backgroundColour {background} has a "
                    f"contrast of {ratio:.2f}:1; WCAG AA needs at least {AA_RATIO}:1. "
                    "Choose a darker or lighter colour."
                )
    search = body.get("postCodeSearch")
    if search is not None and not isinstance(search, bool):
        problems.append("postCodeSearch must be true, false or null (off).")
    values["post_code_search"] = search is True
    logo = body.get("logo")
    values["logo"] = values["logo_type"] = None
    if logo is not None:
        found = _logo(logo, problems) if isinstance(logo, str) else None
        if found is None and not isinstance(logo, str):
            problems.append("logo must be a data URI string or null.")
        if found is not None:
            values["logo"], values["logo_type"] = found
    if problems:
        raise validation_errors(problems)
    return values


def as_json(row: Any) -> dict[str, Any]:
    """The branding as the API answers it (the members ``parse`` accepts)."""
    shown: dict[str, Any] = {member: None for member in MEMBERS}
    shown["postCodeSearch"] = False
    if row is None:
        return shown
    shown["postCodeSearch"] = bool(row.post_code_search)
    for member, (column, _) in {**_TEXTS, **_COLOURS}.items():
        shown[member] = getattr(row, column)
    if row.logo is not None:
        encoded = base64.b64encode(row.logo).decode()
        shown["logo"] = f"data:{row.logo_type};base64,{encoded}"
    return shown
