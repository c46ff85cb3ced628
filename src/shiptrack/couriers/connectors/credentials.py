"""The result of checking a connector's credentials against its carrier.

Every real connector package exposes ``async def check_credentials(settings, session) ->
CredentialCheck``: one cheap authenticated call that tells an operator whether the configured
key works. The detail never contains the secret itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CredentialCheck:
    """What one credential check found.

    ``configured`` is False when the connector has no credentials at all (it is then not used);
    ``ok`` is True only when the carrier accepted the credentials; ``detail`` says why, in words
    fit for a CLI or a log line.
    """

    connector: str
    configured: bool
    ok: bool
    detail: str
