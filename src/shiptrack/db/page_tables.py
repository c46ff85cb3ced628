"""The tables of tracking pages: one unguessable link per tracker, one branding per account.

Both join the schema's one ``MetaData`` (``db/tables.py`` imports this module, which lives in
``db/`` so that no table definition imports a feature); migration
0007 creates them; 0009 adds the post-code search switch.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    false,
)

from shiptrack.db.metadata import metadata
from shiptrack.db.types import UTCDateTime

#: A tracker's page link. ``token`` is kept so the API can hand the same link out again;
#: pages are looked up by ``token_hash`` (SHA-256 of the token), so the database compares
#: hashes, never a prefix of what a visitor typed. Rotating replaces both; deleting revokes.
page_links = Table(
    "page_links",
    metadata,
    Column("tracker_id", String(36), ForeignKey("trackers.id"), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("token", String(64), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_page_links_token_hash", "token_hash", unique=True),
)

#: How an account's tracking pages look. Colours are ``#rrggbb``; the logo is an uploaded
#: raster image served by shiptrack itself (no third-party request from a customer's browser).
page_brandings = Table(
    "page_brandings",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("name", String(100), nullable=True),
    Column("primary_colour", String(7), nullable=True),
    Column("text_colour", String(7), nullable=True),
    Column("background_colour", String(7), nullable=True),
    Column("support_email", String(254), nullable=True),
    Column("support_phone", String(40), nullable=True),
    Column("support_url", String(2048), nullable=True),
    Column("footer", Text, nullable=True),
    Column("logo", LargeBinary, nullable=True),
    Column("logo_type", String(20), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    #: Whether the account's customers may find a page by tracking number and destination
    #: post code (``/track/find/{accountId}``); off unless the account turns it on (0009).
    Column("post_code_search", Boolean, nullable=False, server_default=false()),
)
