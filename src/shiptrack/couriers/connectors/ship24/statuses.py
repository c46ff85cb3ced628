"""Ship24's own status codes, as an upstream: the identity.

Ship24's ``event.statusCode`` is Ship24's taxonomy (``ship24-tracking-api.yaml``,
``components/schemas/event``; the twenty codes of ``shiptrack.status.taxonomy``), so each code
maps to itself. A code outside it (a newer one) goes to the status normaliser with the text.
"""

from __future__ import annotations

from typing import Final

from shiptrack.status.taxonomy import STATUS_CODES as SHIP24_CODES

#: Ship24 ``statusCode`` → Ship24 status code.
STATUS_CODES: Final[dict[str, str | None]] = {code: code for code in SHIP24_CODES}
