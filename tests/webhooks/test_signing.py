"""Secrets and signatures, checked against the ``standardwebhooks`` reference library."""

from __future__ import annotations

import base64
import datetime as dt
import time
from types import SimpleNamespace

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from shiptrack.webhooks.signing import (
    active_secrets,
    generate_secret,
    secret_key,
    secret_preview,
    signature,
    signature_header,
)

BODY = b'{"trackings":[{"metadata":{"messageId":"m-1"},"events":[{"status":"Livr\xc3\xa9"}]}]}'


def test_secret_is_whsec_and_32_random_bytes():
    secret = generate_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[6:])) == 32
    assert generate_secret() != secret
    assert secret_key(secret) == base64.b64decode(secret[6:])


def test_signature_matches_the_reference_library():
    secret = generate_secret()
    timestamp = int(time.time())
    ours = signature(secret_key(secret), "msg_1", timestamp, BODY)
    reference = Webhook(secret).sign(
        "msg_1", dt.datetime.fromtimestamp(timestamp, dt.UTC), BODY.decode()
    )
    assert ours == reference


def test_reference_library_verifies_our_headers():
    secret = generate_secret()
    timestamp = int(time.time())
    headers = {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header([secret_key(secret)], "msg_2", timestamp, BODY),
    }
    assert Webhook(secret).verify(BODY, headers)["trackings"][0]["metadata"]["messageId"] == "m-1"
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY + b" ", headers)


def test_two_signatures_during_an_overlap_verify_with_either_secret():
    new, old = generate_secret(), generate_secret()
    timestamp = int(time.time())
    header = signature_header([secret_key(new), secret_key(old)], "msg_3", timestamp, BODY)
    assert header.count("v1,") == 2
    assert " " in header
    headers = {
        "webhook-id": "msg_3",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": header,
    }
    Webhook(new).verify(BODY, headers)
    Webhook(old).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(BODY, headers)


def test_active_secrets_keep_the_old_bearer_during_the_overlap():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    endpoint = SimpleNamespace(
        secret="whsec_new",
        previous_secret="whsec_old",
        previous_secret_expires_at=now + dt.timedelta(hours=1),
    )
    assert active_secrets(endpoint, now) == ("whsec_old", ["whsec_new", "whsec_old"])
    later = now + dt.timedelta(hours=2)
    assert active_secrets(endpoint, later) == ("whsec_new", ["whsec_new"])
    endpoint.previous_secret = None
    assert active_secrets(endpoint, now) == ("whsec_new", ["whsec_new"])


def test_preview_never_shows_the_secret():
    secret = generate_secret()
    preview = secret_preview(secret)
    assert preview.startswith("whsec_")
    assert len(preview) < 12
    assert secret not in preview
