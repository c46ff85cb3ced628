"""``logs.redact``: every secret shape is masked, whatever the formatter, the rest is kept."""

from __future__ import annotations

import logging

import orjson
import pytest

from shiptrack.logs import REDACTED, JsonFormatter, KeyValueFormatter, redact


@pytest.mark.parametrize(
    ("line", "secret", "kept"),
    [
        ("secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw rotated", "MfKQ9r8GKYqrTwjU", "rotated"),
        ("key apik_TkAZ78VBdFcXBu9Q0Noy2CqUPPhCwB67R9tqSjn_ used", "TkAZ78VB", "used"),
        ("headers={'authorization': 'Bearer s3cr3t-t0ken', 'accept': 'x'}", "s3cr3t", "accept"),
        ("Authorization: Basic dXNlcjpwYXNz\r\nHost: x", "dXNlcjpwYXNz", "Host: x"),
        ("sent bearer abc.def-ghi to the courier", "abc.def-ghi", "to the courier"),
        ("postgresql://shiptrack:hunter2@db.internal/shiptrack", "hunter2", "db.internal"),
    ],
)
def test_secrets_are_masked_and_the_rest_is_kept(line, secret, kept):
    masked = redact(line)
    assert secret not in masked
    assert REDACTED in masked
    assert kept in masked


def test_text_without_secrets_is_unchanged():
    line = "refresh tracker=3f2c outcome=data authorization failed for courier ups"
    assert redact(line) == line


def _record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("shiptrack.test", logging.ERROR, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


@pytest.mark.parametrize("formatter", [KeyValueFormatter(), JsonFormatter()])
def test_both_formatters_redact_message_arguments_fields_and_tracebacks(formatter):
    try:
        raise RuntimeError("failed with whsec_InTheTraceback123")
    except RuntimeError:
        import sys

        record = _record("saving %s", "whsec_InTheArguments456", secret="whsec_InTheFields789")
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    for secret in ("InTheTraceback123", "InTheArguments456", "InTheFields789"):
        assert secret not in line
    if isinstance(formatter, JsonFormatter):
        payload = orjson.loads(line)
        assert payload["msg"] == f"saving {REDACTED}"
        assert payload["secret"] == REDACTED
