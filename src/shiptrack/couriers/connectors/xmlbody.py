"""Pure helpers for carriers that answer XML (Canada Post, Purolator): safe parsing, text.

``parse_xml`` refuses documents with a DOCTYPE (no entity expansion, no external entities:
no carrier answer needs one) and turns anything unreadable into ``CourierResponseInvalid``.
Elements are looked up by local name, so a carrier changing its namespace prefix, or
answering with none, reads the same.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from shiptrack.couriers.connectors.protocol import CourierResponseInvalid


def parse_xml(body: bytes) -> ET.Element:
    """The root element of an XML answer; ``CourierResponseInvalid`` when it is not one."""
    if b"<!DOCTYPE" in body[:4096].upper() or b"<!ENTITY" in body.upper():
        raise CourierResponseInvalid("XML answer with a DOCTYPE or entity declaration")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise CourierResponseInvalid(f"body is not XML: {exc}") from None


def local_name(element: ET.Element) -> str:
    """``{namespace}name`` → ``name``."""
    return element.tag.rpartition("}")[2]


def children(element: ET.Element | None, name: str) -> Iterator[ET.Element]:
    """Direct children called ``name`` (any namespace)."""
    if element is None:
        return
    for child in element:
        if local_name(child) == name:
            yield child


def child(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first element down ``path`` of local names, or None."""
    for name in path:
        element = next(children(element, name), None)
        if element is None:
            return None
    return element


def text(element: ET.Element | None, *path: str) -> str | None:
    """Stripped text of the element down ``path``; None when missing or empty."""
    found = child(element, *path) if path else element
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def descendants(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Every element called ``name`` below ``element`` (any namespace)."""
    for found in element.iter():
        if local_name(found) == name:
            yield found
