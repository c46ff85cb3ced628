"""Carriers reached with a pair of static credentials on every call (no token exchange).

Royal Mail (``X-IBM-Client-Id`` + ``X-IBM-Client-Secret`` headers), Canada Post and Purolator
(HTTP Basic ``username:password``) hand out two values that go with every request; there is
no token to refresh, so the connector behaves like ``ApiKeyConnector`` (calls one after the
other, no more calls once the credentials or the quota were refused) with two variables
instead of one: ``SHIPTRACK_<CARRIER>_CLIENT_ID`` and ``SHIPTRACK_<CARRIER>_CLIENT_SECRET``.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Self

from pydantic import Field, SecretStr

from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.carrier_settings import CarrierSettings
from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierRateLimited,
    TrackingNumberNotFound,
    TrackingResult,
)

if TYPE_CHECKING:
    import aiohttp


class KeyPairCarrierSettings(CarrierSettings):
    """Two credentials sent with every call; the connector is off until both are set."""

    client_id: str | None = Field(
        None, description="First credential (user name or client id; unset: off)."
    )
    client_secret: SecretStr | None = Field(
        None, description="Second credential (password or client secret)."
    )

    def configured(self) -> bool:
        secret = self.client_secret.get_secret_value() if self.client_secret else ""
        return bool((self.client_id or "").strip() and secret.strip())

    def basic_authorization(self) -> str:
        """``Basic base64(client_id:client_secret)``."""
        secret = self.client_secret.get_secret_value() if self.client_secret else ""
        pair = f"{self.client_id or ''}:{secret}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


def basic_credentials(header: str | None) -> tuple[str, str]:
    """``(user, password)`` of an HTTP Basic ``Authorization`` header (empty when it is not
    one): how the fake servers read what ``basic_authorization`` wrote."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        user, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return "", ""
    return user, password


class KeyPairConnector(ApiKeyConnector):
    """``ApiKeyConnector`` with two credentials; subclasses implement ``key_headers``."""

    _settings: KeyPairCarrierSettings  # type: ignore[assignment]
    key_header = "Authorization"
    key_name = "credentials"

    def __init__(self, settings: KeyPairCarrierSettings, session: aiohttp.ClientSession) -> None:
        if not settings.configured():
            names = " and ".join(self.credential_variables())
            raise ValueError(f"{self.carrier_name} connector needs {names}")
        # ApiKeyConnector's own check asks for one API key: skip it, keep the rest.
        super(ApiKeyConnector, self).__init__(settings, session)
        self._url = settings.resolved_base_url() + self.path

    @classmethod
    def credential_variables(cls) -> tuple[str, ...]:
        return (f"{cls.env_prefix()}CLIENT_ID", f"{cls.env_prefix()}CLIENT_SECRET")

    def key_headers(self) -> dict[str, str]:
        """Basic authorization with the pair (Canada Post, Purolator)."""
        return {"Authorization": self._settings.basic_authorization()}

    @classmethod
    def build(  # type: ignore[override]
        cls, settings: KeyPairCarrierSettings | None, session: aiohttp.ClientSession
    ) -> Self | None:
        own: KeyPairCarrierSettings = cls.own_settings(settings)
        return cls(own, session) if own.configured() else None

    @classmethod
    async def check_credentials(  # type: ignore[override]
        cls, settings: KeyPairCarrierSettings | None, session: aiohttp.ClientSession
    ) -> CredentialCheck:
        """One tracking call for ``probe_number``; any answer of the carrier's, even "not
        found", means the credentials were accepted. Neither value is ever shown."""
        own: KeyPairCarrierSettings = cls.own_settings(settings)
        if not own.configured():
            names = " and ".join(cls.credential_variables())
            return CredentialCheck(cls.name, False, False, f"not configured: set {names}")
        outcome = (await cls(own, session).track_batch([cls.probe_number]))[cls.probe_number]
        where = own.resolved_base_url()
        if isinstance(outcome, TrackingResult | TrackingNumberNotFound):
            return CredentialCheck(cls.name, True, True, f"credentials accepted by {where}")
        if isinstance(outcome, CourierAuthError):
            return CredentialCheck(cls.name, True, False, f"credentials rejected by {where}")
        if isinstance(outcome, CourierRateLimited):
            return CredentialCheck(
                cls.name, True, False, f"could not check: rate limited by {where}"
            )
        return CredentialCheck(cls.name, True, False, f"could not check against {where}: {outcome}")
