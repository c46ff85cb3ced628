"""The operator console's tables: sessions and CSV imports (migration 0009).

They join the schema's one ``MetaData`` (``db/tables.py`` imports this module).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from shiptrack.db.metadata import metadata
from shiptrack.db.types import UTCDateTime

#: Sessions of the operator console: the cookie holds a random token, the table its SHA-256
#: (never the token), the account signed in and the session's CSRF token. Signing out deletes
#: the row; expired rows are refused and swept at the next sign-in. Migration 0009.
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

#: A CSV import of the console and its progress, updated while it runs (migration 0009).
console_imports = Table(
    "console_imports",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("file_name", String(200), nullable=False),
    Column("total", Integer, nullable=False),
    Column("processed", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("existing", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    #: JSON list of {"line": n, "message": "…"} for the rows that failed (the first 100).
    Column("problems", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Index("ix_console_imports_account", "account_id", "created_at"),
)
