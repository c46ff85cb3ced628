"""Structured logging: ``key=value`` text by default, JSON lines with SHIPTRACK_LOG_JSON.

Every process configures logging the same way (``configure_from(settings)``): the CLI, the
``serve`` supervisor and each of its API workers, and ``shiptrack worker``. Every line passes
through ``redact``, so a secret that reaches a log message, a field or a traceback by mistake
(a webhook signing secret ``whsec_…``, an API key ``apik_…``, a bearer token, an
``Authorization`` header) is replaced by ``[redacted]`` before it is written.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shiptrack.config import Settings

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's copy of the message with terminal colours
}

#: Secrets by shape: our own key and secret formats, bearer tokens, Authorization values and
#: the password of a database URL.
_SECRET = re.compile(
    r"(?P<plain>whsec_[A-Za-z0-9+/=_-]+|apik_[A-Za-z0-9_-]+)"
    r"|(?P<lead>(?:authorization|proxy-authorization)[\"']?\s*[:=,]\s*[\"']?)[^\"'\r\n,}]+"
    r"|(?P<bearer>\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+"
    r"|(?P<url>://[^/\s:@]+:)[^@\s/]+(?=@)",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


def _replace(match: re.Match[str]) -> str:
    for group in ("lead", "bearer", "url"):
        if match.group(group):
            return match.group(group) + REDACTED
    return REDACTED


def redact(text: str) -> str:
    """``text`` with every secret-shaped part replaced by ``[redacted]``."""
    return _SECRET.sub(_replace, text)


def _fields(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = _fields(record)
        line = (
            f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')} level={record.levelname.lower()} "
            f"logger={record.name} msg={record.getMessage()!r}"
        )
        if fields:
            line += " " + " ".join(f"{k}={v}" for k, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return redact(line)


class JsonFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        # Imported here: the ``serve`` supervisor writing text lines does without (~2.6 MB).
        import orjson

        self._dumps = orjson.dumps

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return redact(self._dumps(payload, default=str).decode())


def configure(level: str = "info", *, json: bool = False) -> None:
    """One handler on the root logger, writing formatted, redacted lines to stderr; Python
    warnings go through it too. uvicorn's loggers propagate to it (run uvicorn with
    ``log_config=None``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json else KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers[:] = []
        uvicorn_logger.propagate = True
    # shiptrack's middleware writes the access log, with the request id; uvicorn's own is
    # off (without a handler uvicorn does not even format its lines).
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers[:] = []
    uvicorn_access.propagate = False
    # Alembic announces each of its plugins at info on every migration: noise for operators
    # (the "Running upgrade …" lines that say what changed stay).
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.captureWarnings(True)


def configure_from(settings: Settings) -> None:
    configure(settings.log_level, json=settings.log_json)
